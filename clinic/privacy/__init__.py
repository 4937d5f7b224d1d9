"""Visitors' personal data: kept out of the logs, and deleted on request."""

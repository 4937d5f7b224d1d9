"""Visitors' personal data: found one way, kept out of the logs, and deleted on request."""

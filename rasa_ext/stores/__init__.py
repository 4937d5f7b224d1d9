"""Rasa stores: the windowed SQL tracker store and the atomic Redis lock store."""

"""Rasa channels: the guarded REST and socket.io ones, the health route, the credentials file."""

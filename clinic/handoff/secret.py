"""The secret the staff console sends with every staff message it hands to Rasa.

Staff messages reach Rasa through one narrow route (rasa_ext/channels/handoff.py),
not Rasa's HTTP API; the route takes only calls carrying this secret, which
the web app and the Rasa servers share: `HANDOFF_SECRET`, or else the file
named by `HANDOFF_SECRET_FILE` (default `var/handoff.key`), made on first use.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from clinic import environment
from clinic.guard.session_tokens import create_key_file

HEADER = "X-Handoff-Secret"
MIN_SECRET_CHARS = 32


class HandoffSecretError(ValueError):
    """The shared secret is too short to be safe."""


def load_secret(env: Mapping[str, str] | None = None) -> str:
    """The secret shared by the console and the Rasa servers."""
    secret = environment.HANDOFF_SECRET.get(env)
    if not secret:
        secret = create_key_file(environment.HANDOFF_SECRET_FILE.get(env))
    if len(secret) < MIN_SECRET_CHARS:
        name = environment.HANDOFF_SECRET.name
        raise HandoffSecretError(f"{name} must be at least {MIN_SECRET_CHARS} characters long.")
    return secret


def matches(sent: str | None, secret: str) -> bool:
    """Whether a call carried the secret (compared in constant time)."""
    return bool(sent) and secrets.compare_digest(str(sent).encode(), secret.encode())

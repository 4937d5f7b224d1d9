"""Authenticator codes as a staff member's phone would show them, computed with pyotp."""

from __future__ import annotations

import pyotp


def code_at(secret: str, at: float) -> str:
    """The six-digit code an authenticator app shows at time `at` for this secret."""
    return str(pyotp.TOTP(secret).at(int(at)))

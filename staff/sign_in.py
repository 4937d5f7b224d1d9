"""Signed-in staff: sessions and their CSRF tokens.

A session is a random token in an HttpOnly, SameSite=Strict cookie; the
database keeps only its SHA-256, so a copy of the database signs nobody in.
Each session has its own CSRF token, which every form and every POST must send
back. After a right password, an account with two-factor sign-in gets a
session at the "code" stage, good for five minutes and for nothing but typing
the code; the code opens a new, full session. Slowing down guessing is
staff/throttle.py's.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import sqlalchemy as sa

from staff.accounts import ADMIN, STAFF
from staff.db import ACCOUNTS, SESSIONS

SESSION_HOURS = 8  # a working day; signed out after it
CODE_STAGE_MINUTES = 5  # between the right password and the two-factor code
FULL, CODE = "full", "code"


@dataclass(frozen=True)
class StaffSession:
    """A live session, with what the console needs to know of its account."""

    account: str
    csrf_token: str
    expires: float
    stage: str = FULL
    role: str = STAFF
    two_factor: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def must_set_up_two_factor(self) -> bool:
        """Administrators sign in with two factors: one without is sent to set it up."""
        return self.is_admin and not self.two_factor


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(
    engine: sa.engine.Engine, account: str, now: float | None = None, stage: str = FULL
) -> str:
    """A new session for `account`; returns the token for the cookie."""
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(32)
    lasts = SESSION_HOURS * 3600 if stage == FULL else CODE_STAGE_MINUTES * 60
    with engine.begin() as connection:
        connection.execute(sa.delete(SESSIONS).where(SESSIONS.c.expires < now))
        connection.execute(
            sa.insert(SESSIONS).values(
                token_hash=_digest(token),
                account=account,
                csrf_token=secrets.token_urlsafe(32),
                created=now,
                expires=now + lasts,
                stage=stage,
            )
        )
    return token


def session_for(
    engine: sa.engine.Engine, token: str | None, now: float | None = None
) -> StaffSession | None:
    """The live session this cookie token opens, or None (missing, forged or expired)."""
    if not token or len(token) > 128:
        return None
    now = time.time() if now is None else now
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(SESSIONS, ACCOUNTS.c.role, ACCOUNTS.c.totp_secret)
            .join(ACCOUNTS, ACCOUNTS.c.name == SESSIONS.c.account)
            .where(SESSIONS.c.token_hash == _digest(token))
        ).first()
    if row is None or row.expires <= now:
        return None
    return StaffSession(
        account=row.account,
        csrf_token=row.csrf_token,
        expires=row.expires,
        stage=row.stage,
        role=row.role,
        two_factor=row.totp_secret is not None,
    )


def close_session(engine: sa.engine.Engine, token: str | None) -> None:
    if token:
        with engine.begin() as connection:
            connection.execute(sa.delete(SESSIONS).where(SESSIONS.c.token_hash == _digest(token)))


def csrf_matches(session: StaffSession, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(session.csrf_token, str(sent))

"""Signed-in staff: sessions, their CSRF tokens, and slowing down password guessing.

A session is a random token in an HttpOnly, SameSite=Strict cookie; the
database keeps only its SHA-256, so a copy of the database signs nobody in.
Each session has its own CSRF token, which every form and every POST must send
back. Wrong passwords are counted per account name and per address: past a
few in a quarter of an hour, sign-in is refused for a while (and each failure
is answered slowly by the app).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass

import sqlalchemy as sa

from staff.db import LOGIN_FAILURES, SESSIONS

logger = logging.getLogger(__name__)

SESSION_HOURS = 8  # a working day; signed out after it
WINDOW_S = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


@dataclass(frozen=True)
class StaffSession:
    account: str
    csrf_token: str
    expires: float


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(engine: sa.engine.Engine, account: str, now: float | None = None) -> str:
    """A new session for `account`; returns the token for the cookie."""
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(32)
    with engine.begin() as connection:
        connection.execute(sa.delete(SESSIONS).where(SESSIONS.c.expires < now))
        connection.execute(
            sa.insert(SESSIONS).values(
                token_hash=_digest(token),
                account=account,
                csrf_token=secrets.token_urlsafe(32),
                created=now,
                expires=now + SESSION_HOURS * 3600,
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
            sa.select(SESSIONS).where(SESSIONS.c.token_hash == _digest(token))
        ).first()
    if row is None or row.expires <= now:
        return None
    return StaffSession(account=row.account, csrf_token=row.csrf_token, expires=row.expires)


def close_session(engine: sa.engine.Engine, token: str | None) -> None:
    if token:
        with engine.begin() as connection:
            connection.execute(sa.delete(SESSIONS).where(SESSIONS.c.token_hash == _digest(token)))


def csrf_matches(session: StaffSession, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(session.csrf_token, str(sent))


def _keys(account: str, address: str) -> tuple[str, str]:
    return f"account:{account.lower()[:64]}", f"address:{address[:64]}"


def sign_in_blocked(
    engine: sa.engine.Engine, account: str, address: str, now: float | None = None
) -> int:
    """Seconds to wait before trying again (0: go ahead)."""
    now = time.time() if now is None else now
    by_account, by_address = _keys(account, address)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(LOGIN_FAILURES.c.key, sa.func.count(), sa.func.min(LOGIN_FAILURES.c.at))
            .where(
                LOGIN_FAILURES.c.key.in_([by_account, by_address]),
                LOGIN_FAILURES.c.at > now - WINDOW_S,
            )
            .group_by(LOGIN_FAILURES.c.key)
        ).all()
    for key, count, oldest in rows:
        limit = MAX_FAILURES_PER_ACCOUNT if key == by_account else MAX_FAILURES_PER_ADDRESS
        if count >= limit:
            return max(1, int(oldest + WINDOW_S - now))
    return 0


def record_failure(
    engine: sa.engine.Engine, account: str, address: str, now: float | None = None
) -> None:
    now = time.time() if now is None else now
    with engine.begin() as connection:
        connection.execute(sa.delete(LOGIN_FAILURES).where(LOGIN_FAILURES.c.at < now - WINDOW_S))
        connection.execute(
            sa.insert(LOGIN_FAILURES), [{"key": key, "at": now} for key in _keys(account, address)]
        )
        count = connection.execute(
            sa.select(sa.func.count()).where(
                LOGIN_FAILURES.c.key == _keys(account, address)[0],
                LOGIN_FAILURES.c.at > now - WINDOW_S,
            )
        ).scalar()
    logger.warning(
        "Staff sign-in failed (%s wrong passwords in 15 minutes for that account)", count
    )


def clear_failures(engine: sa.engine.Engine, account: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            sa.delete(LOGIN_FAILURES).where(LOGIN_FAILURES.c.key == _keys(account, "")[0])
        )

"""Two-factor sign-in: a code from the staff member's authenticator app (TOTP, RFC 6238).

Required for administrators, optional for staff. Setting it up shows a QR code
(drawn here as SVG, nothing fetched from anywhere) for the app to scan, and it
is switched on only once the app's first code is typed back. A code is good
once: the time step of the last code accepted is kept with the account and a
code of that step or an earlier one is refused, in one conditional UPDATE so
that two web-app replicas can't both accept it. Setting it up also gives a
few recovery codes, shown once, for a lost phone; only their SHA-256 is kept
(each holds 80 random bits, too many to guess from a copy of the database),
and each works once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

import pyotp
import segno
import sqlalchemy as sa

from staff.db import ACCOUNTS, RECOVERY_CODES

STEP_S = 30  # what every authenticator app uses
# A code of the step before or after is accepted too: a phone's clock a little off,
# or a code typed as it changed.
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 8
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
_RECOVERY_CHARS = 16  # 16 × 5 bits = 80 bits
_SIX_DIGITS = re.compile(r"[0-9]{6}")  # not \d: that matches other scripts' digits too


def _step(now: float) -> int:
    return int(now) // STEP_S


def _secret_of(engine: sa.engine.Engine, name: str, column: sa.Column) -> str | None:
    with engine.connect() as connection:
        found = connection.execute(sa.select(column).where(ACCOUNTS.c.name == name)).scalar()
    return str(found) if found else None


def is_on(engine: sa.engine.Engine, name: str) -> bool:
    return _secret_of(engine, name, ACCOUNTS.c.totp_secret) is not None


def pending_secret(engine: sa.engine.Engine, name: str) -> str:
    """The secret being set up for `name`: the one already shown, or a new one.

    Kept until a code confirms it, so reloading the page shows the same QR code."""
    found = _secret_of(engine, name, ACCOUNTS.c.totp_pending)
    if found:
        return found
    secret = pyotp.random_base32()  # 160 bits, as RFC 4226 recommends
    with engine.begin() as connection:
        connection.execute(
            sa.update(ACCOUNTS)
            .where(ACCOUNTS.c.name == name, ACCOUNTS.c.totp_pending.is_(None))
            .values(totp_pending=secret)
        )
    return _secret_of(engine, name, ACCOUNTS.c.totp_pending) or secret


def setup_link(secret: str, name: str, issuer: str) -> str:
    """The `otpauth://` link an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=issuer)


def qr_code(link: str) -> str:
    """The link as a QR code: an SVG `data:` URI for an <img> (the pages' CSP allows those)."""
    return str(segno.make(link, error="m").svg_data_uri(scale=5, border=4))


def grouped(secret: str) -> str:
    """The secret in fours, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step whose code this is (within the drift allowed), or None."""
    code = re.sub(r"\s", "", code)
    if not _SIX_DIGITS.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    current = _step(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_step(connection: sa.engine.Connection, name: str, step: int) -> bool:
    """Record `step` as used, unless it or a later one already was: True if it was new."""
    newer = sa.or_(ACCOUNTS.c.totp_last_step.is_(None), ACCOUNTS.c.totp_last_step < step)
    return bool(
        connection.execute(
            sa.update(ACCOUNTS).where(ACCOUNTS.c.name == name, newer).values(totp_last_step=step)
        ).rowcount
    )


def confirm(
    engine: sa.engine.Engine, name: str, code: str, now: float | None = None
) -> list[str] | None:
    """Switch two-factor on with the pending secret if `code` is its current code.

    Returns the new recovery codes (to show once), or None when the code is wrong."""
    now = time.time() if now is None else now
    secret = _secret_of(engine, name, ACCOUNTS.c.totp_pending)
    step = _matching_step(secret, code, now) if secret else None
    if secret is None or step is None:
        return None
    with engine.begin() as connection:
        switched = connection.execute(
            sa.update(ACCOUNTS)
            .where(ACCOUNTS.c.name == name, ACCOUNTS.c.totp_pending == secret)
            .values(totp_secret=secret, totp_pending=None, totp_last_step=step)
        ).rowcount
        if not switched:
            return None
        return _replace_recovery_codes(connection, name, now)


def check_code(engine: sa.engine.Engine, name: str, code: str, now: float | None = None) -> bool:
    """The app's current code, not used before; a used one is refused (no replay)."""
    now = time.time() if now is None else now
    secret = _secret_of(engine, name, ACCOUNTS.c.totp_secret)
    step = _matching_step(secret, code, now) if secret else None
    if step is None:
        return False
    with engine.begin() as connection:
        return _use_step(connection, name, step)


def _recovery_digest(code: str) -> str:
    normal = re.sub(r"[\s-]", "", code).upper()
    return hashlib.sha256(normal.encode()).hexdigest()


def _new_recovery_code() -> str:
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_CHARS))
    return "-".join(chars[i : i + 4] for i in range(0, _RECOVERY_CHARS, 4))


def _replace_recovery_codes(connection: sa.engine.Connection, name: str, now: float) -> list[str]:
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    connection.execute(sa.delete(RECOVERY_CODES).where(RECOVERY_CODES.c.account == name))
    connection.execute(
        sa.insert(RECOVERY_CODES),
        [{"code_hash": _recovery_digest(code), "account": name, "created": now} for code in codes],
    )
    return codes


def new_recovery_codes(engine: sa.engine.Engine, name: str, now: float | None = None) -> list[str]:
    """A fresh set, replacing the old one (which stops working)."""
    now = time.time() if now is None else now
    with engine.begin() as connection:
        return _replace_recovery_codes(connection, name, now)


def use_recovery_code(engine: sa.engine.Engine, name: str, code: str) -> bool:
    """True, once, for each of the account's recovery codes."""
    if len(code) > 64 or not is_on(engine, name):
        return False
    with engine.begin() as connection:
        return bool(
            connection.execute(
                sa.delete(RECOVERY_CODES).where(
                    RECOVERY_CODES.c.account == name,
                    RECOVERY_CODES.c.code_hash == _recovery_digest(code),
                )
            ).rowcount
        )


def recovery_codes_left(engine: sa.engine.Engine, name: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).where(RECOVERY_CODES.c.account == name)
            ).scalar()
            or 0
        )


def looks_like_recovery_code(code: str) -> bool:
    """What was typed is a recovery code's shape (letters in it), not an app's six digits."""
    return bool(re.search(r"[A-Za-z]", code))


def switch_off(engine: sa.engine.Engine, name: str) -> None:
    """Two-factor off, the secret and recovery codes forgotten (a lost phone, or by choice)."""
    with engine.begin() as connection:
        connection.execute(
            sa.update(ACCOUNTS)
            .where(ACCOUNTS.c.name == name)
            .values(totp_secret=None, totp_pending=None, totp_last_step=None)
        )
        connection.execute(sa.delete(RECOVERY_CODES).where(RECOVERY_CODES.c.account == name))

"""Slowing down password and code guessing, without letting a stranger lock anyone out.

Following OWASP's Authentication Cheat Sheet: no account is ever locked; a
sign-in attempt (a password, or the two-factor code after it) may have to
wait, and the wait grows with the failures behind it.

- **Per address.** Failures from one address slow that address, whichever
  accounts it tries: the first few are free, then each attempt waits 1, 2,
  4… seconds after the last failure, up to 15 minutes.
- **Per account, from many addresses.** Failures on one account slow that
  account the same way, counting each address other than the one asking
  once: guessing from many addresses is slowed too, while a stranger
  hammering from one address (or two) is slowed only by the rule above and
  the owner, elsewhere, not at all.
- **Known addresses are exempt from the account rule.** Where an account has
  fully signed in before (password and, if on, its two-factor code) within
  90 days, failures made elsewhere never slow it: the owner with the right
  password and code still gets in while the account is under attack.

Every attempt is written down as a failure *before* the password is checked
(and struck out once it proves right), in the same transaction that works
out its wait from the attempts before it, and attempts on one address or
account are judged one at a time (an advisory lock on PostgreSQL; SQLite
has a single writer): a burst of simultaneous guesses gets one try, not one
each. The rows live in the console's database, so web-app replicas share
them. A failure is forgotten after a day, or as soon as the
owner signs in from the address that made it (their own typing errors).
IPv6 addresses count by their /64, which one machine usually holds whole.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from dataclasses import dataclass

import sqlalchemy as sa

from staff.db import KNOWN_ADDRESSES, SIGN_IN_FAILURES

logger = logging.getLogger(__name__)

WINDOW_S = 24 * 3600  # failures count for a day
KNOWN_FOR_S = 90 * 86400  # an address stays known for 90 days after a sign-in there


@dataclass(frozen=True)
class Rule:
    """How many failures are free, and the wait after each one past them."""

    free: int
    first_wait_s: float
    longest_wait_s: float

    def wait_after(self, failures: int) -> float:
        """The wait after the last of `failures` before another attempt: doubling, capped."""
        if failures < self.free:
            return 0.0
        doublings = min(failures - self.free, 40)  # past the cap anyway; no float overflow
        return min(self.first_wait_s * 2.0**doublings, self.longest_wait_s)

    def wait_now(self, failures: int, last_at: float | None, now: float) -> float:
        if not failures or last_at is None:
            return 0.0
        return max(0.0, last_at + self.wait_after(failures) - now)


BY_ADDRESS = Rule(free=5, first_wait_s=1.0, longest_wait_s=15 * 60)
BY_ACCOUNT = Rule(free=3, first_wait_s=1.0, longest_wait_s=15 * 60)


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt: allowed (its row, struck out if it proves right) or told to wait."""

    id: int | None
    wait_s: int

    @property
    def allowed(self) -> bool:
        return self.id is not None


def address_key(address: str) -> str:
    """The address as throttled: IPv4 as it is, IPv6 by its /64."""
    try:
        parsed = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return address[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


def account_key(name: str) -> str:
    """Names as typed, lower-cased: `Alice` and `alice` share their failures."""
    return name.lower()[:64]


def _failures(
    connection: sa.engine.Connection,
    since: float,
    *where: sa.sql.ClauseElement,
    count: sa.sql.ColumnElement[int] | None = None,
) -> tuple[int, float | None]:
    """How many failures match `where` since then (or `count` of them), and the last one's time."""
    found = connection.execute(
        sa.select(
            sa.func.count() if count is None else count, sa.func.max(SIGN_IN_FAILURES.c.at)
        ).where(SIGN_IN_FAILURES.c.at > since, *where)
    ).one()
    return int(found[0] or 0), found[1]


def _is_known(connection: sa.engine.Connection, name: str, where: str, now: float) -> bool:
    return bool(
        connection.execute(
            sa.select(
                sa.exists().where(
                    KNOWN_ADDRESSES.c.account == name,
                    KNOWN_ADDRESSES.c.address == where,
                    KNOWN_ADDRESSES.c.last_seen > now - KNOWN_FOR_S,
                )
            )
        ).scalar()
    )


def is_known(engine: sa.engine.Engine, name: str, address: str, now: float) -> bool:
    """`name` fully signed in from `address` within KNOWN_FOR_S."""
    with engine.connect() as connection:
        return _is_known(connection, name, address_key(address), now)


def _one_at_a_time(connection: sa.engine.Connection, *keys: str) -> None:
    """Attempts on the same address or account are judged one after the other.

    PostgreSQL: transaction-scoped advisory locks, taken in one order so two
    attempts never wait for each other's second lock. SQLite has one writer at
    a time already: the first write of the transaction waits for the others.
    """
    if connection.dialect.name == "postgresql":
        for key in sorted(set(keys)):
            connection.execute(
                sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"staff:{key}"}
            )


def begin_attempt(
    engine: sa.engine.Engine, name: str, address: str, now: float | None = None
) -> Attempt:
    """Write the attempt down as a failure, then allow it or say how long to wait."""
    now = time.time() if now is None else now
    account, where = account_key(name), address_key(address)
    since = now - WINDOW_S
    with engine.begin() as connection:
        _one_at_a_time(connection, f"address:{where}", f"account:{account}")
        connection.execute(sa.delete(SIGN_IN_FAILURES).where(SIGN_IN_FAILURES.c.at < since))
        inserted = connection.execute(
            sa.insert(SIGN_IN_FAILURES).values(account=account, address=where, at=now)
        )
        attempt_id = int(inserted.inserted_primary_key[0])
        before = SIGN_IN_FAILURES.c.id != attempt_id
        count, last = _failures(connection, since, before, SIGN_IN_FAILURES.c.address == where)
        wait = BY_ADDRESS.wait_now(count, last, now)
        if not _is_known(connection, name, where, now):
            count, last = _failures(
                connection,
                since,
                before,
                SIGN_IN_FAILURES.c.account == account,
                SIGN_IN_FAILURES.c.address != where,
                count=sa.func.count(sa.distinct(SIGN_IN_FAILURES.c.address)),
            )
            wait = max(wait, BY_ACCOUNT.wait_now(count, last, now))
        if wait > 0:
            connection.execute(
                sa.delete(SIGN_IN_FAILURES).where(SIGN_IN_FAILURES.c.id == attempt_id)
            )
            return Attempt(id=None, wait_s=math.ceil(wait))
    return Attempt(id=attempt_id, wait_s=0)


def _strike_out(engine: sa.engine.Engine, attempt_id: int) -> None:
    with engine.begin() as connection:
        connection.execute(sa.delete(SIGN_IN_FAILURES).where(SIGN_IN_FAILURES.c.id == attempt_id))


def proved_right(engine: sa.engine.Engine, attempt: Attempt) -> None:
    """The attempt's password (or code) was right: it is not a failure."""
    if attempt.id is not None:
        _strike_out(engine, attempt.id)


def failed(engine: sa.engine.Engine, name: str, address: str, now: float | None = None) -> None:
    """The attempt stays a failure; log how many there have been, without the name."""
    now = time.time() if now is None else now
    since = now - WINDOW_S
    with engine.connect() as connection:
        by_account, _ = _failures(
            connection, since, SIGN_IN_FAILURES.c.account == account_key(name)
        )
        by_address, _ = _failures(
            connection, since, SIGN_IN_FAILURES.c.address == address_key(address)
        )
    logger.warning(
        "Staff sign-in failed (in 24 hours: %s failures on that account, %s from that address)",
        by_account,
        by_address,
    )


def signed_in(engine: sa.engine.Engine, name: str, address: str, now: float | None = None) -> None:
    """A full sign-in: forget this address's failures on the account, and know the address."""
    now = time.time() if now is None else now
    where = address_key(address)
    with engine.begin() as connection:
        connection.execute(
            sa.delete(SIGN_IN_FAILURES).where(
                SIGN_IN_FAILURES.c.account == account_key(name),
                SIGN_IN_FAILURES.c.address == where,
            )
        )
        connection.execute(
            sa.delete(KNOWN_ADDRESSES).where(KNOWN_ADDRESSES.c.last_seen < now - KNOWN_FOR_S)
        )
        updated = connection.execute(
            sa.update(KNOWN_ADDRESSES)
            .where(KNOWN_ADDRESSES.c.account == name, KNOWN_ADDRESSES.c.address == where)
            .values(last_seen=now)
        ).rowcount
    if not updated:
        try:
            with engine.begin() as connection:
                connection.execute(
                    sa.insert(KNOWN_ADDRESSES).values(account=name, address=where, last_seen=now)
                )
        except sa.exc.IntegrityError:
            pass  # another replica wrote it at the same moment

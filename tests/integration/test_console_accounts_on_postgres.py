"""Staff accounts on PostgreSQL, as production runs them: two web replicas at once.

An older console's tables are migrated by two replicas starting together; a
two-factor code accepted by one replica is refused by the other; the
throttle's failures written through one replica slow attempts on the other;
a burst of simultaneous guesses through both gets one try. A private
PostgreSQL server (tests/support/postgres.py), never the machine's shared one.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator

import pyotp
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from staff.accounts import ADMIN, STAFF, accounts, add_account, verify
from staff.db import create_tables
from staff.sign_in import FULL, session_for
from staff.throttle import BY_ADDRESS, begin_attempt
from staff.two_factor import STEP_S, check_code, confirm, pending_secret
from tests.support.old_console import old_console
from tests.support.postgres import private_postgres

PASSWORD = "a password from before roles"


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with private_postgres() as server:
        yield server.url


def _together(work: list[object]) -> list[BaseException]:
    """Run each callable in its own thread, all released at once; the errors they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(len(work))

    def run(job: object) -> None:
        try:
            start.wait()
            job()  # type: ignore[operator]
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_two_replicas_migrate_an_old_console_once(postgres_url: str) -> None:
    setup = sa.create_engine(postgres_url)
    token = "a-session-from-before"
    hashed = PasswordHasher().hash(PASSWORD)
    old_console(
        setup,
        {"reception": (hashed, 2000.0), "manager": (hashed, 1000.0)},
        {hashlib.sha256(token.encode()).hexdigest(): "reception"},
    )
    replicas = [sa.create_engine(postgres_url) for _ in range(2)]

    assert _together([lambda e=engine: create_tables(e) for engine in replicas]) == []

    roles = {found.name: found.role for found in accounts(setup)}
    assert roles == {"manager": ADMIN, "reception": STAFF}
    assert verify(setup, "reception", PASSWORD)
    session = session_for(setup, token)
    assert session is not None and session.stage == FULL
    assert not sa.inspect(setup).has_table("staff_login_failures")
    for engine in (setup, *replicas):
        engine.dispose()


def test_a_code_accepted_by_one_replica_is_refused_by_the_other(postgres_url: str) -> None:
    one, other = sa.create_engine(postgres_url), sa.create_engine(postgres_url)
    create_tables(one)
    add_account(one, "pg.admin", PASSWORD, role=ADMIN)
    secret = pending_secret(one, "pg.admin")
    an_hour_ago = time.time() - 3600
    assert confirm(one, "pg.admin", pyotp.TOTP(secret).at(int(an_hour_ago)), now=an_hour_ago)

    now = time.time()
    code = pyotp.TOTP(secret).at(int(now))
    results: list[bool] = []
    errors = _together(
        [
            lambda e=engine: results.append(check_code(e, "pg.admin", code, now))
            for engine in (one, other)
        ]
    )
    assert errors == []
    assert sorted(results) == [False, True], "sent to both replicas at once: accepted once"
    later = now + STEP_S
    assert check_code(other, "pg.admin", pyotp.TOTP(secret).at(int(later)), later)
    one.dispose()
    other.dispose()


def test_the_throttle_is_shared_by_the_replicas(postgres_url: str) -> None:
    one, other = sa.create_engine(postgres_url), sa.create_engine(postgres_url)
    create_tables(one)
    now = time.time()
    for n in range(BY_ADDRESS.free):
        engine = (one, other)[n % 2]
        assert begin_attempt(engine, f"guess{n}", "203.0.113.9", now=now).allowed
    assert not begin_attempt(other, "another", "203.0.113.9", now=now).allowed
    assert not begin_attempt(one, "another", "203.0.113.9", now=now).allowed

    # Once the wait is over, a burst through both replicas gets one try between them.
    later = now + BY_ADDRESS.first_wait_s
    allowed: list[bool] = []
    errors = _together(
        [
            lambda e=engine, n=n: allowed.append(
                begin_attempt(e, f"burst{n}", "203.0.113.9", now=later).allowed
            )
            for n, engine in enumerate([one, other] * 5)
        ]
    )
    assert errors == []
    assert sum(allowed) == 1, "judged one at a time, whichever replica each went to"
    one.dispose()
    other.dispose()

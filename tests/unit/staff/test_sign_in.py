"""Staff sessions, CSRF tokens and slowing down password guessing (staff/sign_in.py)."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa

from staff.db import LOGIN_FAILURES, SESSIONS
from staff.sign_in import (
    MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_ADDRESS,
    SESSION_HOURS,
    WINDOW_S,
    StaffSession,
    clear_failures,
    close_session,
    csrf_matches,
    open_session,
    record_failure,
    session_for,
    sign_in_blocked,
)
from tests.unit.staff.helpers import NOW


def stored_sessions(engine: sa.engine.Engine) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(sa.select(SESSIONS)).all())


def test_a_session_opens_with_its_token_and_closes(engine: sa.engine.Engine) -> None:
    token = open_session(engine, "alice", now=NOW)
    session = session_for(engine, token, now=NOW + 60)
    assert session is not None
    assert session.account == "alice"
    assert session.expires == NOW + SESSION_HOURS * 3600
    assert len(session.csrf_token) >= 32

    close_session(engine, token)
    assert session_for(engine, token, now=NOW + 60) is None
    assert stored_sessions(engine) == []


def test_each_session_has_its_own_token_and_csrf_token(engine: sa.engine.Engine) -> None:
    first, second = open_session(engine, "alice", now=NOW), open_session(engine, "alice", now=NOW)
    assert first != second
    one, two = session_for(engine, first, now=NOW), session_for(engine, second, now=NOW)
    assert one is not None and two is not None and one.csrf_token != two.csrf_token
    close_session(engine, first)
    assert session_for(engine, second, now=NOW) is not None, "signing out one browser only"


def test_the_database_keeps_only_the_tokens_hash(engine: sa.engine.Engine) -> None:
    token = open_session(engine, "alice", now=NOW)
    (row,) = stored_sessions(engine)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in [str(value) for value in row]
    with engine.connect() as connection:
        dumped = "\n".join(connection.connection.iterdump())
    assert token not in dumped


def test_a_forged_missing_or_oversized_token_opens_nothing(engine: sa.engine.Engine) -> None:
    token = open_session(engine, "alice", now=NOW)
    (row,) = stored_sessions(engine)
    assert session_for(engine, None, now=NOW) is None
    assert session_for(engine, "", now=NOW) is None
    assert session_for(engine, token[:-1] + ("A" if token[-1] != "A" else "B"), now=NOW) is None
    assert session_for(engine, row.token_hash, now=NOW) is None, "the stored hash is no token"
    assert session_for(engine, token + "x" * 200, now=NOW) is None


def test_a_session_expires_after_the_working_day(engine: sa.engine.Engine) -> None:
    token = open_session(engine, "alice", now=NOW)
    end = NOW + SESSION_HOURS * 3600
    assert session_for(engine, token, now=end - 1) is not None
    assert session_for(engine, token, now=end) is None
    assert session_for(engine, token, now=end + 3600) is None


def test_expired_sessions_are_cleared_when_a_new_one_opens(engine: sa.engine.Engine) -> None:
    old = open_session(engine, "alice", now=NOW)
    later = NOW + SESSION_HOURS * 3600 + 1
    open_session(engine, "bob", now=later)
    assert [row.account for row in stored_sessions(engine)] == ["bob"]
    assert session_for(engine, old, now=NOW + 1) is None, "gone, not just expired"


def test_closing_without_a_token_does_nothing(engine: sa.engine.Engine) -> None:
    open_session(engine, "alice", now=NOW)
    close_session(engine, None)
    close_session(engine, "")
    close_session(engine, "not-a-token")
    assert len(stored_sessions(engine)) == 1


def test_csrf_matches_only_the_sessions_own_token() -> None:
    session = StaffSession(account="alice", csrf_token="s3cret-csrf-token", expires=NOW)
    assert csrf_matches(session, "s3cret-csrf-token") is True
    assert csrf_matches(session, "s3cret-csrf-tokeN") is False
    assert csrf_matches(session, "") is False
    assert csrf_matches(session, None) is False


def test_an_account_is_blocked_after_too_many_wrong_passwords(engine: sa.engine.Engine) -> None:
    for n in range(MAX_FAILURES_PER_ACCOUNT - 1):
        record_failure(engine, "alice", "10.0.0.1", now=NOW + n)
    assert sign_in_blocked(engine, "alice", "10.0.0.1", now=NOW + 10) == 0
    record_failure(engine, "alice", "10.0.0.1", now=NOW + 10)

    wait = sign_in_blocked(engine, "alice", "10.0.0.9", now=NOW + 20)
    assert wait == int(NOW + WINDOW_S - (NOW + 20)), "until the oldest failure leaves the window"
    assert sign_in_blocked(engine, "ALICE", "10.0.0.9", now=NOW + 20) > 0, "names ignore case"
    assert sign_in_blocked(engine, "bob", "10.0.0.9", now=NOW + 20) == 0, "other accounts can"


def test_an_address_is_blocked_after_too_many_wrong_passwords(engine: sa.engine.Engine) -> None:
    # A different name each time, so no one account reaches its own limit.
    for n in range(MAX_FAILURES_PER_ADDRESS - 1):
        record_failure(engine, f"guess{n}", "203.0.113.7", now=NOW + n)
    assert sign_in_blocked(engine, "carol", "203.0.113.7", now=NOW + 100) == 0
    record_failure(engine, "someone", "203.0.113.7", now=NOW + 100)

    assert sign_in_blocked(engine, "carol", "203.0.113.7", now=NOW + 101) > 0
    assert sign_in_blocked(engine, "carol", "198.51.100.2", now=NOW + 101) == 0
    assert sign_in_blocked(engine, "guess0", "198.51.100.2", now=NOW + 101) == 0


def test_sign_in_is_free_again_after_the_window(engine: sa.engine.Engine) -> None:
    for n in range(MAX_FAILURES_PER_ACCOUNT):
        record_failure(engine, "alice", f"10.0.0.{n}", now=NOW + n)
    last = NOW + MAX_FAILURES_PER_ACCOUNT - 1
    assert sign_in_blocked(engine, "alice", "10.0.0.99", now=last + 1) > 0
    # Each failure leaves the window WINDOW_S after it; the first one frees the account.
    assert sign_in_blocked(engine, "alice", "10.0.0.99", now=NOW + WINDOW_S - 1) > 0
    assert sign_in_blocked(engine, "alice", "10.0.0.99", now=NOW + WINDOW_S) == 0
    assert sign_in_blocked(engine, "alice", "10.0.0.99", now=last + WINDOW_S + 1) == 0


def test_old_failures_are_deleted_when_new_ones_are_recorded(engine: sa.engine.Engine) -> None:
    record_failure(engine, "alice", "10.0.0.1", now=NOW)
    record_failure(engine, "bob", "10.0.0.2", now=NOW + WINDOW_S + 1)
    with engine.connect() as connection:
        keys = sorted(connection.execute(sa.select(LOGIN_FAILURES.c.key)).scalars())
    assert keys == ["account:bob", "address:10.0.0.2"]


def test_clearing_failures_frees_the_account(engine: sa.engine.Engine) -> None:
    for n in range(MAX_FAILURES_PER_ACCOUNT):
        record_failure(engine, "Alice", "10.0.0.1", now=NOW + n)
    for n in range(MAX_FAILURES_PER_ACCOUNT):
        record_failure(engine, "bob", "10.0.0.2", now=NOW + n)
    assert sign_in_blocked(engine, "alice", "10.0.0.5", now=NOW + 10) > 0

    clear_failures(engine, "alice")

    assert sign_in_blocked(engine, "alice", "10.0.0.5", now=NOW + 10) == 0
    assert sign_in_blocked(engine, "bob", "10.0.0.5", now=NOW + 10) > 0, "only that account"
    with engine.connect() as connection:
        keys = set(connection.execute(sa.select(LOGIN_FAILURES.c.key)).scalars())
    assert "address:10.0.0.1" in keys, "the address's count is kept"

"""Staff sessions, their stages and CSRF tokens (staff/sign_in.py)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
import sqlalchemy as sa

from staff.accounts import ADMIN, STAFF, add_account, remove_account, set_role
from staff.db import SESSIONS
from staff.sign_in import (
    CODE,
    CODE_STAGE_MINUTES,
    FULL,
    SESSION_HOURS,
    StaffSession,
    close_session,
    csrf_matches,
    open_session,
    session_for,
)
from staff.two_factor import confirm, pending_secret
from tests.unit.staff.helpers import NOW
from tests.unit.staff.totp import code_at

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def staff_accounts(engine: sa.engine.Engine) -> None:
    """alice and bob, staff; a session only opens for an account that exists."""
    for name in ("alice", "bob"):
        add_account(engine, name, PASSWORD)


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


def test_a_session_knows_its_accounts_role_and_two_factor(engine: sa.engine.Engine) -> None:
    token = open_session(engine, "alice", now=NOW)
    session = session_for(engine, token, now=NOW)
    assert session is not None and session.role == STAFF and not session.is_admin
    assert session.stage == FULL and not session.two_factor
    assert not session.must_set_up_two_factor, "optional for staff"

    set_role(engine, "alice", ADMIN)
    session = session_for(engine, token, now=NOW)
    assert session is not None and session.is_admin
    assert session.must_set_up_two_factor, "read afresh: made an administrator, asked at once"

    secret = pending_secret(engine, "alice")
    assert confirm(engine, "alice", code_at(secret, NOW), now=NOW)
    session = session_for(engine, token, now=NOW)
    assert session is not None and session.two_factor and not session.must_set_up_two_factor


def test_the_code_stage_lasts_minutes_not_a_day(engine: sa.engine.Engine) -> None:
    token = open_session(engine, "alice", now=NOW, stage=CODE)
    session = session_for(engine, token, now=NOW)
    assert session is not None and session.stage == CODE
    assert session.expires == NOW + CODE_STAGE_MINUTES * 60
    assert session_for(engine, token, now=NOW + CODE_STAGE_MINUTES * 60) is None


def test_a_removed_accounts_session_opens_nothing(engine: sa.engine.Engine) -> None:
    token = open_session(engine, "alice", now=NOW)
    with engine.begin() as connection:  # as if removed without its sessions
        connection.execute(sa.text("DELETE FROM staff_accounts WHERE name = 'alice'"))
    assert session_for(engine, token, now=NOW) is None
    remove_account(engine, "bob")
    assert session_for(engine, open_session(engine, "bob", now=NOW), now=NOW) is None

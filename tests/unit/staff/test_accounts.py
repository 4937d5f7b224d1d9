"""Staff accounts and their argon2id passwords (staff/accounts.py), and its command."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from clinic.settings import PROJECT_ROOT
from staff.accounts import (
    MIN_PASSWORD_CHARS,
    AccountError,
    account_names,
    add_account,
    check_name,
    remove_account,
    verify,
)
from staff.db import ACCOUNTS, create_tables
from staff.sign_in import open_session, session_for

PASSWORD = "correct horse battery"
VENV_PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"


def stored_hash(engine: sa.engine.Engine, name: str) -> str:
    with engine.connect() as connection:
        return str(
            connection.execute(
                sa.select(ACCOUNTS.c.password_hash).where(ACCOUNTS.c.name == name)
            ).scalar_one()
        )


def test_an_account_signs_in_with_its_password_only(engine: sa.engine.Engine) -> None:
    assert add_account(engine, "alice", PASSWORD) is True
    assert verify(engine, "alice", PASSWORD) is True
    assert verify(engine, "alice", PASSWORD + "!") is False
    assert verify(engine, "alice", PASSWORD.upper()) is False
    assert verify(engine, "alice", "") is False
    assert verify(engine, "bob", PASSWORD) is False, "no such account"
    assert verify(engine, "Alice", PASSWORD) is False, "names are exact"


def test_an_unknown_account_is_refused_even_with_the_decoy_password(
    engine: sa.engine.Engine,
) -> None:
    assert verify(engine, "nobody", "no such account") is False


def test_the_password_is_stored_as_an_argon2id_hash(engine: sa.engine.Engine) -> None:
    add_account(engine, "alice", PASSWORD)
    hashed = stored_hash(engine, "alice")
    assert hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    add_account(engine, "bob", PASSWORD)
    assert stored_hash(engine, "bob") != hashed, "salted: the same password hashes differently"


def test_a_new_password_replaces_the_old_and_signs_sessions_out(
    engine: sa.engine.Engine,
) -> None:
    add_account(engine, "alice", PASSWORD)
    add_account(engine, "bob", PASSWORD)
    alice_token, bob_token = open_session(engine, "alice"), open_session(engine, "bob")
    new_password = "a completely new passphrase"

    assert add_account(engine, "alice", new_password) is False, "not a new account"

    assert verify(engine, "alice", new_password) is True
    assert verify(engine, "alice", PASSWORD) is False
    assert session_for(engine, alice_token) is None
    assert session_for(engine, bob_token) is not None, "other accounts stay signed in"
    assert account_names(engine) == ["alice", "bob"]


def test_removing_an_account_signs_it_out(engine: sa.engine.Engine) -> None:
    add_account(engine, "alice", PASSWORD)
    add_account(engine, "bob", PASSWORD)
    token = open_session(engine, "alice")

    assert remove_account(engine, "alice") is True
    assert remove_account(engine, "alice") is False, "already gone"
    assert verify(engine, "alice", PASSWORD) is False
    assert session_for(engine, token) is None
    assert account_names(engine) == ["bob"]


def test_account_names_are_listed_in_order(engine: sa.engine.Engine) -> None:
    assert account_names(engine) == []
    for name in ("carol", "alice", "bob.smith@clinic"):
        add_account(engine, name, PASSWORD)
    assert account_names(engine) == ["alice", "bob.smith@clinic", "carol"]


def test_a_short_password_is_refused(engine: sa.engine.Engine) -> None:
    with pytest.raises(AccountError, match=str(MIN_PASSWORD_CHARS)):
        add_account(engine, "alice", "x" * (MIN_PASSWORD_CHARS - 1))
    assert account_names(engine) == []
    assert add_account(engine, "alice", "x" * MIN_PASSWORD_CHARS) is True


@pytest.mark.parametrize(
    "name",
    ["", "a", "-alice", ".alice", "al ice", "alice/../x", "alice;drop", "é" * 3, "a" * 65],
)
def test_bad_names_are_refused(engine: sa.engine.Engine, name: str) -> None:
    with pytest.raises(AccountError):
        check_name(name)
    with pytest.raises(AccountError):
        add_account(engine, name, PASSWORD)
    assert account_names(engine) == []


def test_a_name_ending_in_a_newline_is_refused(engine: sa.engine.Engine) -> None:
    # `_NAME.match` with `$` also matches before a final newline.
    with pytest.raises(AccountError):
        check_name("alice\n")
    with pytest.raises(AccountError):
        add_account(engine, "alice\n", PASSWORD)


@pytest.mark.parametrize(
    "name", ["al", "alice", "Bob_2", "dr.jones", "a-b@clinic.example", "a" * 64]
)
def test_good_names_are_accepted(name: str) -> None:
    assert check_name(name) == name


def endpoints_for(tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "trackers.db"
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        f"tracker_store:\n  type: sql\n  dialect: sqlite\n  db: {db}\n", encoding="utf-8"
    )
    return endpoints, db


def command(endpoints: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_PYTHON), "-m", "staff.accounts", "--endpoints", str(endpoints), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
        check=False,
    )


def test_the_command_adds_lists_and_removes_accounts(tmp_path: Path) -> None:
    endpoints, db = endpoints_for(tmp_path)

    added = command(endpoints, "add", "alice", "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert "Created 'alice'" in added.stdout
    engine = sa.create_engine(f"sqlite:///{db}")
    assert verify(engine, "alice", PASSWORD) is True
    assert stored_hash(engine, "alice").startswith("$argon2id$")

    again = command(
        endpoints, "add", "alice", "--password-stdin", stdin="another long passphrase\n"
    )
    assert again.returncode == 0 and "New password for 'alice'" in again.stdout
    assert verify(engine, "alice", "another long passphrase") is True
    command(endpoints, "add", "bob", "--password-stdin", stdin=PASSWORD + "\n")

    listed = command(endpoints, "list")
    assert listed.returncode == 0 and listed.stdout.split() == ["alice", "bob"]

    removed = command(endpoints, "remove", "alice")
    assert removed.returncode == 0, removed.stderr
    assert account_names(engine) == ["bob"]
    missing = command(endpoints, "remove", "alice")
    assert missing.returncode == 1 and "No account 'alice'" in missing.stderr


def test_the_command_refuses_a_short_password_and_a_bad_name(tmp_path: Path) -> None:
    endpoints, db = endpoints_for(tmp_path)

    short = command(endpoints, "add", "alice", "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and str(MIN_PASSWORD_CHARS) in short.stderr
    bad = command(endpoints, "add", "x", "--password-stdin", stdin=PASSWORD + "\n")
    assert bad.returncode == 2 and "account name" in bad.stderr
    engine = sa.create_engine(f"sqlite:///{db}")
    create_tables(engine)
    assert account_names(engine) == []
    empty = command(endpoints, "list")
    assert empty.returncode == 0 and "No staff accounts yet." in empty.stdout


def test_the_command_needs_a_sql_tracker_store(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "action_endpoint:\n  url: http://localhost:5055/webhook\n", encoding="utf-8"
    )
    result = command(endpoints, "list")
    assert result.returncode == 2 and "tracker_store" in result.stderr

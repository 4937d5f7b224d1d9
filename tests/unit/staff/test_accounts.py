"""Staff accounts, their roles and argon2id passwords (staff/accounts.py), and its command."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from clinic.settings import PROJECT_ROOT
from staff.accounts import (
    ADMIN,
    MIN_PASSWORD_CHARS,
    STAFF,
    AccountError,
    account,
    account_names,
    add_account,
    check_name,
    remove_account,
    set_password,
    set_role,
    verify,
)
from staff.db import ACCOUNTS, KNOWN_ADDRESSES, RECOVERY_CODES, create_tables
from staff.sign_in import open_session, session_for
from staff.throttle import signed_in
from staff.two_factor import confirm, is_on, pending_secret
from tests.unit.staff.helpers import NOW
from tests.unit.staff.totp import code_at

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
    assert confirm(engine, "alice", code_at(pending_secret(engine, "alice"), NOW), now=NOW)
    signed_in(engine, "alice", "198.51.100.20", now=NOW)

    assert remove_account(engine, "alice") is True
    assert remove_account(engine, "alice") is False, "already gone"
    assert verify(engine, "alice", PASSWORD) is False
    assert session_for(engine, token) is None
    assert account_names(engine) == ["bob"]
    with engine.connect() as connection:
        for table in (RECOVERY_CODES, KNOWN_ADDRESSES):
            left = connection.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            assert left == 0, f"{table.name} keeps nothing of alice"


def test_new_accounts_are_staff_unless_made_administrators(engine: sa.engine.Engine) -> None:
    add_account(engine, "alice", PASSWORD)
    add_account(engine, "bob", PASSWORD, role=ADMIN)
    assert getattr(account(engine, "alice"), "role", None) == STAFF
    found = account(engine, "bob")
    assert found is not None and found.is_admin and not found.two_factor
    with pytest.raises(AccountError):
        add_account(engine, "carol", PASSWORD, role="owner")
    assert account(engine, "carol") is None


def test_in_the_console_an_administrator_always_remains(engine: sa.engine.Engine) -> None:
    add_account(engine, "alice", PASSWORD, role=ADMIN)
    add_account(engine, "bob", PASSWORD, role=ADMIN)
    add_account(engine, "carol", PASSWORD)

    with pytest.raises(AccountError, match="your own"):
        set_role(engine, "alice", STAFF, by="alice")
    with pytest.raises(AccountError, match="your own"):
        remove_account(engine, "alice", by="alice")
    set_role(engine, "bob", STAFF, by="alice")
    set_role(engine, "carol", ADMIN, by="alice")
    remove_account(engine, "carol", by="alice")
    # alice is now the only administrator: bob can't be given the chance to undo that.
    with pytest.raises(AccountError, match="only administrator"):
        set_role(engine, "alice", STAFF, by="bob")
    with pytest.raises(AccountError, match="only administrator"):
        remove_account(engine, "alice", by="bob")
    assert getattr(account(engine, "alice"), "role", None) == ADMIN
    # The command line (by=None) may: whoever runs the assistant decides.
    set_role(engine, "alice", STAFF)
    assert getattr(account(engine, "alice"), "role", None) == STAFF


def test_a_password_reset_signs_the_account_out(engine: sa.engine.Engine) -> None:
    add_account(engine, "alice", PASSWORD, role=ADMIN)
    token = open_session(engine, "alice")
    set_password(engine, "alice", "a brand new passphrase")
    assert verify(engine, "alice", "a brand new passphrase")
    assert session_for(engine, token) is None
    assert getattr(account(engine, "alice"), "role", None) == ADMIN, "the role stays"
    with pytest.raises(AccountError):
        set_password(engine, "nobody", "a brand new passphrase")
    with pytest.raises(AccountError):
        set_password(engine, "alice", "short")


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
    assert "Created 'alice', an administrator" in added.stdout, "the first account"
    engine = sa.create_engine(f"sqlite:///{db}")
    assert verify(engine, "alice", PASSWORD) is True
    assert stored_hash(engine, "alice").startswith("$argon2id$")

    again = command(
        endpoints, "add", "alice", "--password-stdin", stdin="another long passphrase\n"
    )
    assert again.returncode == 0 and "New password for 'alice'" in again.stdout
    assert verify(engine, "alice", "another long passphrase") is True
    bob = command(endpoints, "add", "bob", "--password-stdin", stdin=PASSWORD + "\n")
    assert "Created 'bob' (staff)." in bob.stdout, "an administrator exists: staff"

    listed = command(endpoints, "list")
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == [
        "alice\tadministrator\ttwo-factor off",
        "bob\tstaff\ttwo-factor off",
    ]

    removed = command(endpoints, "remove", "alice")
    assert removed.returncode == 0, removed.stderr
    assert account_names(engine) == ["bob"]
    missing = command(endpoints, "remove", "alice")
    assert missing.returncode == 1 and "No account 'alice'" in missing.stderr


def test_the_command_gives_and_takes_the_administrator_role(tmp_path: Path) -> None:
    endpoints, db = endpoints_for(tmp_path)
    command(endpoints, "add", "alice", "--password-stdin", stdin=PASSWORD + "\n")
    command(endpoints, "add", "bob", "--password-stdin", stdin=PASSWORD + "\n")
    carol = command(endpoints, "add", "carol", "--admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert carol.returncode == 0 and "an administrator" in carol.stdout
    engine = sa.create_engine(f"sqlite:///{db}")

    made = command(endpoints, "role", "bob", "admin")
    assert made.returncode == 0 and "'bob' is now administrator" in made.stdout
    taken = command(endpoints, "role", "alice", "staff")
    assert taken.returncode == 0
    roles = {name: getattr(account(engine, name), "role", None) for name in account_names(engine)}
    assert roles == {"alice": STAFF, "bob": ADMIN, "carol": ADMIN}
    # A new password keeps the role.
    command(endpoints, "add", "bob", "--password-stdin", stdin="yet another passphrase\n")
    assert getattr(account(engine, "bob"), "role", None) == ADMIN

    wrong = command(endpoints, "role", "nobody", "admin")
    assert wrong.returncode == 2 and "no account 'nobody'" in wrong.stderr


def test_the_command_resets_a_lost_phones_two_factor(tmp_path: Path) -> None:
    endpoints, db = endpoints_for(tmp_path)
    command(endpoints, "add", "alice", "--password-stdin", stdin=PASSWORD + "\n")
    engine = sa.create_engine(f"sqlite:///{db}")
    assert confirm(engine, "alice", code_at(pending_secret(engine, "alice"), NOW), now=NOW)
    assert "two-factor on" in command(endpoints, "list").stdout

    reset = command(endpoints, "reset-two-factor", "alice")
    assert reset.returncode == 0, reset.stderr
    assert not is_on(engine, "alice")
    assert "two-factor off" in command(endpoints, "list").stdout


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

"""Staff accounts: made and removed by a command, passwords hashed with argon2id.

There is no default account and no default password. `make staff-user
NAME=…` asks for the password twice (or reads one line from stdin with
`--password-stdin`, for scripts) and stores only its argon2id hash.

    python -m staff.accounts add NAME [--password-stdin] [--display-name "Anna"]
    python -m staff.accounts display-name NAME "Anna"
    python -m staff.accounts remove NAME
    python -m staff.accounts list
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from clinic.tracker_db import TrackerDatabaseError
from staff.db import ACCOUNTS, SESSIONS, console_engine

MIN_PASSWORD_CHARS = 12
MAX_DISPLAY_NAME_CHARS = 40
# What a visitor reads for a member of staff who has not chosen a name: never the login.
NO_DISPLAY_NAME = "the clinic team"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")
_HASHER = PasswordHasher()  # argon2id with the library's current recommended cost
# Verified against when the account doesn't exist, so both take the same time.
_NO_ACCOUNT_HASH = _HASHER.hash("no such account")


class AccountError(ValueError):
    """A name or password the console can't accept; the message says why."""


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise AccountError(
            "An account name is 2–64 letters, digits, dots, dashes, underscores or @."
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"Use at least {MIN_PASSWORD_CHARS} characters for a staff password.")
    return password


def add_account(engine: sa.engine.Engine, name: str, password: str) -> bool:
    """Create the account, or set a new password; True when it was new."""
    check_name(name)
    hashed = _HASHER.hash(check_password(password))
    with engine.begin() as connection:
        exists = connection.execute(
            sa.select(ACCOUNTS.c.name).where(ACCOUNTS.c.name == name)
        ).first()
        if exists:
            connection.execute(
                sa.update(ACCOUNTS).where(ACCOUNTS.c.name == name).values(password_hash=hashed)
            )
            connection.execute(sa.delete(SESSIONS).where(SESSIONS.c.account == name))
            return False
        connection.execute(
            sa.insert(ACCOUNTS).values(name=name, password_hash=hashed, created=time.time())
        )
        return True


def check_display_name(display_name: str) -> str:
    """A name visitors may read: 1–40 printable characters, spaces tidied."""
    cleaned = " ".join(display_name.split())
    if not cleaned or len(cleaned) > MAX_DISPLAY_NAME_CHARS or not cleaned.isprintable():
        raise AccountError(
            f"A display name is 1–{MAX_DISPLAY_NAME_CHARS} characters, e.g. 'Anna' or 'Dr Shah'."
        )
    return cleaned


def set_display_name(engine: sa.engine.Engine, name: str, display_name: str) -> bool:
    """The name live-chat visitors see for account `name`; False if there is no such account."""
    cleaned = check_display_name(display_name)
    with engine.begin() as connection:
        found = connection.execute(
            sa.update(ACCOUNTS).where(ACCOUNTS.c.name == name).values(display_name=cleaned)
        )
    return bool(found.rowcount)


def display_name_of(engine: sa.engine.Engine, name: str) -> str | None:
    """The account's display name, or None if it has not chosen one."""
    with engine.connect() as connection:
        found = connection.execute(
            sa.select(ACCOUNTS.c.display_name).where(ACCOUNTS.c.name == name)
        ).scalar()
    return str(found) if found else None


def display_names(engine: sa.engine.Engine) -> dict[str, str]:
    """Every account's display name, where it has one (for figures per member of staff)."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(ACCOUNTS.c.name, ACCOUNTS.c.display_name).where(
                ACCOUNTS.c.display_name.is_not(None)
            )
        ).all()
    return {row.name: row.display_name for row in rows}


def remove_account(engine: sa.engine.Engine, name: str) -> bool:
    """Delete the account and sign it out everywhere; False if there was none."""
    with engine.begin() as connection:
        connection.execute(sa.delete(SESSIONS).where(SESSIONS.c.account == name))
        return bool(connection.execute(sa.delete(ACCOUNTS).where(ACCOUNTS.c.name == name)).rowcount)


def account_names(engine: sa.engine.Engine) -> list[str]:
    with engine.connect() as connection:
        return list(
            connection.execute(sa.select(ACCOUNTS.c.name).order_by(ACCOUNTS.c.name)).scalars()
        )


def verify(engine: sa.engine.Engine, name: str, password: str) -> bool:
    """The password is this account's; takes as long when the account doesn't exist."""
    with engine.connect() as connection:
        stored = connection.execute(
            sa.select(ACCOUNTS.c.password_hash).where(ACCOUNTS.c.name == name)
        ).scalar()
    try:
        _HASHER.verify(stored or _NO_ACCOUNT_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    if stored is None:
        return False
    if _HASHER.check_needs_rehash(stored):
        with engine.begin() as connection:
            connection.execute(
                sa.update(ACCOUNTS)
                .where(ACCOUNTS.c.name == name)
                .values(password_hash=_HASHER.hash(password))
            )
    return True


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Again: ") != first:
        raise AccountError("The two passwords differ; nothing was changed.")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--endpoints", default="endpoints.yml", type=Path)
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create an account or set a new password")
    add.add_argument("name")
    add.add_argument("--password-stdin", action="store_true")
    add.add_argument("--display-name", help="the name live-chat visitors see, e.g. 'Anna'")
    shown = commands.add_parser("display-name", help="set the name live-chat visitors see")
    shown.add_argument("name")
    shown.add_argument("display_name")
    remove = commands.add_parser("remove", help="delete an account")
    remove.add_argument("name")
    commands.add_parser("list", help="list account names")
    args = parser.parse_args(argv)
    try:
        engine = console_engine(args.endpoints)
        if args.command == "list":
            print("\n".join(account_names(engine)) or "No staff accounts yet.")
        elif args.command == "remove":
            if not remove_account(engine, args.name):
                print(f"No account {args.name!r}.", file=sys.stderr)
                return 1
            print(f"Removed {args.name!r} and signed it out.")
        elif args.command == "display-name":
            if not set_display_name(engine, args.name, args.display_name):
                print(f"No account {args.name!r}.", file=sys.stderr)
                return 1
            print(f"Visitors now see {args.name!r} as {check_display_name(args.display_name)!r}.")
        else:
            check_name(args.name)
            shown_as = check_display_name(args.display_name) if args.display_name else None
            created = add_account(engine, args.name, _read_password(args.password_stdin))
            if shown_as:
                set_display_name(engine, args.name, shown_as)
            print(f"{'Created' if created else 'New password for'} {args.name!r}.")
    except (AccountError, TrackerDatabaseError) as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

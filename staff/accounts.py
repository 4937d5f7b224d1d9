"""Staff accounts and their roles: passwords hashed with argon2id.

There is no default account and no default password. The first account is
made at the command line and is an administrator: administrators manage
accounts in the console (add, new password, remove, give or take the
administrator role) and may delete conversations; staff read, review and
chat. `make staff-user NAME=…` asks for the password twice (or reads one
line from stdin with `--password-stdin`, for scripts) and stores only its
argon2id hash.

    python -m staff.accounts add NAME [--admin] [--password-stdin] [--display-name "Anna"]
    python -m staff.accounts role NAME admin|staff
    python -m staff.accounts reset-two-factor NAME
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
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from clinic.tracker_db import TrackerDatabaseError
from staff.db import (
    ACCOUNTS,
    KNOWN_ADDRESSES,
    RECOVERY_CODES,
    SESSIONS,
    SIGN_IN_FAILURES,
    console_engine,
)
from staff.two_factor import switch_off

ADMIN = "admin"
STAFF = "staff"
ROLES = {ADMIN: "administrator", STAFF: "staff"}
MIN_PASSWORD_CHARS = 12
MAX_DISPLAY_NAME_CHARS = 40
# What a visitor reads for a member of staff who has not chosen a name: never the login.
NO_DISPLAY_NAME = "the clinic team"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")
_HASHER = PasswordHasher()  # argon2id with the library's current recommended cost
# Verified against when the account doesn't exist, so both take the same time.
_NO_ACCOUNT_HASH = _HASHER.hash("no such account")


class AccountError(ValueError):
    """A name, password or change the console can't accept; the message says why."""


@dataclass(frozen=True)
class Account:
    """A staff member as the console shows them (never their password or secrets)."""

    name: str
    role: str
    two_factor: bool
    created: float

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


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


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError("A role is admin or staff.")
    return role


def add_account(
    engine: sa.engine.Engine, name: str, password: str, role: str | None = None
) -> bool:
    """Create the account (staff unless `role` says), or set a new password and sign it
    out everywhere (and set `role` when given); True when it was new."""
    check_name(name)
    if role is not None:
        check_role(role)
    hashed = _HASHER.hash(check_password(password))
    with engine.begin() as connection:
        exists = connection.execute(
            sa.select(ACCOUNTS.c.name).where(ACCOUNTS.c.name == name)
        ).first()
        if exists:
            changes = {"password_hash": hashed, **({"role": role} if role else {})}
            connection.execute(sa.update(ACCOUNTS).where(ACCOUNTS.c.name == name).values(changes))
            connection.execute(sa.delete(SESSIONS).where(SESSIONS.c.account == name))
            return False
        connection.execute(
            sa.insert(ACCOUNTS).values(
                name=name, password_hash=hashed, created=time.time(), role=role or STAFF
            )
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


def set_password(engine: sa.engine.Engine, name: str, password: str) -> None:
    """A new password for an existing account, which is signed out everywhere."""
    if account(engine, name) is None:
        raise AccountError(f"There is no account {name!r}.")
    add_account(engine, name, password)


def _refuse_unless_an_admin_stays(
    connection: sa.engine.Connection, name: str, by: str | None, doing: str
) -> None:
    """The console's rules for removing an account or taking its administrator role:
    not one's own (another administrator can), and never the last administrator."""
    if by is None:
        return  # the command line: whoever runs the assistant decides
    if by == name:
        raise AccountError(f"You can't {doing} your own account: ask another administrator.")
    admins = connection.execute(
        sa.select(ACCOUNTS.c.name).where(ACCOUNTS.c.role == ADMIN).with_for_update()
    ).scalars()
    if set(admins) <= {name}:
        raise AccountError(f"{name} is the only administrator: make someone else one first.")


def set_role(engine: sa.engine.Engine, name: str, role: str, by: str | None = None) -> None:
    """Give or take the administrator role. `by` is the administrator doing it in the
    console (None at the command line), who can't take their own or the last one's."""
    check_role(role)
    with engine.begin() as connection:
        if role == STAFF:
            _refuse_unless_an_admin_stays(connection, name, by, "take the administrator role of")
        changed = connection.execute(
            sa.update(ACCOUNTS).where(ACCOUNTS.c.name == name).values(role=role)
        ).rowcount
    if not changed:
        raise AccountError(f"There is no account {name!r}.")


def remove_account(engine: sa.engine.Engine, name: str, by: str | None = None) -> bool:
    """Delete the account and sign it out everywhere; False if there was none.

    `by` as for `set_role`: in the console nobody removes themselves or the last
    administrator."""
    with engine.begin() as connection:
        _refuse_unless_an_admin_stays(connection, name, by, "remove")
        connection.execute(sa.delete(SESSIONS).where(SESSIONS.c.account == name))
        connection.execute(sa.delete(RECOVERY_CODES).where(RECOVERY_CODES.c.account == name))
        connection.execute(sa.delete(KNOWN_ADDRESSES).where(KNOWN_ADDRESSES.c.account == name))
        connection.execute(
            sa.delete(SIGN_IN_FAILURES).where(SIGN_IN_FAILURES.c.account == name.lower())
        )
        return bool(connection.execute(sa.delete(ACCOUNTS).where(ACCOUNTS.c.name == name)).rowcount)


def _account(row: sa.engine.Row) -> Account:
    return Account(
        name=row.name, role=row.role, two_factor=row.totp_secret is not None, created=row.created
    )


_COLUMNS = (ACCOUNTS.c.name, ACCOUNTS.c.role, ACCOUNTS.c.totp_secret, ACCOUNTS.c.created)


def account(engine: sa.engine.Engine, name: str) -> Account | None:
    with engine.connect() as connection:
        row = connection.execute(sa.select(*_COLUMNS).where(ACCOUNTS.c.name == name)).first()
    return _account(row) if row else None


def accounts(engine: sa.engine.Engine) -> list[Account]:
    """Every account, by name."""
    with engine.connect() as connection:
        rows = connection.execute(sa.select(*_COLUMNS).order_by(ACCOUNTS.c.name)).all()
    return [_account(row) for row in rows]


def account_names(engine: sa.engine.Engine) -> list[str]:
    return [found.name for found in accounts(engine)]


def has_admin(engine: sa.engine.Engine) -> bool:
    with engine.connect() as connection:
        return bool(
            connection.execute(sa.select(sa.exists().where(ACCOUNTS.c.role == ADMIN))).scalar()
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


def _describe(found: Account) -> str:
    two_factor = "two-factor on" if found.two_factor else "two-factor off"
    return f"{found.name}\t{ROLES[found.role]}\t{two_factor}"


def _add(engine: sa.engine.Engine, name: str, admin: bool, from_stdin: bool) -> str:
    """`add`: the first account, or one made with --admin, is an administrator."""
    check_name(name)
    existing = account(engine, name)
    role = ADMIN if admin or (existing is None and not has_admin(engine)) else None
    created = add_account(engine, name, _read_password(from_stdin), role)
    if not created:
        return f"New password for {name!r}" + (" (now an administrator)." if role else ".")
    if role == ADMIN:
        return (
            f"Created {name!r}, an administrator: at the first sign-in the console asks "
            "them to set up two-factor sign-in with an authenticator app."
        )
    return f"Created {name!r} (staff)."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--endpoints", default="endpoints.yml", type=Path)
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser(
        "add",
        help="create an account (the first one is an administrator) or set a new password",
    )
    add.add_argument("name")
    add.add_argument("--admin", action="store_true", help="make it an administrator")
    add.add_argument("--password-stdin", action="store_true")
    add.add_argument("--display-name", help="the name live-chat visitors see, e.g. 'Anna'")
    shown = commands.add_parser("display-name", help="set the name live-chat visitors see")
    shown.add_argument("name")
    shown.add_argument("display_name")
    role = commands.add_parser("role", help="make an account an administrator, or staff")
    role.add_argument("name")
    role.add_argument("role", choices=sorted(ROLES))
    reset = commands.add_parser(
        "reset-two-factor", help="switch off two-factor sign-in (a lost phone)"
    )
    reset.add_argument("name")
    remove = commands.add_parser("remove", help="delete an account")
    remove.add_argument("name")
    commands.add_parser("list", help="list accounts, their roles and two-factor")
    args = parser.parse_args(argv)
    try:
        engine = console_engine(args.endpoints)
        if args.command == "list":
            print("\n".join(map(_describe, accounts(engine))) or "No staff accounts yet.")
        elif args.command == "remove":
            if not remove_account(engine, args.name):
                print(f"No account {args.name!r}.", file=sys.stderr)
                return 1
            print(f"Removed {args.name!r} and signed it out.")
        elif args.command == "role":
            set_role(engine, args.name, args.role)
            print(f"{args.name!r} is now {ROLES[args.role]}.")
        elif args.command == "reset-two-factor":
            if account(engine, args.name) is None:
                raise AccountError(f"There is no account {args.name!r}.")
            switch_off(engine, args.name)
            print(f"Two-factor sign-in is off for {args.name!r}; they can set it up again.")
        elif args.command == "display-name":
            if not set_display_name(engine, args.name, args.display_name):
                print(f"No account {args.name!r}.", file=sys.stderr)
                return 1
            print(f"Visitors now see {args.name!r} as {check_display_name(args.display_name)!r}.")
        else:
            shown_as = check_display_name(args.display_name) if args.display_name else None
            print(_add(engine, args.name, args.admin, args.password_stdin))
            if shown_as:
                set_display_name(engine, args.name, shown_as)
    except (AccountError, TrackerDatabaseError) as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The console's account tables as they were before roles and two-factor sign-in (issue 23).

A database made by that console: accounts with no role, sessions with no
stage, and the old throttle's table. The migration in staff/db.py must bring
it up to date with every account still signing in.

The old tables are the real ones (staff/db.py) with only the columns they had
then, so their types and keys stay those of the tables the migration completes.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from staff.db import ACCOUNTS, SESSIONS


def _like(column: sa.Column[Any]) -> sa.Column[Any]:
    """A column of an older table like `column` (`Column.copy()` is deprecated)."""
    default = column.default.arg if column.default is not None else None
    return sa.Column(
        column.name,
        column.type,
        primary_key=column.primary_key,
        nullable=column.nullable,
        index=column.index,
        default=default,
    )


def older(table: sa.Table, metadata: sa.MetaData, columns: list[str]) -> sa.Table:
    """`table` as an older console made it, with only `columns` (names of its own)."""
    return sa.Table(table.name, metadata, *(_like(table.c[name]) for name in columns))


OLD = sa.MetaData()
OLD_ACCOUNTS = older(ACCOUNTS, OLD, ["name", "password_hash", "created"])
OLD_SESSIONS = older(SESSIONS, OLD, ["token_hash", "account", "csrf_token", "created", "expires"])
# A table the console no longer has: the migration drops it.
OLD_LOGIN_FAILURES = sa.Table(
    "staff_login_failures",
    OLD,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(128), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
)


def old_console(
    engine: sa.engine.Engine, accounts: dict[str, tuple[str, float]], sessions: dict[str, str]
) -> None:
    """The old tables, with `accounts` (name: (argon2 hash, created)) and `sessions`
    (token hash: account) that last until 2096, and one old failure row."""
    OLD.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            sa.insert(OLD_ACCOUNTS),
            [
                {"name": name, "password_hash": hashed, "created": created}
                for name, (hashed, created) in accounts.items()
            ],
        )
        for token_hash, account in sessions.items():
            connection.execute(
                sa.insert(OLD_SESSIONS).values(
                    token_hash=token_hash,
                    account=account,
                    csrf_token="old-csrf-token",
                    created=1.0,
                    expires=4_000_000_000.0,
                )
            )
        connection.execute(sa.insert(OLD_LOGIN_FAILURES).values(key="account:alice", at=1.0))

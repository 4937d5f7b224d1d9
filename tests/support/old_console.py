"""The console's account tables as they were before roles and two-factor sign-in (issue 23).

A database made by that console: accounts with no role, sessions with no
stage, and the old throttle's table. The migration in staff/db.py must bring
it up to date with every account still signing in.
"""

from __future__ import annotations

import sqlalchemy as sa

OLD = sa.MetaData()
OLD_ACCOUNTS = sa.Table(
    "staff_accounts",
    OLD,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
)
OLD_SESSIONS = sa.Table(
    "staff_sessions",
    OLD,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("account", sa.String(64), nullable=False, index=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("expires", sa.Float, nullable=False, index=True),
)
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

"""The console's tables, in the tracker store's database beside Rasa's `events`.

Keeping them in the same database means the embedded default (SQLite) and
production (PostgreSQL, shared by both replicas) need nothing more, and a
conversation's index rows are deleted in the same place as its events.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from clinic.tracker_db import EVENTS, engine_for
from staff.turns import CLICK_PREFIX, HOUR_S, RESOLVING

METADATA = sa.MetaData()

ACCOUNTS = sa.Table(
    "staff_accounts",
    METADATA,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    # "admin" manages accounts and may delete conversations; "staff" read, review and chat.
    sa.Column("role", sa.String(16), nullable=False, server_default="staff"),
    # Two-factor sign-in (staff/two_factor.py): the authenticator's secret once a code
    # confirmed it, the one being set up until then, and the time step of the last
    # code accepted (a code is good once).
    sa.Column("totp_secret", sa.String(64)),
    sa.Column("totp_pending", sa.String(64)),
    sa.Column("totp_last_step", sa.BigInteger),
    # What a live-chat visitor reads ("You're now chatting with Anna"), never the login.
    sa.Column("display_name", sa.String(64)),
)
# A signed-in browser: the cookie holds the token, the table its SHA-256 only.
# `stage` is "code" between a right password and the two-factor code, else "full".
SESSIONS = sa.Table(
    "staff_sessions",
    METADATA,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("account", sa.String(64), nullable=False, index=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("expires", sa.Float, nullable=False, index=True),
    sa.Column("stage", sa.String(8), nullable=False, server_default="full"),
)
# Two-factor recovery codes, shown once; only their SHA-256 is kept (80 random bits each).
RECOVERY_CODES = sa.Table(
    "staff_recovery_codes",
    METADATA,
    sa.Column("code_hash", sa.String(64), primary_key=True),
    sa.Column("account", sa.String(64), nullable=False, index=True),
    sa.Column("created", sa.Float, nullable=False),
)
# Sign-in attempts not (yet) known to be right, for slowing guessing down per
# address and per account (staff/throttle.py). Here, not in memory, so that
# every web-app replica sees the same ones.
SIGN_IN_FAILURES = sa.Table(
    "staff_sign_in_failures",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("account", sa.String(64), nullable=False, index=True),  # as typed, lower-cased
    sa.Column("address", sa.String(64), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
)
# Addresses an account has fully signed in from: failures elsewhere don't slow it there.
KNOWN_ADDRESSES = sa.Table(
    "staff_known_addresses",
    METADATA,
    sa.Column("account", sa.String(64), primary_key=True),
    sa.Column("address", sa.String(64), primary_key=True),
    sa.Column("last_seen", sa.Float, nullable=False),
)
# One row per visitor message: what it was, what the bot did, and how it went.
TURNS = sa.Table(
    "staff_turns",
    METADATA,
    sa.Column("event_id", sa.Integer, primary_key=True),  # the user event's id in `events`
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("intent", sa.String(255)),
    sa.Column("confidence", sa.Float),
    sa.Column("rule", sa.String(64)),  # which understanding rule decided (rasa_ext/nlu)
    sa.Column("model_id", sa.String(64)),
    sa.Column("replies", sa.Text, nullable=False, default="[]"),  # JSON: response names
    sa.Column("reply_text", sa.Text, nullable=False, default=""),
    sa.Column("outcome", sa.String(32), nullable=False, index=True),
    sa.Column("topics", sa.Text, nullable=False, default="[]"),  # JSON: article topics answered
    sa.Column("feedback", sa.String(8)),  # "up" / "down", given on this answer
    sa.Column("feedback_text", sa.Text),
    # What the visitor's next messages said against the answer (staff/turns.py), and
    # whether the turn counts as resolved on the overview (`Turn.resolved`).
    sa.Column("objection", sa.String(16)),
    sa.Column("resolved", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
    # Whether the visitor wrote it, not a button's payload (`Turn.written`): stored, so
    # counting a period's messages reads no text.
    sa.Column("written", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
    # `hour_of(at)`: the overview groups a period's turns by it (staff/insights.py).
    sa.Column("hour", sa.Integer, nullable=False, default=0, server_default="0"),
)
# Turns the visitor wrote (the `written` column).
WRITTEN = TURNS.c.written
# The overview's pass over a period: every column it reads, in the order it groups them
# (hour, outcome). SQLite reads the period from this index alone and sums each group as
# it comes, where grouping by `floor(at / bucket)` sorted the month's turns first.
sa.Index(
    "ix_staff_turns_period",
    TURNS.c.hour,
    TURNS.c.outcome,
    TURNS.c.at,
    TURNS.c.written,
    TURNS.c.resolved,
)
# The rated answers of a period (staff/insights.py, `ratings`) and the latest 👎
# (staff/feedback.py): a month's few ratings without reading the month's turns.
sa.Index("ix_staff_turns_rated", TURNS.c.feedback, TURNS.c.at)
CONVERSATIONS = sa.Table(
    "staff_conversations",
    METADATA,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("first_at", sa.Float, nullable=False),
    sa.Column("last_at", sa.Float, nullable=False, index=True),
    sa.Column("channel", sa.String(64)),
    sa.Column("messages", sa.Integer, nullable=False, default=0),
    sa.Column("planner_started", sa.Boolean, nullable=False, default=False),
    sa.Column("planner_completed", sa.Boolean, nullable=False, default=False),
    # Where the index stopped reading, so the next run carries on: the action whose
    # messages come next, and whether the planner's form is open.
    sa.Column("acting", sa.String(255)),
    sa.Column("in_form", sa.Boolean, nullable=False, default=False),
)
# The overview's conversations begun in a period, counted from this index alone.
sa.Index(
    "ix_staff_conversations_first_at",
    CONVERSATIONS.c.first_at,
    CONVERSATIONS.c.planner_started,
    CONVERSATIONS.c.planner_completed,
)
# How far the index has read `events`.
INDEX_STATE = sa.Table(
    "staff_index_state",
    METADATA,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("last_event_id", sa.Integer, nullable=False),
)
# Staff decisions on groups of unanswered questions, by the group's key text.
DECISIONS = sa.Table(
    "staff_decisions",
    METADATA,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("decision", sa.String(32), nullable=False),  # new_wording / article / dismissed
    sa.Column("topic", sa.String(64)),
    sa.Column("account", sa.String(64), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)
SAFETY_REVIEWS = sa.Table(
    "staff_safety_reviews",
    METADATA,
    sa.Column("event_id", sa.Integer, primary_key=True),  # the turn's user event
    sa.Column("account", sa.String(64), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)

# Callback requests a visitor agreed to leave (actions/callback_form.py), for staff.
CALLBACKS = sa.Table(
    "staff_callbacks",
    METADATA,
    sa.Column("event_id", sa.Integer, primary_key=True),  # the callback_request slot event
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("contact", sa.String(320), nullable=False),
    sa.Column("preferred_time", sa.String(120), nullable=False),
    sa.Column("done_by", sa.String(64)),
    sa.Column("done_at", sa.Float),
)

# Live chat: who is available to take chats, and where each handoff stands.
# Rasa's ConversationPaused/Resumed events say whether a person has the
# conversation; this index adds who took it (staff/live.py claims it here, so
# two members of staff can't take the same visitor) and how it ended.
PRESENCE = sa.Table(
    "staff_presence",
    METADATA,
    sa.Column("account", sa.String(64), primary_key=True),
    sa.Column("available", sa.Boolean, nullable=False, default=False),
    sa.Column("seen_at", sa.Float, nullable=False),  # the live page checks in every few seconds
)
HANDOFFS = sa.Table(
    "staff_handoffs",
    METADATA,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("asked_at", sa.Float, nullable=False, index=True),  # paused, or back in the queue
    sa.Column("channel", sa.String(64)),
    sa.Column("taken_by", sa.String(64)),
    sa.Column("taken_at", sa.Float),
    sa.Column("last_visitor_at", sa.Float),
    sa.Column("ended_at", sa.Float, index=True),
    sa.Column("end_reason", sa.String(32)),  # back / unanswered / restarted / session_expired
)

# Every live chat once it has ended (a conversation's second chat replaces its row in
# `staff_handoffs`): the Live page's missed chats and the Overview's figures.
LIVE_CHATS = sa.Table(
    "staff_live_chats",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("channel", sa.String(64)),
    sa.Column("asked_at", sa.Float, nullable=False, index=True),
    sa.Column("taken_by", sa.String(64)),
    sa.Column("taken_at", sa.Float),
    sa.Column("ended_at", sa.Float, nullable=False),
    sa.Column("end_reason", sa.String(32), nullable=False),
)
# Replies the clinic writes once and staff insert into a live chat.
CANNED_REPLIES = sa.Table(
    "staff_canned_replies",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.String(80), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
)
# When a live-chat visitor last typed (the widget says so every few seconds).
VISITOR_TYPING = sa.Table(
    "staff_visitor_typing",
    METADATA,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("at", sa.Float, nullable=False),
)

# Alerts already emailed (a waiting chat, by conversation and time asked), so two web
# replicas or two runs never send one twice; the first to insert the row sends it.
ALERTS_SENT = sa.Table(
    "staff_alerts_sent",
    METADATA,
    sa.Column("key", sa.String(320), primary_key=True),
    sa.Column("at", sa.Float, nullable=False),
)

# Event ids a database column can hold; any other number names no event at all
# (and would overflow SQLite's integer before the query could say "not found").
EVENT_IDS = range(1, 2**63)

# Tables holding a conversation's data, by their column naming it.
BY_SENDER = (TURNS, CONVERSATIONS, CALLBACKS, HANDOFFS, LIVE_CHATS, VISITOR_TYPING)


def create_tables(engine: sa.engine.Engine) -> None:
    """The console's tables, and Rasa's `events` if no conversation has been stored yet.

    Tables made by an older console get the columns added since (`_migrate`).
    On PostgreSQL, web-app replicas starting together take turns (an advisory
    lock held for the transaction; PostgreSQL's DDL is transactional), so none
    fails on a table or column the other has just made.
    """
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('staff:tables'))"))
        EVENTS.metadata.create_all(connection, tables=[EVENTS])
        METADATA.create_all(connection)
        _migrate(connection)


def _migrate(connection: sa.engine.Connection) -> None:
    """Bring a console database made before roles, two-factor sign-in, display names,
    the resolution of turns, the stored `written` and `hour` and the overview's indexes up
    to date.

    Missing columns are added with their defaults: every existing account
    becomes "staff", every open session "full". Then the oldest account, the
    first one made with `make staff-user`, becomes the administrator, as a
    first account made today would; `python -m staff.accounts role` changes
    it. The old throttle's table (`staff_login_failures`) held nothing worth
    keeping and is dropped.
    """
    inspector = sa.inspect(connection)
    added: set[str] = set()
    for table in (ACCOUNTS, SESSIONS, TURNS):
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                ddl = sa.schema.CreateColumn(column).compile(dialect=connection.dialect)
                connection.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {ddl}"))
                added.add(f"{table.name}.{column.name}")
    if "staff_accounts.role" in added:
        no_admin = ~sa.exists().where(ACCOUNTS.c.role == "admin")
        oldest = sa.select(ACCOUNTS.c.name).order_by(ACCOUNTS.c.created).limit(1)
        connection.execute(
            sa.update(ACCOUNTS)
            .where(ACCOUNTS.c.name == oldest.scalar_subquery(), no_admin)
            .values(role="admin")
        )
    if "staff_turns.resolved" in added:
        # Turns indexed before: resolved as the overview counted them then, less a 👎.
        connection.execute(
            sa.update(TURNS)
            .where(TURNS.c.outcome.in_(RESOLVING), sa.func.coalesce(TURNS.c.feedback, "") != "down")
            .values(resolved=True)
        )
    if "staff_turns.written" in added:
        # Turns indexed before: from their text, as `Turn.written` reads it.
        connection.execute(sa.update(TURNS).values(written=~TURNS.c.text.startswith(CLICK_PREFIX)))
    if "staff_turns.hour" in added:
        # Turns indexed before: `hour_of(at)`, the same floor of the same division.
        hour = sa.cast(sa.func.floor(TURNS.c.at / HOUR_S), sa.Integer)
        connection.execute(sa.update(TURNS).values(hour=hour))
    # `create_all` makes a table's indexes only with the table: add those defined since
    # (after the columns above are filled, so each index is written once).
    for table in METADATA.sorted_tables:
        indexed = {index["name"] for index in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexed:
                index.create(connection)
    if inspector.has_table("staff_login_failures"):
        connection.execute(sa.text("DROP TABLE staff_login_failures"))


def console_engine(endpoints: Path) -> sa.engine.Engine:
    """The tracker store's database, with the console's tables in it."""
    engine = engine_for(endpoints)
    create_tables(engine)
    return engine

"""The console's tables, in the tracker store's database beside Rasa's `events`.

Keeping them in the same database means the embedded default (SQLite) and
production (PostgreSQL, shared by both replicas) need nothing more, and a
conversation's index rows are deleted in the same place as its events.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from clinic.tracker_db import EVENTS, engine_for

METADATA = sa.MetaData()

ACCOUNTS = sa.Table(
    "staff_accounts",
    METADATA,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    # What a live-chat visitor reads ("You're now chatting with Anna"), never the login.
    sa.Column("display_name", sa.String(64)),
)
# A signed-in browser: the cookie holds the token, the table its SHA-256 only.
SESSIONS = sa.Table(
    "staff_sessions",
    METADATA,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("account", sa.String(64), nullable=False, index=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("expires", sa.Float, nullable=False, index=True),
)
# Wrong passwords, per account name and per address, for slowing guessing down.
LOGIN_FAILURES = sa.Table(
    "staff_login_failures",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(128), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
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
)
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
    # messages come next, and whether the planner form is open.
    sa.Column("acting", sa.String(255)),
    sa.Column("in_form", sa.Boolean, nullable=False, default=False),
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

# Columns added to a table after databases were made with it: created_tables adds them.
ADDED_COLUMNS = ((ACCOUNTS, "display_name"),)

# Event ids a database column can hold; any other number names no event at all
# (and would overflow SQLite's integer before the query could say "not found").
EVENT_IDS = range(1, 2**63)

# Tables holding a conversation's data, by their column naming it.
BY_SENDER = (TURNS, CONVERSATIONS, CALLBACKS, HANDOFFS, LIVE_CHATS, VISITOR_TYPING)


def create_tables(engine: sa.engine.Engine) -> None:
    """The console's tables, and Rasa's `events` if no conversation has been stored yet."""
    EVENTS.metadata.create_all(engine, tables=[EVENTS])
    METADATA.create_all(engine)
    add_missing_columns(engine)


def add_missing_columns(engine: sa.engine.Engine) -> None:
    """The migration: `ALTER TABLE … ADD COLUMN` for each of ADDED_COLUMNS a database lacks.

    Each is nullable, so rows made before it read as "not set". Two processes
    starting at once may both try: the loser's error is the column existing.
    """
    inspector = sa.inspect(engine)
    for table, name in ADDED_COLUMNS:
        present = {column["name"] for column in inspector.get_columns(table.name)}
        if name in present:
            continue
        column = table.c[name]
        kind = column.type.compile(dialect=engine.dialect)
        try:
            with engine.begin() as connection:
                connection.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {name} {kind}"))
        except sa.exc.SQLAlchemyError:
            if name not in {c["name"] for c in sa.inspect(engine).get_columns(table.name)}:
                raise


def console_engine(endpoints: Path) -> sa.engine.Engine:
    """The tracker store's database, with the console's tables in it."""
    engine = engine_for(endpoints)
    create_tables(engine)
    return engine

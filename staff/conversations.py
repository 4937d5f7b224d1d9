"""Reading, finding and deleting conversations, on request or past the retention period.

A transcript is read from the tracker store's events of that one conversation
(the Conversations page's list and search are staff/conversation_list.py).
Deleting removes the events and calendar files (clinic/privacy/forget.py) and
the console's rows about it.

    python -m staff.conversations forget SENDER      # what `make forget` runs
    python -m staff.conversations retention [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from clinic import calendars, names
from clinic.privacy.forget import forget
from clinic.settings import load_clinic_settings
from clinic.tracker_db import EVENTS, TrackerDatabaseError
from staff.db import (
    BY_SENDER,
    CONVERSATIONS,
    DECISIONS,
    INDEX_STATE,
    SAFETY_REVIEWS,
    TURNS,
    console_engine,
)
from staff.unanswered import key_of


@dataclass(frozen=True)
class Line:
    """One line of a transcript."""

    at: float
    who: str  # "visitor", "bot", "staff" (live chat), or "event" (planner steps, sessions)
    text: str
    detail: str = ""  # the response or intent behind it
    buttons: tuple[tuple[str, str], ...] = ()  # (title, payload) of each offered with it


def escape_like(text: str) -> str:
    """`text` for a LIKE pattern with `escape="\\"`: its own % and _ match only themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# What each form is, for the transcript's "… started / ended" lines.
FORMS = {names.PLANNER_FORM: "planner", names.FEEDBACK_FORM: "feedback question"}


def _line(data: dict[str, Any], loop: str | None = None) -> Line | None:
    """One transcript line; `loop` is the form that was running before this event."""
    at = float(data.get("timestamp") or 0.0)
    kind = data.get("event")
    if kind == "user":
        intent = (data.get("parse_data") or {}).get("intent") or {}
        return Line(at, "visitor", str(data.get("text") or ""), str(intent.get("name") or ""))
    if kind == "bot":
        metadata = data.get("metadata") or {}
        buttons = tuple(
            (str(b.get("title") or ""), str(b.get("payload") or ""))
            for b in (data.get("data") or {}).get("buttons") or []
            if isinstance(b, dict)
        )
        text = str(data.get("text") or "")
        if metadata.get("staff"):
            return Line(at, "staff", text, str(metadata["staff"]), buttons)
        return Line(at, "bot", text, str(metadata.get("utter_action") or ""), buttons)
    if kind == "active_loop":
        name = data.get("name")
        if name:
            return Line(at, "event", f"{FORMS.get(str(name), str(name))} started")
        return Line(at, "event", f"{FORMS.get(loop or '', loop or 'form')} ended")
    if kind == "session_started":
        return Line(at, "event", "new session")
    if kind == "pause":
        return Line(at, "event", "live chat: waiting for the team (the assistant is silent)")
    if kind == "resume":
        ending = (data.get("metadata") or {}).get("handoff")
        if ending == "unanswered":
            return Line(at, "event", "nobody took the chat: back to the assistant")
        return Line(at, "event", "handed back to the assistant")
    if kind == "restart":
        return Line(at, "event", "restarted")
    return None


def transcript(engine: sa.engine.Engine, sender: str) -> list[Line]:
    """What the visitor and the bot said, in order, with the planner's steps."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(EVENTS.c.data).where(EVENTS.c.sender_id == sender).order_by(EVENTS.c.id)
        ).scalars()
        lines = []
        loop: str | None = None
        for raw in rows:
            try:
                data = json.loads(raw or "{}")
            except ValueError:
                continue
            if not isinstance(data, dict):
                continue
            line = _line(data, loop)
            if data.get("event") == "active_loop":
                loop = data.get("name") or None
            if line is not None:
                lines.append(line)
    return lines


def export(sender: str, lines: list[Line]) -> dict[str, Any]:
    """A conversation for the visitor who asked for it: every line with a readable time.

    `time` is UTC in ISO 8601 (2027-01-15T09:30:12Z), beside the stored `at`; `buttons`
    are the titles of those the bot offered with a line, as the visitor saw them.
    """
    return {
        "conversation": sender,
        "times": "UTC",
        "lines": [
            {
                "time": _iso(line.at),
                **line.__dict__,
                "buttons": [title for title, _ in line.buttons],
            }
            for line in lines
        ],
    }


def channel_of(engine: sa.engine.Engine, sender: str) -> str | None:
    """The channel a conversation came in on, as Rasa names it (`telegram`, `socketio`).

    Read from its first message that names one, so a conversation not yet indexed has it too.
    """
    with engine.connect() as connection:
        found = connection.execute(
            sa.select(EVENTS.c.data)
            .where(EVENTS.c.sender_id == sender, EVENTS.c.type_name == "user")
            .order_by(EVENTS.c.id)
        ).scalars()
        for raw in found:
            try:
                data = json.loads(raw or "{}")
            except ValueError:
                continue
            channel = data.get("input_channel") if isinstance(data, dict) else None
            if channel:
                return str(channel)
    return None


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def delete_conversation(engine: sa.engine.Engine, sender: str, calendars_dir: Path) -> int:
    """Delete a conversation everywhere it is kept; returns the events deleted.

    Its words go from the console's decisions too, and the index's read position
    comes back to the newest event left: SQLite reuses the ids of deleted rows at
    the end of `events` (Rasa's table has no AUTOINCREMENT), and those must be read.
    """
    with engine.begin() as connection:
        turns = connection.execute(
            sa.select(TURNS.c.event_id, TURNS.c.text).where(TURNS.c.sender_id == sender)
        ).all()
        ids = [row.event_id for row in turns]
        keys = sorted({key_of(row.text) for row in turns} - {""})
        for chunk in range(0, len(ids), 500):
            connection.execute(
                sa.delete(SAFETY_REVIEWS).where(
                    SAFETY_REVIEWS.c.event_id.in_(ids[chunk : chunk + 500])
                )
            )
        for chunk in range(0, len(keys), 500):
            connection.execute(
                sa.delete(DECISIONS).where(DECISIONS.c.key.in_(keys[chunk : chunk + 500]))
            )
    deleted = forget(engine, sender, calendars_dir).events
    with engine.begin() as connection:
        for table in BY_SENDER:
            connection.execute(sa.delete(table).where(table.c.sender_id == sender))
        newest = connection.execute(sa.select(sa.func.max(EVENTS.c.id))).scalar() or 0
        connection.execute(
            sa.update(INDEX_STATE)
            .where(INDEX_STATE.c.last_event_id > newest)
            .values(last_event_id=newest)
        )
    return deleted


def expired(engine: sa.engine.Engine, days: int, now: float) -> list[str]:
    """Conversations whose last event is more than `days` old."""
    cutoff = now - days * 86400
    with engine.connect() as connection:
        stored = connection.execute(
            sa.select(EVENTS.c.sender_id)
            .group_by(EVENTS.c.sender_id)
            .having(sa.func.max(EVENTS.c.timestamp) < cutoff)
        ).scalars()
        indexed = connection.execute(
            sa.select(CONVERSATIONS.c.sender_id).where(CONVERSATIONS.c.last_at < cutoff)
        ).scalars()
        active = set(
            connection.execute(
                sa.select(EVENTS.c.sender_id).where(EVENTS.c.timestamp >= cutoff).distinct()
            ).scalars()
        )
        return sorted((set(stored) | set(indexed)) - active)


def apply_retention(engine: sa.engine.Engine, days: int, calendars_dir: Path) -> int:
    """Delete every conversation past the retention period; returns how many.

    Staff decisions older than the period go too: their keys are visitors' words.
    """
    now = time.time()
    senders = expired(engine, days, now)
    for sender in senders:
        delete_conversation(engine, sender, calendars_dir)
    with engine.begin() as connection:
        connection.execute(sa.delete(DECISIONS).where(DECISIONS.c.at < now - days * 86400))
    return len(senders)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--endpoints", default="endpoints.yml", type=Path)
    commands = parser.add_subparsers(dest="command", required=True)
    forget_one = commands.add_parser("forget", help="delete one conversation on request")
    forget_one.add_argument("sender")
    retention = commands.add_parser("retention", help="delete conversations past clinic.yml's")
    retention.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    try:
        engine = console_engine(args.endpoints)
    except TrackerDatabaseError as error:
        print(error, file=sys.stderr)
        return 2
    if args.command == "forget":
        events = delete_conversation(engine, args.sender, calendars.calendar_dir())
        if not events:
            print(f"No stored conversation for {args.sender!r}: nothing deleted.")
            return 1
        print(f"Deleted conversation {args.sender!r} ({events} events) and its calendars.")
        return 0
    days = load_clinic_settings().retention_days
    if args.dry_run:
        count = len(expired(engine, days, time.time()))
        print(f"{count} conversation(s) are older than {days} days.")
        return 0
    count = apply_retention(engine, days, calendars.calendar_dir())
    print(f"Deleted {count} conversation(s) older than {days} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

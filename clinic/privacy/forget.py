"""Delete one visitor's conversation on request: `make forget SENDER=<conversation id>`.

Staff run this when a visitor asks for their data to be erased. It removes
every stored event of that conversation (all sessions) from the tracker store
configured in `endpoints.yml` (SQLite by default, PostgreSQL in production),
and the `.ics` calendars the planner wrote for it. Run it while the bot is
running: a Rasa server that still holds the conversation in its cache
forgets it at its next message (the store sees the events are gone).

    python -m clinic.privacy.forget [--endpoints endpoints.yml] SENDER
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from clinic import calendars
from clinic.tracker_db import EVENTS, TrackerDatabaseError, engine_for

CALENDAR_SLOT = "schedule_calendar"


@dataclass(frozen=True)
class Forgotten:
    """What was deleted."""

    events: int
    calendars: list[Path]


def _read(data: str | None) -> dict[str, object]:
    """An event's JSON; an unreadable one names no calendar (and is deleted all the same)."""
    try:
        loaded = json.loads(data or "{}")
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def forget(engine: sa.engine.Engine, sender: str, calendars_dir: Path) -> Forgotten:
    """Delete `sender`'s events and the calendar files their conversation linked to."""
    with engine.begin() as connection:
        slot_rows = connection.execute(
            sa.select(EVENTS.c.data).where(
                EVENTS.c.sender_id == sender, EVENTS.c.type_name == "slot"
            )
        ).all()
        values = [
            data.get("value")
            for data in (_read(row.data) for row in slot_rows)
            if data.get("name") == CALENDAR_SLOT
        ]
        deleted = connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id == sender))
    removed = []
    for name in sorted(calendars.names_in(values)):
        path = calendars_dir / name
        if path.is_file():
            path.unlink()
            removed.append(path)
    return Forgotten(events=int(deleted.rowcount or 0), calendars=removed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("sender", help="the conversation id (Rasa's sender_id)")
    parser.add_argument("--endpoints", default="endpoints.yml", type=Path)
    args = parser.parse_args(argv)
    try:
        engine = engine_for(args.endpoints)
    except TrackerDatabaseError as error:
        print(error, file=sys.stderr)
        return 2
    result = forget(engine, args.sender, calendars.calendar_dir())
    if not result.events and not result.calendars:
        print(f"No stored conversation for {args.sender!r}: nothing deleted.")
        return 1
    print(
        f"Deleted {result.events} events and {len(result.calendars)} calendar file(s) "
        f"of conversation {args.sender!r}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

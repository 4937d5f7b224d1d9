"""Delete one visitor's conversation on request: `make forget SENDER=<conversation id>`.

Staff run this when a visitor asks for their data to be erased. It removes
every stored event of that conversation (all sessions) from the tracker store
configured in `endpoints.yml` (SQLite by default, PostgreSQL in production),
and the `.ics` calendars the planner wrote for it. Run it while the bot is
running: a Rasa server that still holds the conversation in its cache
forgets it at its next message (the store sees the events are gone).

    python -m clinicbot.forget [--endpoints endpoints.yml] SENDER
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CALENDAR_NAME = re.compile(r"mesotherapy-[A-Za-z0-9_-]{8,64}\.ics")


@dataclass(frozen=True)
class Forgotten:
    """What was deleted."""

    events: int
    calendars: list[Path]


def calendar_names(slot_values: list[Any]) -> set[str]:
    """Calendar file names found in the values the `schedule_calendar` slot held."""
    names: set[str] = set()
    for value in slot_values:
        if isinstance(value, str):
            names.update(CALENDAR_NAME.findall(value))
    return names


def load_tracker_store(endpoints: str) -> Any:
    """The tracker store of `endpoints` (without Rasa's in-memory fail-safe)."""
    # endpoints.yml names ${ACTION_SERVER_TOKEN}; this command never calls the action server.
    os.environ.setdefault("ACTION_SERVER_TOKEN", "unused-by-forget")
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    config = read_endpoint_config(endpoints, "tracker_store")
    if config is None:
        raise SystemExit(f"{endpoints} has no tracker_store: nothing is stored.")
    return TrackerStore.create(config)


def forget(store: Any, sender: str, calendars_dir: Path) -> Forgotten:
    """Delete `sender`'s events from a SQL tracker store and their calendar files."""
    if not hasattr(store, "session_scope") or not hasattr(store, "SQLEvent"):
        raise SystemExit(f"{type(store).__name__} is not a SQL tracker store: delete by hand.")
    event_table = store.SQLEvent
    with store.session_scope() as session:
        slot_rows = (
            session.query(event_table.data)
            .filter(event_table.sender_id == sender, event_table.type_name == "slot")
            .all()
        )
        values = [
            data.get("value")
            for data in (json.loads(row.data) for row in slot_rows)
            if data.get("name") == "schedule_calendar"
        ]
        deleted = session.query(event_table).filter(event_table.sender_id == sender).delete()
        session.commit()
    if hasattr(store, "forget"):
        store.forget(sender)
    removed = []
    for name in sorted(calendar_names(values)):
        path = calendars_dir / name
        if path.is_file():
            path.unlink()
            removed.append(path)
    return Forgotten(events=int(deleted), calendars=removed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sender", help="the conversation id (Rasa's sender_id)")
    parser.add_argument("--endpoints", default="endpoints.yml")
    args = parser.parse_args(argv)

    from actions.calendar_store import calendar_dir

    result = forget(load_tracker_store(args.endpoints), args.sender, calendar_dir())
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

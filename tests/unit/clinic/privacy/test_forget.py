"""Staff can delete one visitor's conversation and calendars; everyone else's stays."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from clinic.calendars import names_in
from clinic.privacy.forget import forget
from rasa_ext.stores.tracker_store import WindowedSQLTrackerStore
from tests.support.servers import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
CALENDAR = "mesotherapy-AbCdEf123456.ics"
OTHER_CALENDAR = "mesotherapy-ZyXwVu654321.ics"


async def _conversation(store: WindowedSQLTrackerStore, sender: str, calendar: str) -> None:
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(UserUttered("my email is jane@example.org", {"name": "inform"}))
    tracker.update(ActionExecuted("action_plan_schedule"))
    tracker.update(BotUttered("here is your plan"))
    tracker.update(SlotSet("schedule_calendar", f"http://localhost:8080/calendars/{calendar}"))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)


def _count(db: Path, sender: str) -> int:
    with sqlite3.connect(db) as connection:
        (count,) = connection.execute(
            "SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)
        ).fetchone()
    return int(count)


async def test_forget_deletes_the_conversation_and_its_calendar_only(tmp_path: Path) -> None:
    db = tmp_path / "trackers.db"
    store = WindowedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    await _conversation(store, "jane", CALENDAR)
    await _conversation(store, "someone-else", OTHER_CALENDAR)
    calendars = tmp_path / "calendars"
    calendars.mkdir()
    (calendars / CALENDAR).write_text("BEGIN:VCALENDAR")
    (calendars / OTHER_CALENDAR).write_text("BEGIN:VCALENDAR")

    result = forget(store.engine, "jane", calendars)

    assert result.events > 0 and result.calendars == [calendars / CALENDAR]
    assert _count(db, "jane") == 0
    assert await store.retrieve("jane") is None, "the running bot's cached tracker is gone too"
    assert _count(db, "someone-else") > 0
    assert (calendars / OTHER_CALENDAR).exists() and not (calendars / CALENDAR).exists()


async def test_make_forget_command_uses_the_tracker_store_from_endpoints(tmp_path: Path) -> None:
    db = tmp_path / "trackers.db"
    store = WindowedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    await _conversation(store, "visitor-42", CALENDAR)
    calendars = tmp_path / "calendars"
    calendars.mkdir()
    (calendars / CALENDAR).write_text("BEGIN:VCALENDAR")
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n"
        "  type: rasa_ext.stores.tracker_store.WindowedSQLTrackerStore\n"
        "  dialect: sqlite\n"
        f"  db: {db}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "CALENDAR_DIR": str(calendars)}
    command = [sys.executable, "-m", "clinic.privacy.forget", "--endpoints", str(endpoints)]
    done = subprocess.run(
        [*command, "visitor-42"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    # the new tracker's first event and the 5 above
    assert "Deleted 6 events and 1 calendar file(s)" in done.stdout
    assert _count(db, "visitor-42") == 0 and not (calendars / CALENDAR).exists()

    again = subprocess.run(
        [*command, "visitor-42"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 1 and "nothing deleted" in again.stdout


def test_an_endpoints_file_without_a_sql_store_is_refused_with_a_reason(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: redis\n  url: localhost\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "clinic.privacy.forget", "--endpoints", str(endpoints), "x"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "not a SQL tracker store" in done.stderr


def test_calendar_names_are_read_from_links_and_paths_only() -> None:
    values = [f"https://bot/calendars/{CALENDAR}", f"/var/calendars/{OTHER_CALENDAR}", None, 3]
    assert names_in(values) == {CALENDAR, OTHER_CALENDAR}
    assert names_in(["../../etc/passwd", "mesotherapy-x.ics"]) == set()

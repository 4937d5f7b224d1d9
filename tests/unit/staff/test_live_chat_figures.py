"""Missed chats and the Overview's live-chat figures (staff/live.py), the display-name
migration (staff/db.py), and what the Live page says outside the live-chat hours."""

from __future__ import annotations

import sqlalchemy as sa

from clinic.handoff.live_chat import LiveChatSettings, parse_live_chat
from staff import accounts, live, rendering
from staff.db import create_tables
from tests.unit.staff.helpers import NOW, store
from tests.unit.staff.test_live import asks_for_a_person, handoff, staff_says


def test_missed_chats_say_why_and_the_figures_count_waits_and_staff(
    engine: sa.engine.Engine,
) -> None:
    taken, nobody, left = (asks_for_a_person(s) for s in ("taken", "nobody", "left"))
    store(engine, taken.take() + nobody.take() + left.take())
    asked = handoff(engine, "taken").asked_at
    assert live.claim(engine, "taken", "anna.reception", asked + 40)
    staff_says(taken, "anna.reception", "Hello")
    taken.add({"event": "resume", "metadata": {"handoff": "back"}})
    nobody.add({"event": "resume", "metadata": {"handoff": "unanswered"}})
    left.user("/restart", "restart")
    left.add({"event": "restart"})
    store(engine, taken.take() + nobody.take() + left.take())
    handoff(engine, "taken")

    missed = {chat.sender_id: chat.reason for chat in live.missed_chats(engine, NOW - 60)}
    assert missed == {"nobody": "nobody took it", "left": "the visitor left"}
    found = live.figures(engine, NOW - 60, NOW + 86400, {"anna.reception": "Anna"})
    assert (found.chats, found.taken, found.missed) == (3, 1, 2)
    assert (found.missed_nobody, found.missed_left) == (1, 1)
    assert found.handled_by == [("Anna", 1)]
    assert found.median_wait_s == found.longest_wait_s == 40
    assert live.figures(engine, NOW + 86400, NOW + 90000).chats == 0


def test_a_second_chat_in_one_conversation_is_counted_apart(engine: sa.engine.Engine) -> None:
    visit = asks_for_a_person("twice")
    visit.add({"event": "resume", "metadata": {"handoff": "unanswered"}})
    store(engine, visit.take())
    handoff(engine, "twice")
    visit.user("a person please", "request_human")
    visit.add({"event": "pause"})
    visit.add({"event": "resume", "metadata": {"handoff": "unanswered"}}, 5)
    store(engine, visit.take())
    handoff(engine, "twice")
    assert live.figures(engine, NOW - 60, NOW + 86400).missed == 2


def test_an_old_accounts_table_gets_the_display_name_column(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "CREATE TABLE staff_accounts (name VARCHAR(64) PRIMARY KEY, "
                "password_hash VARCHAR(255) NOT NULL, created FLOAT NOT NULL)"
            )
        )
        connection.execute(sa.text("INSERT INTO staff_accounts VALUES ('ben', 'x', 1.0)"))
    create_tables(engine)
    create_tables(engine)  # a second start changes nothing
    assert accounts.display_name_of(engine, "ben") is None
    assert accounts.set_display_name(engine, "ben", "  Dr   Shah ")
    assert accounts.display_name_of(engine, "ben") == "Dr Shah"


def _live_page(settings: LiveChatSettings, available: bool, open_now: bool) -> str:
    return (
        rendering.templates()
        .get_template("live.html")
        .render(
            clinic_name="Clinic",
            account="anna",
            csrf_token="t",
            path="/staff/live",
            available=available,
            settings=settings,
            open_now=open_now,
            missed=[],
            missed_days=7,
            display_name=None,
            notice="",
        )
    )


def test_outside_the_hours_the_live_page_says_no_chat_will_be_offered() -> None:
    settings = parse_live_chat({"hours": {"monday": "09:00-17:30"}})
    closed = _live_page(settings, available=True, open_now=False)
    assert "no chat will be offered to visitors now" in closed
    assert "You are <strong>available</strong>" not in closed
    assert "Monday 09:00–17:30" in closed
    opened = _live_page(settings, available=True, open_now=True)
    assert "You are <strong>available</strong>" in opened
    assert "no chat will be offered" not in opened

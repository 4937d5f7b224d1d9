"""Finding, reading and deleting conversations (staff/conversations.py)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from clinic.tracker_db import EVENTS
from staff.conversation_list import Filters, conversation_page
from staff.conversations import (
    apply_retention,
    channel_of,
    delete_conversation,
    expired,
    export,
    transcript,
)
from staff.db import CONVERSATIONS, DECISIONS, METADATA, TURNS
from staff.indexer import index_new_events
from staff.unanswered import decide, unanswered_groups
from tests.unit.staff.helpers import DAY, NOW, Visit, planning, store, turns

CALENDAR = "mesotherapy-AbCdEf123456.ics"


def asked(engine: sa.engine.Engine, sender: str, at: float, *texts: str) -> None:
    visit = Visit(sender, at).start()
    for text in texts:
        visit.ask(text, "faq", "utter_faq/not_in_article")
    store(engine, visit.take())


def event_count(engine: sa.engine.Engine, sender: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).where(EVENTS.c.sender_id == sender)
            ).scalar_one()
        )


def staff_rows(engine: sa.engine.Engine, sender: str) -> int:
    with engine.connect() as connection:
        return sum(
            int(
                connection.execute(
                    sa.select(sa.func.count()).where(table.c.sender_id == sender)
                ).scalar_one()
            )
            for table in (TURNS, CONVERSATIONS)
        )


# --- search -------------------------------------------------------------------------------


@pytest.fixture
def searchable(engine: sa.engine.Engine) -> sa.engine.Engine:
    asked(engine, "conv-percent", NOW - 5 * DAY, "Is it 100% safe?")
    asked(engine, "conv-hundred", NOW - 4 * DAY, "is 100 enough", "and 1000?")
    asked(engine, "conv-under", NOW - 3 * DAY, "what about a_b")
    asked(engine, "conv-axb", NOW - 2 * DAY, "what about axb")
    asked(engine, "conv-slash", NOW - DAY, r"is it a\b thing")
    index_new_events(engine)
    return engine


def found_ids(engine: sa.engine.Engine, words: str) -> list[str]:
    return [f.sender_id for f in conversation_page(engine, Filters(words=words)).rows]


def test_search_finds_conversations_by_the_visitors_words(searchable: sa.engine.Engine) -> None:
    assert found_ids(searchable, "safe") == ["conv-percent"]
    assert found_ids(searchable, "IS IT 100") == ["conv-percent"], "case doesn't matter"
    assert found_ids(searchable, "100") == ["conv-hundred", "conv-percent"], "newest first"
    assert found_ids(searchable, "lip fillers") == []


def test_search_takes_like_wildcards_literally(searchable: sa.engine.Engine) -> None:
    assert found_ids(searchable, "100%") == ["conv-percent"]
    assert found_ids(searchable, "%") == ["conv-percent"]
    assert found_ids(searchable, "a_b") == ["conv-under"]
    assert found_ids(searchable, "_") == ["conv-under"]
    assert found_ids(searchable, "a\\b") == ["conv-slash"]


def test_search_finds_a_conversation_by_its_exact_id(searchable: sa.engine.Engine) -> None:
    assert found_ids(searchable, "conv-under") == ["conv-under"]
    assert found_ids(searchable, "  conv-under ") == ["conv-under"]
    assert found_ids(searchable, "conv-unde") == [], "an id is matched whole"


def test_a_search_result_says_how_long_and_how_recent(searchable: sa.engine.Engine) -> None:
    (found,) = conversation_page(searchable, Filters(words="1000")).rows
    assert found.sender_id == "conv-hundred"
    assert found.messages == 2
    assert (found.first_message, found.matching) == ("is 100 enough", "and 1000?")
    assert found.last_at >= max(t.at for t in turns(searchable, "conv-hundred"))


def test_an_empty_search_lists_the_latest_conversations(searchable: sa.engine.Engine) -> None:
    assert found_ids(searchable, "") == [
        "conv-slash",
        "conv-axb",
        "conv-under",
        "conv-hundred",
        "conv-percent",
    ]
    assert found_ids(searchable, "   ")[:2] == ["conv-slash", "conv-axb"]
    assert len(conversation_page(searchable, Filters(), per_page=2).rows) == 2


# --- transcript ---------------------------------------------------------------------------


def test_a_transcript_is_every_line_in_order(engine: sa.engine.Engine) -> None:
    visit = Visit("v1", NOW).start()
    visit.ask("what is mesotherapy", "faq", "utter_faq/what_is", "Mesotherapy is…")
    visit.user("lip fillers?", "nlu_fallback", 0.3)
    visit.add({"event": "action", "name": "action_default_ask_affirmation"})
    visit.add(
        {
            "event": "bot",
            "text": "Did you mean…?",
            "data": {
                "buttons": [
                    {"title": "What is mesotherapy?", "payload": "/faq/what_is"},
                    {"title": "Something else", "payload": "/out_of_scope"},
                ]
            },
            "metadata": {},
        },
        0.1,
    )
    visit.listen()
    planning(visit, completed=True)
    visit.add({"event": "pause"})
    visit.add({"event": "resume"})
    visit.add({"event": "restart"})
    rows = visit.take()
    rows.insert(6, {"sender_id": "v1", "type_name": "bot", "timestamp": NOW, "data": "{oops"})
    store(engine, rows)
    asked(engine, "someone-else", NOW, "does it hurt")

    lines = transcript(engine, "v1")

    assert [(line.who, line.text, line.detail) for line in lines] == [
        ("event", "new session", ""),
        ("bot", "I'm an automated assistant…", "utter_privacy_notice"),
        ("visitor", "what is mesotherapy", "faq"),
        ("bot", "Mesotherapy is…", "utter_faq/what_is"),
        ("visitor", "lip fillers?", "nlu_fallback"),
        ("bot", "Did you mean…?", ""),
        ("visitor", "plan my sessions", "request_schedule"),
        ("event", "planner started", ""),
        ("bot", "When would you like to start?", "utter_ask_start_date"),
        ("visitor", "next monday", "inform"),
        ("event", "planner ended", ""),
        ("bot", "Your plan: 6 sessions", ""),
        ("event", "live chat: waiting for the team (the assistant is silent)", ""),
        ("event", "handed back to the assistant", ""),
        ("event", "restarted", ""),
    ]
    assert lines[5].buttons == (
        ("What is mesotherapy?", "/faq/what_is"),
        ("Something else", "/out_of_scope"),
    )
    assert [line.buttons for line in lines if line is not lines[5]] == [()] * (len(lines) - 1)
    times = [line.at for line in lines]
    assert times == sorted(times) and times[0] == rows[1]["timestamp"]
    assert transcript(engine, "nobody") == []
    exported = export("v1", lines)["lines"]
    assert exported[5]["text"] == "Did you mean…?"
    assert exported[5]["buttons"] == ["What is mesotherapy?", "Something else"]
    assert json.loads(json.dumps(exported)) == exported


def test_a_conversation_is_on_the_channel_of_its_first_message(engine: sa.engine.Engine) -> None:
    visit = Visit("on-telegram", NOW).start()
    visit.ask("what is mesotherapy", "faq", "utter_faq/what_is")
    rows = visit.take()
    for row in rows:
        data = json.loads(row["data"])
        if data["event"] == "user":
            row["data"] = json.dumps({**data, "input_channel": "telegram"})
    store(engine, rows)
    store(engine, Visit("on-the-site", NOW).start().ask("hi", "greet", "utter_greet").take())

    assert channel_of(engine, "on-telegram") == "telegram"
    assert channel_of(engine, "on-the-site") == "socketio"
    assert channel_of(engine, "nobody") is None


# --- deleting -----------------------------------------------------------------------------


def with_calendar(
    engine: sa.engine.Engine, sender: str, calendar: str, at: float, text: str
) -> None:
    visit = Visit(sender, at).start()
    visit.ask(text, "faq", "utter_faq/price")
    planning(visit, completed=True)
    visit.add({"event": "slot", "name": "schedule_calendar", "value": f"/calendars/{calendar}"})
    store(engine, visit.take())


def test_deleting_a_conversation_removes_its_events_index_rows_and_calendar(
    engine: sa.engine.Engine, tmp_path: Path
) -> None:
    calendars = tmp_path / "calendars"
    calendars.mkdir()
    other_calendar = "mesotherapy-ZyXwVu654321.ics"
    (calendars / CALENDAR).write_text("BEGIN:VCALENDAR")
    (calendars / other_calendar).write_text("BEGIN:VCALENDAR")
    with_calendar(engine, "jane", CALENDAR, NOW - DAY, "i'm jane, how much is it")
    with_calendar(engine, "someone-else", other_calendar, NOW - DAY, "how much is it")
    index_new_events(engine)
    jane_events, others_events = event_count(engine, "jane"), event_count(engine, "someone-else")
    others_rows = staff_rows(engine, "someone-else")

    assert delete_conversation(engine, "jane", calendars) == jane_events

    assert event_count(engine, "jane") == 0 and staff_rows(engine, "jane") == 0
    assert transcript(engine, "jane") == [] and found_ids(engine, "jane") == []
    assert found_ids(engine, "how much is it") == ["someone-else"]
    assert event_count(engine, "someone-else") == others_events
    assert staff_rows(engine, "someone-else") == others_rows > 0
    assert not (calendars / CALENDAR).exists() and (calendars / other_calendar).exists()
    assert delete_conversation(engine, "jane", calendars) == 0, "nothing left to delete"


def test_conversations_after_a_deleted_one_are_still_indexed(
    engine: sa.engine.Engine, tmp_path: Path
) -> None:
    # The visitor who wrote last asks for their conversation to be deleted; then
    # someone else writes. SQLite gives `events` rows (`id INTEGER PRIMARY KEY`,
    # as Rasa creates the table) the largest id + 1, so the deleted ids come back.
    asked(engine, "v0", NOW - 2 * DAY, "what is it")
    asked(engine, "v1", NOW - DAY, "is it safe")
    index_new_events(engine)
    delete_conversation(engine, "v1", tmp_path)
    asked(engine, "v2", NOW, "does it hurt")
    index_new_events(engine)
    assert [t.sender_id for t in turns(engine)] == ["v0", "v2"]


def test_a_deleted_visitors_words_are_kept_nowhere(
    engine: sa.engine.Engine, tmp_path: Path
) -> None:
    # Staff dismissed the group this visitor's message was in, before the visitor
    # asked for their conversation to be deleted.
    visit = Visit("jane", NOW - DAY).start()
    visit.ask(
        "call me on 07700 900123 about lip fillers",
        "nlu_fallback",
        None,
        action="action_default_fallback",
    )
    store(engine, visit.take())
    index_new_events(engine)
    (group,) = unanswered_groups(engine, NOW - 7 * DAY, NOW)
    decide(engine, group.keys, "dismissed", "alice", NOW)

    delete_conversation(engine, "jane", tmp_path)

    with engine.connect() as connection:
        kept = {
            table.name: [
                json.dumps([str(v) for v in row])
                for row in connection.execute(sa.select(table)).all()
            ]
            for table in [*METADATA.sorted_tables, EVENTS]
        }
    assert not [name for name, rows in kept.items() if any("07700 900123" in r for r in rows)]
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(DECISIONS)).scalar() == 0


def test_a_conversation_with_an_unreadable_event_can_still_be_deleted(
    engine: sa.engine.Engine, tmp_path: Path
) -> None:
    asked(engine, "v1", NOW - DAY, "is it safe")
    store(engine, [{"sender_id": "v1", "type_name": "slot", "timestamp": NOW, "data": "{oops"}])
    index_new_events(engine)
    deleted = delete_conversation(engine, "v1", tmp_path)
    assert event_count(engine, "v1") == 0 and deleted > 0
    assert staff_rows(engine, "v1") == 0


# --- retention ----------------------------------------------------------------------------


def test_expired_are_the_conversations_whose_last_event_is_too_old(
    engine: sa.engine.Engine,
) -> None:
    asked(engine, "old", NOW - 40 * DAY, "is it safe")
    asked(engine, "recent", NOW - DAY, "does it hurt")
    asked(engine, "long", NOW - 45 * DAY, "what is it")
    asked(engine, "long", NOW - 2 * DAY, "and the price")  # came back: not expired
    asked(engine, "edge", NOW - 30 * DAY + 100, "hello")  # started 30 days ago, just inside
    index_new_events(engine)
    with engine.connect() as connection:
        edge_last = connection.execute(
            sa.select(sa.func.max(EVENTS.c.timestamp)).where(EVENTS.c.sender_id == "edge")
        ).scalar_one()
    assert edge_last > NOW - 30 * DAY

    assert expired(engine, 30, NOW) == ["old"]
    assert expired(engine, 30, edge_last + 30 * DAY + 1) == ["edge", "old"]
    assert expired(engine, 60, NOW) == []
    assert expired(engine, 1, NOW + DAY) == ["edge", "long", "old", "recent"]


def test_a_conversation_only_left_in_the_index_expires_too(engine: sa.engine.Engine) -> None:
    asked(engine, "gone", NOW - 40 * DAY, "is it safe")
    index_new_events(engine)
    with engine.begin() as connection:  # its events deleted some other way
        connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id == "gone"))
    assert expired(engine, 30, NOW) == ["gone"]


def test_retention_deletes_only_the_expired_conversations(
    engine: sa.engine.Engine, tmp_path: Path
) -> None:
    now = time.time()
    asked(engine, "old", now - 40 * DAY, "is it safe")
    asked(engine, "recent", now - DAY, "does it hurt")
    asked(engine, "long", now - 45 * DAY, "what is it")
    asked(engine, "long", now - 2 * DAY, "and the price")
    index_new_events(engine)
    kept = {sender: event_count(engine, sender) for sender in ("recent", "long")}

    assert apply_retention(engine, 30, tmp_path) == 1

    assert event_count(engine, "old") == 0 and staff_rows(engine, "old") == 0
    assert {sender: event_count(engine, sender) for sender in kept} == kept
    assert staff_rows(engine, "recent") > 0 and staff_rows(engine, "long") > 0
    assert [t.text for t in turns(engine, "long")] == ["what is it", "and the price"]
    assert apply_retention(engine, 30, tmp_path) == 0


def test_the_feedback_question_is_not_shown_as_the_planner(engine: sa.engine.Engine) -> None:
    visit = Visit("v-feedback", NOW).start()
    visit.ask("what is mesotherapy", "faq", "utter_faq/what_is", "Mesotherapy is…")
    visit.user("/feedback_down", "feedback_down", 1.0)
    visit.add({"event": "active_loop", "name": "feedback_form"}, 0.0)
    visit.user("the price", "faq", 0.5)
    visit.add({"event": "active_loop", "name": None}, 0.0)
    store(engine, visit.take())

    events = [line.text for line in transcript(engine, "v-feedback") if line.who == "event"]

    assert events == ["new session", "feedback question started", "feedback question ended"]

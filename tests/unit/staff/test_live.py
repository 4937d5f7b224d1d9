"""Live chat in the console's index and state (staff/indexer.py, staff/live.py).

Handoffs are written into `events` as Rasa stores them (pause, the visitor's
messages, staff messages as bot events with `staff` metadata, resume); the
index must follow Rasa's own pause flag, including the silent un-pauses of a
restart and a session start.
"""

from __future__ import annotations

import sqlalchemy as sa

from clinic.handoff.live_chat import parse_live_chat
from staff import live
from staff.conversations import delete_conversation, transcript
from staff.db import HANDOFFS
from staff.indexer import index_new_events
from staff.turns import WITH_STAFF
from tests.unit.staff.helpers import NOW, Visit, store, turn

ALWAYS_OPEN = parse_live_chat(
    {
        "hours": {
            day: "00:00-23:59"
            for day in (
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
            )
        },
        "wait_minutes": 2,
    }
)


def asks_for_a_person(sender: str) -> Visit:
    visit = Visit(sender, NOW).start()
    visit.ask("what is mesotherapy", "faq", "utter_faq/what_is")
    visit.user("can I talk to someone?", "request_human")
    visit.bot(
        "action_offer_person", "I'm connecting you with the team…", "utter_handoff_connecting"
    )
    visit.add({"event": "pause"}, 0.0)
    return visit


def staff_says(visit: Visit, account: str, text: str) -> None:
    visit.add({"event": "bot", "text": text, "data": {}, "metadata": {"staff": account}})


def handoff(engine: sa.engine.Engine, sender: str) -> sa.Row:
    index_new_events(engine)
    with engine.connect() as connection:
        row = connection.execute(sa.select(HANDOFFS).where(HANDOFFS.c.sender_id == sender)).one()
    return row


def test_a_pause_opens_a_waiting_chat_and_a_resume_ends_it(engine: sa.engine.Engine) -> None:
    visit = asks_for_a_person("v1")
    store(engine, visit.take())
    waiting = handoff(engine, "v1")
    assert waiting.ended_at is None and waiting.taken_by is None
    assert [c.sender_id for c in live.open_chats(engine)] == ["v1"]
    assert turn(engine, "can I talk to someone?").outcome == "contact"

    assert live.claim(engine, "v1", "anna", NOW + 30)
    assert not live.claim(engine, "v1", "ben", NOW + 31)  # one member of staff per chat
    visit.user("is it safe for me?", "faq")
    staff_says(visit, "anna", "Hello, Anna here. Tell me more?")
    visit.add({"event": "resume", "metadata": {"handoff": "back", "staff": "anna"}})
    store(engine, visit.take())

    ended = handoff(engine, "v1")
    assert ended.taken_by == "anna" and ended.end_reason == "back" and ended.ended_at
    assert live.open_chats(engine) == []
    # Written while a person had the chat: not the bot's, and not an unanswered question.
    during = turn(engine, "is it safe for me?")
    assert during.outcome == WITH_STAFF and during.reply_text == ""
    lines = [(line.who, line.text) for line in transcript(engine, "v1")][-3:]
    assert lines == [
        ("visitor", "is it safe for me?"),
        ("staff", "Hello, Anna here. Tell me more?"),
        ("event", "handed back to the assistant"),
    ]


def test_a_restart_or_a_new_session_while_paused_ends_the_chat(engine: sa.engine.Engine) -> None:
    restarted, expired = asks_for_a_person("r"), asks_for_a_person("s")
    restarted.user("/restart", "restart")
    restarted.add({"event": "restart"})
    expired.add({"event": "action", "name": "action_session_start"}, 3700)
    expired.add({"event": "session_started"}, 0.0)
    store(engine, restarted.take() + expired.take())
    assert handoff(engine, "r").end_reason == "restarted"
    assert handoff(engine, "s").end_reason == "session_expired"
    assert live.open_chats(engine) == []


def test_asking_again_after_a_chat_opens_a_new_one(engine: sa.engine.Engine) -> None:
    visit = asks_for_a_person("v")
    visit.add({"event": "resume", "metadata": {"handoff": "unanswered"}})
    store(engine, visit.take())
    assert handoff(engine, "v").end_reason == "unanswered"
    visit.user("a person please", "request_human")
    visit.add({"event": "pause"})
    store(engine, visit.take())
    again = handoff(engine, "v")
    assert again.ended_at is None and again.end_reason is None and again.taken_by is None


def test_only_present_available_staff_within_hours_can_take_chats(
    engine: sa.engine.Engine,
) -> None:
    assert not live.can_take_chats(engine, ALWAYS_OPEN, NOW)  # nobody signed in
    live.check_in(engine, "anna", NOW)  # page open, not marked available
    assert not live.can_take_chats(engine, ALWAYS_OPEN, NOW)
    assert live.check_in(engine, "anna", NOW, available=True)
    assert live.can_take_chats(engine, ALWAYS_OPEN, NOW)
    assert live.check_in(engine, "anna", NOW + 1)  # a check-in keeps the choice
    # The browser closed: no check-in for longer than the timeout.
    assert not live.can_take_chats(engine, ALWAYS_OPEN, NOW + 2 + ALWAYS_OPEN.staff_timeout_s)
    assert not live.can_take_chats(engine, parse_live_chat({"hours": {}}), NOW + 1)
    live.sign_off(engine, "anna")
    assert not live.can_take_chats(engine, ALWAYS_OPEN, NOW + 1)


def test_due_times_out_unanswered_chats_and_requeues_orphans(engine: sa.engine.Engine) -> None:
    store(engine, asks_for_a_person("waits").take() + asks_for_a_person("taken").take())
    index_new_events(engine)
    asked_at = live.chat_of(engine, "waits").asked_at  # type: ignore[union-attr]
    live.check_in(engine, "anna", asked_at, available=True)
    live.check_in(engine, "ben", asked_at, available=True)
    assert live.claim(engine, "taken", "ben", asked_at)

    live.check_in(engine, "anna", asked_at + 60)
    live.check_in(engine, "ben", asked_at + 60)
    assert live.due(engine, ALWAYS_OPEN, asked_at + 60) == live.Due([], [])
    live.check_in(engine, "anna", asked_at + 119)
    # Two minutes without anyone taking it; ben's page has not checked in for 60 s.
    found = live.due(engine, ALWAYS_OPEN, asked_at + 120)
    assert found == live.Due(unanswered=["waits"], orphaned=["taken"])
    live.unclaim(engine, "taken", asked_at + 120)
    requeued = live.chat_of(engine, "taken")
    assert (
        requeued is not None and requeued.taken_by is None and requeued.asked_at == asked_at + 120
    )


def test_a_waiting_chat_with_nobody_available_is_due_at_once(engine: sa.engine.Engine) -> None:
    store(engine, asks_for_a_person("v").take())
    index_new_events(engine)
    at = live.chat_of(engine, "v").asked_at  # type: ignore[union-attr]
    assert live.due(engine, ALWAYS_OPEN, at + 1).unanswered == ["v"]


def test_the_visitor_stops_typing_when_their_message_lands(engine: sa.engine.Engine) -> None:
    store(engine, asks_for_a_person("v1").take())
    index_new_events(engine)
    assert live.visitor_typed(engine, "v1", NOW + 10)
    assert live.visitor_is_typing(engine, "v1", NOW + 11, last_message_at=NOW)

    assert not live.visitor_is_typing(engine, "v1", NOW + 11, last_message_at=NOW + 10.5)
    assert not live.visitor_is_typing(engine, "v1", NOW + 11, last_message_at=NOW + 9.9), (
        "a signal that raced the message it came with"
    )
    assert live.visitor_is_typing(engine, "v1", NOW + 11, last_message_at=NOW + 9.5), (
        "typing again half a second after sending"
    )
    assert live.visitor_typed(engine, "v1", NOW + 13)  # writing the next one
    assert live.visitor_is_typing(engine, "v1", NOW + 14, last_message_at=NOW + 10.5)
    assert not live.visitor_is_typing(engine, "v1", NOW + 13 + live.TYPING_SHOWN_S + 1)
    assert not live.visitor_typed(engine, "nobody", NOW), "outside a live chat: nothing noted"


def test_deleting_the_conversation_deletes_its_handoff(engine: sa.engine.Engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store(engine, asks_for_a_person("v").take())
    index_new_events(engine)
    delete_conversation(engine, "v", tmp_path)
    with engine.connect() as connection:
        assert connection.execute(sa.select(HANDOFFS)).all() == []

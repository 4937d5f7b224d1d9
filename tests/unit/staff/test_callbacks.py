"""Callback requests: kept in the index with consent, their answers kept out of the
unanswered questions, deleted with the conversation; listed for staff longest
waiting first and marked done (staff/callbacks.py)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from staff.callbacks import callback_requests, mark_done
from staff.conversations import delete_conversation
from staff.db import CALLBACKS, TURNS
from staff.indexer import index_new_events
from staff.turns import CALLBACK, CONTACT, UNANSWERED
from tests.unit.staff.helpers import DAY, NOW, Visit, store


def _callback(visit: Visit, value: object) -> Visit:
    visit.user("can someone call me back", "request_callback")
    visit.bot("callback_form", "What name should the team ask for?", "utter_ask_callback_name")
    visit.listen()
    answers = (
        ("Jane", "utter_ask_callback_contact"),
        ("0791112345", "utter_callback_contact_invalid"),  # a digit short: asked again
        ("07911 123456", "utter_ask_callback_time"),
        ("mornings", "utter_ask_callback_consent"),
    )
    for text, response in answers:
        visit.user(text, "nlu_fallback", 0.2)
        visit.bot("callback_form", "…", response)
        visit.listen()
    visit.user("/affirm", "affirm", 1.0)
    visit.add({"event": "action", "name": "action_save_callback"})
    visit.add({"event": "slot", "name": "callback_request", "value": value}, 0.0)
    visit.add(
        {
            "event": "bot",
            "text": "Thank you",
            "data": {},
            "metadata": {"utter_action": "utter_callback_saved"},
        }
    )
    visit.listen()
    return visit


def _outcomes(engine: sa.engine.Engine, sender: str) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(TURNS.c.text, TURNS.c.outcome)
            .where(TURNS.c.sender_id == sender)
            .order_by(TURNS.c.event_id)
        ).all()
    return [(row.text, row.outcome) for row in rows]


def test_a_request_with_consent_is_listed_and_its_answers_are_not_unanswered(
    engine: sa.engine.Engine,
) -> None:
    value = {"name": "Jane", "contact": "+447911123456", "time": "mornings", "consent": True}
    store(engine, _callback(Visit("v-call", NOW).start(), value).take())
    index_new_events(engine)

    with engine.connect() as connection:
        (row,) = connection.execute(sa.select(CALLBACKS)).all()
    assert (row.sender_id, row.name, row.contact, row.preferred_time) == (
        "v-call",
        "Jane",
        "+447911123456",
        "mornings",
    )
    outcomes = _outcomes(engine, "v-call")
    assert outcomes[0] == ("can someone call me back", CONTACT)
    assert {outcome for _, outcome in outcomes[1:]} == {CALLBACK}
    assert not {outcome for _, outcome in outcomes} & UNANSWERED


def test_a_cleared_or_malformed_request_slot_keeps_nothing(engine: sa.engine.Engine) -> None:
    for number, value in enumerate(
        [
            None,
            "Jane",
            {"name": "Jane", "contact": "", "time": "x", "consent": True},
            {"name": "Jane", "contact": "+447911123456", "time": "x"},
        ]
    ):
        store(engine, _callback(Visit(f"v-{number}", NOW).start(), value).take())
    index_new_events(engine)
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(CALLBACKS)).scalar() == 0


def test_deleting_the_conversation_deletes_its_request(
    engine: sa.engine.Engine, tmp_path: Path
) -> None:
    value = {"name": "Jane", "contact": "jane@example.com", "time": "any time", "consent": True}
    store(engine, _callback(Visit("v-gone", NOW).start(), value).take())
    store(engine, _callback(Visit("v-stays", NOW).start(), value).take())
    index_new_events(engine)
    delete_conversation(engine, "v-gone", tmp_path)
    with engine.connect() as connection:
        left = connection.execute(sa.select(CALLBACKS.c.sender_id)).scalars().all()
    assert left == ["v-stays"]


def _requests_from(engine: sa.engine.Engine, *names_and_days: tuple[str, float]) -> dict[str, int]:
    """One request per (name, days ago), each in its own conversation; their event ids."""
    for name, days_ago in names_and_days:
        value = {"name": name, "contact": "+447911123456", "time": "any time", "consent": True}
        store(engine, _callback(Visit(f"v-{name}", NOW - days_ago * DAY).start(), value).take())
    index_new_events(engine)
    return {row.name: row.event_id for row in callback_requests(engine)}


def test_open_requests_are_listed_longest_waiting_first(engine: sa.engine.Engine) -> None:
    _requests_from(engine, ("Cat", 1), ("Ann", 3), ("Bob", 2))
    listed = callback_requests(engine)
    assert [row.name for row in listed] == ["Ann", "Bob", "Cat"]
    assert all(row.done_by is None and row.done_at is None for row in listed)


def test_a_done_request_goes_below_the_open_ones(engine: sa.engine.Engine) -> None:
    ids = _requests_from(engine, ("Cat", 1), ("Ann", 3), ("Bob", 2), ("Dee", 4))
    assert mark_done(engine, ids["Ann"], "reception", NOW)
    assert mark_done(engine, ids["Dee"], "nurse.jo", NOW + 60)
    listed = callback_requests(engine)
    assert [row.name for row in listed] == ["Bob", "Cat", "Dee", "Ann"]
    done = {row.name: (row.done_by, row.done_at) for row in listed}
    assert done == {
        "Bob": (None, None),
        "Cat": (None, None),
        "Dee": ("nurse.jo", NOW + 60),
        "Ann": ("reception", NOW),
    }


def test_the_list_keeps_the_longest_waiting_when_there_are_more_than_the_limit(
    engine: sa.engine.Engine,
) -> None:
    _requests_from(engine, ("Cat", 1), ("Ann", 3), ("Bob", 2))
    assert [row.name for row in callback_requests(engine, limit=2)] == ["Ann", "Bob"]


def test_only_an_existing_request_can_be_marked_done(engine: sa.engine.Engine) -> None:
    ids = _requests_from(engine, ("Ann", 1))
    for event_id in (ids["Ann"] + 10**6, 0, -1, 2**63, 10**20):
        assert not mark_done(engine, event_id, "reception", NOW), event_id
    assert [row.done_by for row in callback_requests(engine)] == [None]

"""Callback requests in the index: kept with consent, their answers kept out of the
unanswered questions, deleted with the conversation."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from staff.conversations import delete_conversation
from staff.db import CALLBACKS, TURNS
from staff.indexer import index_new_events
from staff.turns import CALLBACK, CONTACT, UNANSWERED
from tests.unit.staff.helpers import NOW, Visit, store


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

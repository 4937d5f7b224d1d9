"""The index over events as Rasa 3.6 itself writes them, for the "did you mean…?" step.

The bot's rule runs `action_two_stage_fallback` (data/rules/fallback.yml), a loop
that calls the custom `action_default_ask_affirmation` and
`action_default_ask_rephrase` (actions/clarify.py) itself: Rasa logs only
`ActionExecuted("action_two_stage_fallback")`, then `ActiveLoop`, then the custom
action's `BotUttered`, which has no `utter_action` because actions/clarify.py
sends `text=`; it names itself with `sent_by`, which Rasa keeps in the message's
metadata (rasa/core/actions/two_stage_fallback.py, rasa/core/actions/action.py
`RemoteAction._utter_responses`, rasa/core/processor.py `_log_action_on_tracker`).
Picking a guess ends the loop with `UserUtteranceReverted`, `action_listen` and
a copy of the picked message (`_message_clarification`).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    UserUtteranceReverted,
    UserUttered,
)

from rasa_ext.stores.tracker_store import WindowedSQLTrackerStore
from staff.db import create_tables
from staff.indexer import index_new_events
from staff.turns import ANSWERED, CLARIFY_ACCEPTED, CLARIFY_OFFERED, CLARIFY_REFUSED
from tests.support.servers import ROOT
from tests.unit.staff.helpers import turns

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
UNCLEAR = "do you do lip fillers too"
GUESSES = [
    {"title": "What is mesotherapy?", "payload": "/faq/what_is"},
    {"title": "Something else", "payload": "/out_of_scope"},
]


async def said(store: WindowedSQLTrackerStore, sender: str, events: list[Event]) -> None:
    """One visitor message and what the processor appends for it, saved as Rasa saves it."""
    tracker = await store.get_or_create_tracker(sender)
    for event in events:
        tracker.update(event)
    await store.save(tracker)


def unclear_message() -> list[Event]:
    return [
        UserUttered(UNCLEAR, {"name": "nlu_fallback", "confidence": 0.3}),
        ActionExecuted("action_two_stage_fallback"),
        ActiveLoop("action_two_stage_fallback"),
        BotUttered(
            "Did you mean one of these?",
            data={"buttons": GUESSES},
            metadata={"sent_by": "action_default_ask_affirmation"},
        ),
        ActionExecuted("action_listen"),
    ]


def indexed(db: Path) -> sa.engine.Engine:
    engine = sa.create_engine(f"sqlite:///{db}")
    create_tables(engine)
    index_new_events(engine)
    return engine


async def test_the_two_stage_fallback_offer_is_clarify_offered(tmp_path: Path) -> None:
    store = WindowedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    await said(store, "v1", unclear_message())

    engine = indexed(tmp_path / "t.db")

    (offered,) = turns(engine)
    assert offered.text == UNCLEAR
    assert offered.outcome == CLARIFY_OFFERED


async def test_picking_a_guess_in_the_two_stage_fallback_accepts_it(tmp_path: Path) -> None:
    store = WindowedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    await said(store, "v1", unclear_message())
    picked = UserUttered("/faq/what_is", {"name": "faq", "confidence": 1.0})
    await said(
        store,
        "v1",
        [
            picked,
            ActionExecuted("action_two_stage_fallback"),
            ActiveLoop(None),
            UserUtteranceReverted(),
            ActionExecuted("action_listen"),
            UserUttered("/faq/what_is", {"name": "faq", "confidence": 1.0}),
            ActionExecuted("utter_faq"),
            BotUttered("Mesotherapy is…", metadata={"utter_action": "utter_faq/what_is"}),
            ActionExecuted("action_listen"),
        ],
    )

    engine = indexed(tmp_path / "t.db")

    by_text = {t.text: t for t in turns(engine)}
    assert by_text[UNCLEAR].outcome == CLARIFY_ACCEPTED
    assert any(t.outcome == ANSWERED for t in turns(engine) if t.text == "/faq/what_is")


async def test_something_else_in_the_two_stage_fallback_refuses_the_guesses(
    tmp_path: Path,
) -> None:
    store = WindowedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    await said(store, "v1", unclear_message())
    await said(
        store,
        "v1",
        [
            UserUttered("/out_of_scope", {"name": "out_of_scope", "confidence": 1.0}),
            ActionExecuted("action_two_stage_fallback"),
            BotUttered(
                "Could you say that another way?",
                metadata={"sent_by": "action_default_ask_rephrase"},
            ),
            ActionExecuted("action_listen"),
        ],
    )

    engine = indexed(tmp_path / "t.db")

    by_text = {t.text: t for t in turns(engine)}
    assert by_text[UNCLEAR].outcome == CLARIFY_REFUSED

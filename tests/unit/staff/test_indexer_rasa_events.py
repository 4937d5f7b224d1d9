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

import copy
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
from staff.insights import overview
from staff.turns import (
    ANSWERED,
    CHOICE,
    CLARIFY_ACCEPTED,
    CLARIFY_OFFERED,
    CLARIFY_REFUSED,
    CLARIFY_REPHRASED,
)
from tests.support.servers import ROOT
from tests.unit.staff.helpers import conversation, turns

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
    await said(store, "v1", ended_by(picked, "utter_faq/what_is"))

    engine = indexed(tmp_path / "t.db")

    assert [(t.text, t.outcome) for t in turns(engine)] == [
        (UNCLEAR, CLARIFY_ACCEPTED),
        ("/faq/what_is", ANSWERED),
    ], "the re-told pick is the pick's turn, not a third one"
    assert conversation(engine, "v1").messages == 1, "the visitor wrote one message"


def ended_by(message: UserUttered, response: str) -> list[Event]:
    """A message that ends the loop, Rasa's re-told copy of it, and the answer to the copy.

    The copy is `copy.deepcopy(tracker.latest_message)` (`_message_clarification`):
    the same text and the same timestamp.
    """
    return [
        message,
        ActionExecuted("action_two_stage_fallback"),
        ActiveLoop(None),
        UserUtteranceReverted(),
        ActionExecuted("action_listen"),
        copy.deepcopy(message),
        ActionExecuted("utter_faq"),
        BotUttered("The answer…", metadata={"utter_action": response}),
        ActionExecuted("action_listen"),
    ]


async def test_a_message_typed_after_something_else_counts_once(tmp_path: Path) -> None:
    # "is it vegan" → "did you mean…?" → "Something else" → the visitor types it again.
    store = WindowedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    await said(store, "v1", unclear_message())
    await said(store, "v1", something_else())
    typed = UserUttered("is it vegan friendly", {"name": "faq", "confidence": 0.9})
    await said(store, "v1", ended_by(typed, "utter_faq/ingredients"))

    engine = indexed(tmp_path / "t.db")

    assert [(t.text, t.outcome) for t in turns(engine)] == [
        (UNCLEAR, CLARIFY_REPHRASED),
        ("/out_of_scope", CHOICE),
        ("is it vegan friendly", ANSWERED),
    ]
    assert conversation(engine, "v1").messages == 2
    counts = overview(engine, "day", typed.timestamp + 1).counts
    assert counts["messages"] == 2, "two messages written, one click"
    assert counts["questions"] == 1, "one question, asked twice: counted as the new words"
    assert counts["answered"] == counts["resolved"] == 1
    assert counts["clarify_offered"] == 1


async def test_typing_the_same_words_again_after_a_fallback_is_a_new_message(
    tmp_path: Path,
) -> None:
    # action_default_fallback ends with UserUtteranceReverted too; a visitor who then
    # types the same words again wrote a second message (a later time, not a copy).
    store = WindowedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    for _ in range(2):
        await said(
            store,
            "v1",
            [
                UserUttered("hello??", {"name": "nlu_fallback", "confidence": 0.2}),
                ActionExecuted("action_default_fallback"),
                BotUttered("Sorry, I didn't get that.", metadata={"utter_action": "utter_default"}),
                UserUtteranceReverted(),
                ActionExecuted("action_listen"),
            ],
        )

    engine = indexed(tmp_path / "t.db")

    assert [t.text for t in turns(engine)] == ["hello??", "hello??"]
    assert conversation(engine, "v1").messages == 2


async def test_something_else_in_the_two_stage_fallback_refuses_the_guesses(
    tmp_path: Path,
) -> None:
    store = WindowedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    await said(store, "v1", unclear_message())
    await said(store, "v1", something_else())

    engine = indexed(tmp_path / "t.db")

    by_text = {t.text: t for t in turns(engine)}
    assert by_text[UNCLEAR].outcome == CLARIFY_REFUSED


def something_else() -> list[Event]:
    return [
        UserUttered("/out_of_scope", {"name": "out_of_scope", "confidence": 1.0}),
        ActionExecuted("action_two_stage_fallback"),
        BotUttered(
            "Could you say that another way?",
            metadata={"sent_by": "action_default_ask_rephrase"},
        ),
        ActionExecuted("action_listen"),
    ]

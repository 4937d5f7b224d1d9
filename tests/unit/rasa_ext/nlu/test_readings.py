"""The reader hands the pipeline a message's parts and readings in context, then one decision
to Rasa (the policy that acts on it is tested in tests/unit/rasa_ext/test_policy.py)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from clinic.understanding.context import Move
from rasa_ext.nlu.readings import (
    CONTEXT,
    JOINED,
    MOVE,
    PART,
    REWRITE,
    SWAPPED,
    ReadingCollector,
    ReadingExpander,
    context_of,
    reading_of,
)
from tests.support.servers import ROOT

DOMAIN = Domain.load([str(ROOT / "domain.yml"), str(ROOT / "data" / "responses")])


def _tracker(*events: Any) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("visitor", list(events), slots=DOMAIN.slots)


def _after_an_answer(question: str, response: str) -> DialogueStateTracker:
    return _tracker(
        ActionExecuted("action_listen"),
        UserUttered(question, {"name": "faq"}),
        BotUttered("an answer", metadata={"utter_action": response}),
        ActionExecuted("action_listen"),
    )


def _then(
    tracker: DialogueStateTracker, text: str, intent: str, response: str
) -> DialogueStateTracker:
    """The tracker after one more turn: the visitor's `text`, read as `intent`, and the reply."""
    tracker.update_with_events(
        [
            UserUttered(text, {"name": intent}),
            BotUttered("a reply", metadata={"utter_action": response}),
            ActionExecuted("action_listen"),
        ],
        DOMAIN,
    )
    return tracker


def _classified(text: str, intent: str, confidence: float, answer: str | None = None) -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", [{"name": intent, "confidence": confidence}])
    if answer:
        ranking = [{"intent_response_key": answer, "confidence": 0.95}]
        message.set("response_selector", {"faq": {"ranking": ranking, "response": {}}})
    return message


def test_the_context_is_the_last_answer_and_the_questions_answered_before() -> None:
    tracker = _after_an_answer("what can it treat?", "utter_faq/conditions")
    tracker.update_with_events(
        [
            UserUttered("can i go to the gym after?", {"name": "faq"}),
            BotUttered("an answer", metadata={"utter_action": "utter_faq/exercise_after"}),
            ActionExecuted("action_listen"),
        ],
        DOMAIN,
    )
    context = context_of(tracker)
    assert context.after == "faq/exercise_after" and context.frame == "after"
    assert context.earlier_questions == ("can i go to the gym after?", "what can it treat?")


@pytest.mark.parametrize("aside", ["utter_faq/booking", "utter_faq/contact"])
def test_an_answer_about_the_clinic_s_details_leaves_the_treatment_s_topic_standing(
    aside: str,
) -> None:
    """ "can I do spin after?", "how do I book?", then "so just one day off?": the gym."""
    tracker = _after_an_answer("what can it treat?", "utter_faq/conditions")
    tracker = _then(tracker, "can i do spin after?", "faq", "utter_faq/exercise_after")
    context = context_of(_then(tracker, "how do i book?", "faq", aside))
    assert context.after == "faq/exercise_after"
    assert context.earlier_questions == ("can i do spin after?", "what can it treat?")
    assert context.earlier_answers == ("faq/exercise_after", "faq/conditions")


@pytest.mark.parametrize(
    ("before", "last"),
    [
        ("utter_pregnancy", "utter_faq/contact"),  # a route is no topic to go on with
        ("utter_faq/booking", "utter_faq/contact"),  # nor another aside
        ("utter_faq/exercise_after", "utter_faq/opening_hours"),  # "and saturdays?"
    ],
)
def test_after_a_route_or_an_aside_or_the_opening_hours_the_last_answer_stands(
    before: str, last: str
) -> None:
    tracker = _after_an_answer("a question", before)
    context = context_of(_then(tracker, "another question", "faq", last))
    assert context.after == last.removeprefix("utter_")


def test_after_a_turn_that_answered_no_question_there_is_nothing_to_lean_on() -> None:
    tracker = _after_an_answer("what can it treat?", "utter_faq/conditions")
    assert context_of(_then(tracker, "hello", "greet", "utter_greet")).after is None


@pytest.mark.parametrize(
    ("reply", "intent", "response"),
    [
        ("ok", "affirm", "utter_acknowledge"),
        ("thanks!", "thank", "utter_acknowledge"),
        ("who wins the league this year?", "out_of_scope", "utter_out_of_scope"),
    ],
)
def test_an_ok_thanks_or_declined_aside_leaves_the_answer_before_it_to_lean_on(
    reply: str, intent: str, response: str
) -> None:
    """ "ok", then "actually one more, gym?": still a follow-up of the sun advice."""
    tracker = _after_an_answer("can i go in the sun after?", "utter_faq/sun_after")
    context = context_of(_then(tracker, reply, intent, response))
    assert context.after == "faq/sun_after"
    assert context.earlier_questions == ("can i go in the sun after?",)


@pytest.mark.parametrize(
    "route", ["utter_adverse_reaction", "utter_pregnancy", "utter_request_human"]
)
def test_a_safety_route_or_callback_offer_is_let_go_after_an_ok(route: str) -> None:
    tracker = _after_an_answer("my face is swollen", route)
    assert context_of(_then(tracker, "ok", "affirm", "utter_acknowledge")).after is None


def test_the_did_you_mean_loop_is_no_form_but_the_planner_is() -> None:
    assert not context_of(_tracker(ActiveLoop("action_two_stage_fallback"))).in_form
    assert context_of(_tracker(ActiveLoop("schedule_form"))).in_form


def test_inside_the_form_only_the_parts_of_a_message_are_added_to_the_batch() -> None:
    tracker = _tracker(ActiveLoop("schedule_form"))
    message = Message(data={"text": "tuesdays. and can i go running after?"})
    batch = ReadingExpander({}).process([message], tracker)
    assert [(m.get("text"), m.get(PART)) for m in batch[1:]] == [
        ("tuesdays.", "statement"),
        ("can i go running after?", "question"),
    ]
    one_part = Message(data={"text": "and alcohol?"})
    assert ReadingExpander({}).process([one_part], tracker) == [one_part]


def test_two_questions_and_a_follow_up_are_added_as_parts_of_the_batch() -> None:
    two = ReadingExpander({}).process([Message(data={"text": "what is it and does it hurt?"})])
    assert [m.get("text") for m in two[1:]] == ["what is it", "does it hurt?"]
    tracker = _after_an_answer("can i go to the gym after?", "utter_faq/exercise_after")
    followed = ReadingExpander({}).process([Message(data={"text": "and alcohol?"})], tracker)
    parts = {m.get(PART): m.get("text") for m in followed[1:]}
    assert parts[REWRITE] == "alcohol after the treatment"
    assert parts[JOINED] == "can i go to the gym after and alcohol?"
    tracker = _after_an_answer("can i drink the night before?", "utter_faq/preparation")
    turned = ReadingExpander({}).process([Message(data={"text": "and after?"})], tracker)
    assert {m.get(PART): m.get("text") for m in turned[1:]}[SWAPPED] == "can i drink after"


def test_a_fallback_reading_counts_no_more_than_the_fallback_allowed() -> None:
    message = _classified("hmm", "faq", 0.9, "faq/pain")
    message.set("intent", {"name": "nlu_fallback", "confidence": 0.3})
    reading = reading_of(message)
    assert reading.label == "faq/pain" and reading.confidence == 0.3


@pytest.mark.parametrize(
    ("tracker", "intent"),
    [
        (_tracker(ActionExecuted("action_listen")), "request_schedule"),  # a new visitor
        (_tracker(ActiveLoop("schedule_form")), "inform"),  # answering the planner
        (None, "inform"),  # no conversation to tell
        (_tracker(), "inform"),  # the empty tracker of `rasa test` and /model/parse
    ],
)
def test_a_planner_s_answer_asks_for_a_plan_only_where_no_planner_asked(
    tracker: DialogueStateTracker | None, intent: str
) -> None:
    visitor = _classified("6 sessions from mid april for dull skin", "inform", 0.99)
    ReadingCollector({}).process([visitor], tracker)
    assert visitor.get("intent")["name"] == intent


@pytest.mark.parametrize(
    ("asked", "text", "intent"),
    [
        ("other_treatments", "no peels or laser. no sun holidays either", "inform"),
        ("other_treatments", "can i have a peel after?", "faq"),  # a question: answered
        ("preferred_weekdays", "the sunscreen bit was useful", "faq"),  # no planner value
    ],
)
def test_in_the_planner_a_statement_giving_its_values_is_its_answer(
    asked: str, text: str, intent: str
) -> None:
    tracker = _tracker(ActiveLoop("schedule_form"))
    tracker.update_with_events([SlotSet("requested_slot", asked)], DOMAIN)
    visitor = _classified(text, "faq", 0.9, "faq/other_treatments_after")
    ReadingCollector({}).process([visitor], tracker)
    assert visitor.get("intent")["name"] == intent


def test_the_collector_answers_the_follow_up_and_leaves_one_message() -> None:
    tracker = _after_an_answer("can i go to the gym after?", "utter_faq/exercise_after")
    visitor = _classified("and alcohol?", "faq", 0.5, "faq/preparation")
    visitor.set(CONTEXT, context_of(tracker))
    visitor.set(MOVE, Move("followup", 0.9))
    rewrite = _classified("alcohol after the treatment", "faq", 0.99, "faq/alcohol_after")
    rewrite.set(PART, REWRITE)
    out = ReadingCollector({}).process([visitor, rewrite], tracker)
    assert out == [visitor]
    chosen = visitor.get("response_selector")["faq"]["response"]
    assert chosen["utter_action"] == "utter_faq/alcohol_after"
    assert visitor.get("understanding")["rule"] == "followup"
    assert visitor.get("understanding")["move"] == {"name": "followup", "confidence": 0.9}

"""What the console says happened to a visitor message, from the bot's replies (staff/turns.py)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
import yaml

from clinic.content import load_topics
from clinic.settings import PROJECT_ROOT
from staff.turns import (
    ANSWERED,
    ASIDES,
    CALLBACK,
    CLARIFY_OFFERED,
    CLARIFY_REFUSED,
    CLARIFY_REPHRASED,
    CLINIC_INFO,
    CONTACT,
    FALLBACK,
    FEEDBACK,
    FEEDBACK_ASK,
    NOT_COVERED,
    OTHER,
    OTHER_LANGUAGE,
    OUT_OF_SCOPE,
    PLANNER,
    QUESTIONS,
    RESOLVING,
    SAFETY,
    UNANSWERED,
    Turn,
    article_topics,
    is_choice_of_a_guess,
    outcome_of,
    reply_outcome,
)

TOPICS = load_topics()
BY_COVERAGE = {
    coverage: sorted(name for name, topic in TOPICS.items() if topic.coverage == coverage)
    for coverage in ("article", "not_in_article", "clinic")
}


@pytest.mark.parametrize(
    ("coverage", "outcome"),
    [("article", ANSWERED), ("not_in_article", NOT_COVERED), ("clinic", CLINIC_INFO)],
)
def test_every_faq_answer_counts_as_its_topic_coverage_in_content_topics(
    coverage: str, outcome: str
) -> None:
    names = BY_COVERAGE[coverage]
    assert names, f"content/topics.yml has no {coverage} topic to check"
    assert {name: reply_outcome(f"utter_{name}") for name in names} == dict.fromkeys(names, outcome)


@pytest.mark.parametrize(
    ("reply", "outcome"),
    [
        ("utter_faq/what_is", ANSWERED),
        ("utter_faq/price", NOT_COVERED),
        ("utter_faq/not_in_article", NOT_COVERED),
        ("utter_faq/opening_hours", CLINIC_INFO),
        ("utter_faq/booking", CLINIC_INFO),
        ("utter_pregnancy", SAFETY),
        ("utter_pregnancy_followup", SAFETY),
        ("utter_adverse_reaction", SAFETY),
        ("utter_safety_followup", SAFETY),
        ("utter_request_human", CONTACT),
        ("action_default_ask_affirmation", CLARIFY_OFFERED),
        ("action_default_ask_rephrase", CLARIFY_REFUSED),
        ("action_default_fallback", FALLBACK),
        ("utter_out_of_scope", OUT_OF_SCOPE),
        ("utter_other_language", OTHER_LANGUAGE),
        ("schedule_form", PLANNER),
        ("validate_schedule_form", PLANNER),
        ("action_ask_plan_confirmed", PLANNER),
        ("action_plan_schedule", PLANNER),
        ("utter_greet_first", OTHER),
        ("utter_thank", OTHER),
        ("utter_goodbye", OTHER),
        ("utter_faq/no_such_topic", OTHER),
        ("action_listen", OTHER),
    ],
)
def test_reply_outcome(reply: str, outcome: str) -> None:
    assert reply_outcome(reply) == outcome


def test_the_planner_form_questions_are_planner_steps() -> None:
    # turns.py maps `utter_ask_*` to PLANNER, but that test comes after the
    # `startswith("utter_")` branch, which has already returned OTHER for them.
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    questions = sorted(
        name
        for name in domain["responses"]
        if name.startswith("utter_ask_")
        and name != FEEDBACK_ASK
        and not name.startswith("utter_ask_callback_")
    )
    assert "utter_ask_start_date" in questions
    assert {name: reply_outcome(name) for name in questions} == dict.fromkeys(questions, PLANNER)


def test_the_callback_request_questions_are_callback_steps() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    asked = sorted(name for name in domain["responses"] if "callback" in name)
    assert "utter_ask_callback_contact" in asked and "utter_callback_contact_invalid" in asked
    assert {name: reply_outcome(name) for name in asked} == dict.fromkeys(asked, CALLBACK)


def test_outcome_sets_are_consistent() -> None:
    assert RESOLVING <= QUESTIONS and UNANSWERED - {CLARIFY_REPHRASED} <= QUESTIONS
    assert CLARIFY_REPHRASED not in QUESTIONS, "its new wording is the question"
    assert not RESOLVING & UNANSWERED
    assert not {PLANNER, FEEDBACK, OTHER} & QUESTIONS


@pytest.mark.parametrize(
    ("intent", "replies"),
    [
        ("feedback_up", ["utter_feedback_thanks"]),
        ("feedback_down", ["utter_ask_feedback_text"]),
        ("feedback_up", ["utter_faq/what_is"]),  # the intent decides, whatever was said
        ("feedback_down", []),
    ],
)
def test_feedback_intents_are_feedback(intent: str, replies: list[str]) -> None:
    assert outcome_of(intent, replies) == FEEDBACK
    assert outcome_of(intent, replies, in_planner=True) == FEEDBACK


@pytest.mark.parametrize(
    ("intent", "replies", "outcome"),
    [
        ("faq", ["utter_faq/what_is"], ANSWERED),
        ("faq", ["utter_faq/price"], NOT_COVERED),
        ("faq", ["utter_faq/opening_hours"], CLINIC_INFO),
        ("ask_pregnancy", ["utter_pregnancy"], SAFETY),
        ("report_adverse_reaction", ["utter_adverse_reaction"], SAFETY),
        ("request_human", ["utter_request_human"], CONTACT),
        ("nlu_fallback", ["action_default_ask_affirmation"], CLARIFY_OFFERED),
        ("out_of_scope", ["action_default_ask_rephrase"], CLARIFY_REFUSED),
        ("nlu_fallback", ["action_default_fallback"], FALLBACK),
        ("out_of_scope", ["utter_out_of_scope"], OUT_OF_SCOPE),
        ("greet", ["utter_greet_first"], OTHER),
        ("faq", [], OTHER),
        (None, [], OTHER),
    ],
)
def test_outcome_of_one_reply(intent: str | None, replies: list[str], outcome: str) -> None:
    assert outcome_of(intent, replies) == outcome


@pytest.mark.parametrize(
    ("replies", "outcome"),
    [
        (["utter_privacy_notice", "utter_faq/what_is", "utter_source"], ANSWERED),
        (["utter_privacy_notice", "utter_faq/price"], NOT_COVERED),
        (["utter_privacy_notice", "utter_source", "utter_feedback_thanks"], OTHER),
        (["utter_ask_feedback_text"], OTHER),
    ],
)
def test_asides_say_nothing_about_the_turn(replies: list[str], outcome: str) -> None:
    assert outcome_of("faq", replies) == outcome
    assert set(replies) & ASIDES


def test_asides_alone_in_the_planner_leave_it_a_planner_step() -> None:
    assert outcome_of("inform", ["utter_privacy_notice", "utter_source"], in_planner=True) == (
        PLANNER
    )


@pytest.mark.parametrize(
    ("replies", "outcome"),
    [
        (["utter_faq/what_is", "utter_pregnancy"], SAFETY),
        (["utter_faq/price", "utter_adverse_reaction"], SAFETY),
        (["utter_faq/price", "utter_faq/what_is"], ANSWERED),
        (["utter_faq/opening_hours", "utter_faq/sun_after"], ANSWERED),
        (["action_default_fallback", "utter_faq/what_is"], ANSWERED),
        (["utter_out_of_scope", "utter_faq/price"], NOT_COVERED),
        (["utter_greet_first", "utter_faq/booking"], CLINIC_INFO),
        (["utter_faq/what_is", "utter_request_human"], CONTACT),
        (["utter_pregnancy", "utter_request_human"], SAFETY),
        (["schedule_form", "utter_faq/sun_after"], ANSWERED),
    ],
)
def test_the_reply_that_says_most_wins_in_either_order(replies: list[str], outcome: str) -> None:
    assert outcome_of("faq", replies) == outcome
    assert outcome_of("faq", list(reversed(replies))) == outcome


def test_in_the_planner_small_replies_are_planner_steps_but_answers_stay_answers() -> None:
    assert outcome_of("inform", [], in_planner=True) == PLANNER
    assert outcome_of("inform", ["utter_greet"], in_planner=True) == PLANNER
    assert outcome_of("inform", ["utter_greet"], in_planner=False) == OTHER
    assert outcome_of("faq", ["utter_faq/sun_after"], in_planner=True) == ANSWERED
    assert outcome_of("ask_pregnancy", ["utter_pregnancy"], in_planner=True) == SAFETY


def test_article_topics_are_the_article_answers_in_order_once_each() -> None:
    replies = [
        "utter_privacy_notice",
        "utter_faq/sun_after",
        "utter_faq/price",  # not in the article: no topic
        "utter_faq/opening_hours",  # the clinic's own details: no topic
        "utter_faq/what_is",
        "utter_faq/sun_after",
        "utter_pregnancy",
        "utter_faq/no_such_topic",
    ]
    assert article_topics(replies) == ["sun_after", "what_is"]
    assert article_topics(["utter_faq/price", "utter_faq/pain"]) == []
    assert article_topics([]) == []


def test_a_turn_reads_the_user_event() -> None:
    data = {
        "event": "user",
        "timestamp": 1700000000.5,
        "text": "does it hurt",
        "parse_data": {
            "intent": {"name": "faq", "confidence": "0.75"},
            "understanding": {"rule": "whole"},
        },
        "metadata": {"model_id": "m-1"},
    }
    turn = Turn.from_user_event(42, "v1", data)
    assert (turn.event_id, turn.sender_id, turn.at, turn.text) == (
        42,
        "v1",
        1700000000.5,
        "does it hurt",
    )
    assert (turn.intent, turn.confidence, turn.rule, turn.model_id) == ("faq", 0.75, "whole", "m-1")
    assert turn.outcome == OTHER and turn.replies == []


def test_a_user_event_with_nothing_parsed_is_still_a_turn() -> None:
    turn = Turn.from_user_event(1, "v1", {"event": "user", "parse_data": None, "metadata": None})
    assert (turn.text, turn.intent, turn.confidence, turn.model_id, turn.at) == (
        "",
        None,
        None,
        None,
        0.0,
    )
    odd = Turn.from_user_event(
        2, "v1", {"text": "x", "parse_data": {"intent": {"name": "faq", "confidence": "high"}}}
    )
    assert odd.intent == "faq" and odd.confidence is None


def test_adding_replies_keeps_the_answers_text_and_the_outcome_up_to_date() -> None:
    turn = Turn(event_id=1, sender_id="v1", at=0.0, text="what is it", intent="faq")
    turn.add_reply("utter_privacy_notice", "I'm an automated assistant")
    assert turn.outcome == OTHER and turn.reply_text == ""
    turn.add_reply("utter_faq/what_is", "Mesotherapy is…")
    turn.add_reply("utter_source", "From the clinic's article.")
    assert turn.outcome == ANSWERED
    assert turn.reply_text == "Mesotherapy is…"
    assert turn.replies == ["utter_privacy_notice", "utter_faq/what_is", "utter_source"]
    turn.add_reply("utter_pregnancy", "Please ask the team.")
    assert turn.outcome == SAFETY
    assert turn.reply_text == "Mesotherapy is…\nPlease ask the team."
    assert turn.topics == ["what_is"]


def test_a_turn_row_reads_back_as_the_same_turn() -> None:
    turn = Turn(event_id=7, sender_id="v1", at=12.0, text="plan", intent="request_schedule")
    turn.in_planner = True
    turn.add_reply("schedule_form", "When would you like to start?")
    turn.feedback, turn.feedback_text = "down", "more dates"
    row = turn.row()
    assert json.loads(row["replies"]) == ["schedule_form"] and json.loads(row["topics"]) == []
    back = Turn.from_row(SimpleNamespace(**row))
    assert back == turn


@pytest.mark.parametrize(
    ("text", "chosen"),
    [
        ("/faq/what_is", True),
        ("/ask_pregnancy", True),
        ("/out_of_scope", False),
        ("what is it", False),
    ],
)
def test_a_guess_is_chosen_by_its_button_not_by_something_else(text: str, chosen: bool) -> None:
    assert is_choice_of_a_guess(text) is chosen

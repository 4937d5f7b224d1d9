"""Short follow-ups ("and alcohol?") and the full question they ask after the last answer."""

from __future__ import annotations

import pytest

from clinic.content import load_topics
from clinic.understanding.followups import (
    MAX_FOLLOWUP_WORDS,
    focus_of,
    is_short,
    joined,
    rewrite,
    template_for,
)


@pytest.mark.parametrize(
    ("message", "focus"),
    [
        ("and alcohol?", "alcohol"),
        ("what about the gym", "the gym"),
        ("ok and for stretch marks?", "stretch marks"),
        ("cool, and make-up?", "make-up"),
        ("Thanks! And the sauna?", "the sauna"),
        ("how about sunbeds?", "sunbeds"),
        ("what about with retinol?", "retinol"),
        ("sauna?", "sauna"),
        ("even gentle yoga?", "gentle yoga"),
    ],
)
def test_a_short_follow_up_names_what_changes(message: str, focus: str) -> None:
    assert focus_of(message) == focus


@pytest.mark.parametrize(
    "message",
    [
        "and before?",
        "and afterwards?",
        "what about the day before?",
        "and how often?",
        "and is it painful?",
        "Can I drink alcohol after the treatment?",
    ],
)
def test_a_follow_up_that_says_its_own_question_is_read_as_it_is(message: str) -> None:
    assert focus_of(message) is None


@pytest.mark.parametrize(
    "message", ["really?", "why?", "ok thanks", "thanks", "and me?", "anything else?", "alcohol"]
)
def test_a_short_reply_or_bare_word_is_not_a_follow_up_about_something(message: str) -> None:
    assert focus_of(message) is None


def test_a_long_message_is_not_a_follow_up() -> None:
    message = "what about if im on holiday next week in spain for two weeks"
    assert focus_of(message) is None
    assert not is_short(message)


@pytest.mark.parametrize("message", ["and what about swimming", "ok and how about the gym?"])
def test_and_what_about_opens_a_follow_up(message: str) -> None:
    assert focus_of(message) in ("swimming", "the gym")


@pytest.mark.parametrize(
    ("topic", "message", "question"),
    [
        ("faq/aftercare", "and alcohol?", "alcohol after the treatment"),
        ("faq/sun_after", "what about sunbeds", "sunbeds after the treatment"),
        ("faq/preparation", "and fake tan?", "fake tan before the treatment"),
        ("faq/conditions", "ok and for stretch marks?", "does mesotherapy help with stretch marks"),
        ("faq/sessions_needed", "and for hair loss", "how many sessions for hair loss"),
        ("faq/session_frequency", "and in the summer?", "how often are the sessions in the summer"),
    ],
)
def test_a_follow_up_after_an_answer_reads_as_the_question_its_frame_implies(
    topic: str, message: str, question: str
) -> None:
    answered = load_topics()[topic]
    focus = focus_of(message)
    assert focus is not None
    assert rewrite(focus, template_for(answered.frame, answered.followup)) == question


@pytest.mark.parametrize("topic", ["faq/price", "faq/booking", "ask_pregnancy"])
def test_after_an_answer_without_a_frame_question_nothing_is_rewritten(topic: str) -> None:
    answered = load_topics()[topic]
    assert rewrite("the neck", template_for(answered.frame, answered.followup)) is None


def test_a_topic_s_own_wording_wins_over_its_frame() -> None:
    own = "how often are the sessions {focus}"
    assert template_for("sessions", own) == own
    assert template_for("sessions", None) == "how many sessions for {focus}"
    assert template_for("about", None) is None
    assert template_for(None, None) is None


@pytest.mark.parametrize(
    ("message", "short"),
    [
        ("for how long?", True),
        ("even gentle yoga?", True),
        ("and hot yoga and spin and running too?", False),
        ("ok", False),
        ("cheers", False),
        ("?", False),
    ],
)
def test_only_a_few_words_that_are_not_a_reply_lean_on_the_question_before(
    message: str, short: bool
) -> None:
    assert is_short(message) is short


def test_six_words_is_the_longest_follow_up() -> None:
    assert is_short(" ".join(["sauna"] * MAX_FOLLOWUP_WORDS))
    assert not is_short(" ".join(["sauna"] * (MAX_FOLLOWUP_WORDS + 1)))


def test_a_follow_up_is_read_after_the_question_it_follows() -> None:
    assert joined("can I go in the sun after?", "how long") == "can I go in the sun after how long"
    assert joined("  Can I go to the gym afterwards!  ", " for how long? ") == (
        "Can I go to the gym afterwards for how long?"
    )

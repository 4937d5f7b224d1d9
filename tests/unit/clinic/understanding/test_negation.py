"""A pregnancy mentioned only to be denied leaves the question the visitor really asks."""

from __future__ import annotations

import pytest

from clinic.understanding.negation import pregnancy_denied, without_denial, without_what_is_denied


@pytest.mark.parametrize(
    ("message", "question"),
    [
        ("I'm not pregnant or anything, can I go to spin after?", "can I go to spin after?"),
        ("im not pregnant, just wondering if it hurts", "wondering if it hurts"),
        ("I am no longer breastfeeding, can I have it now?", "can I have it now?"),
        ("Im not breast feeding anymore - is it ok to book?", "is it ok to book?"),
        ("I'm not pregnant and I'm not breastfeeding, can I have it", "can I have it"),
        ("I'm not expecting, so can I go ahead?", "can I go ahead?"),
    ],
)
def test_a_denied_pregnancy_leaves_the_real_question(message: str, question: str) -> None:
    assert pregnancy_denied(message)
    assert without_denial(message) == question


@pytest.mark.parametrize(
    "message",
    [
        "I'm pregnant, can I have it?",
        "Can I have it if I'm pregnant?",
        "I'm not sure if I'm pregnant",
        "I'm not pregnant but could I have it while breastfeeding?",
        "I'm not pregnant yet but we're trying to conceive, is it safe?",
        "I was pregnant last year but I'm not pregnant now, can I have it?",
    ],
)
def test_a_pregnancy_told_doubted_or_still_asked_about_is_not_denied(message: str) -> None:
    assert not pregnancy_denied(message)


def test_someone_else_not_being_pregnant_is_not_the_visitor_s_denial() -> None:
    assert not pregnancy_denied("She's not pregnant, can my wife have it")


def test_trying_for_a_baby_still_asks_about_pregnancy() -> None:
    assert not pregnancy_denied("I'm not pregnant but we're trying for a baby, is it safe?")


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("not the price, the number of sessions", "the number of sessions"),
        ("sorry autocorrect!! I meant rosacea not acne", "autocorrect!! I meant rosacea"),
        ("i meant the gym not the sun", "the gym"),
        ("no I meant after", None),
        ("how many sessions do I need", None),
    ],
)
def test_what_a_message_says_it_doesnt_mean_is_taken_out(text: str, left: str | None) -> None:
    assert without_what_is_denied(text) == left

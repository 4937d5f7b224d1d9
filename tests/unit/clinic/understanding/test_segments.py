"""A visitor's message split into its questions and statements, in the visitor's order."""

from __future__ import annotations

import pytest

from clinic.understanding.segments import (
    MAX_SEGMENTS,
    asks_outright,
    is_question,
    segments_to_read,
    shifts_topic,
    split_message,
    without_acknowledgement,
)


def _texts(message: str) -> list[str]:
    return [segment.text for segment in split_message(message)]


def test_two_questions_joined_by_and_are_two_parts() -> None:
    segments = split_message("what is it and how many sessions do I need?")
    assert [segment.text for segment in segments] == ["what is it", "how many sessions do I need?"]
    assert all(segment.is_question for segment in segments)


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        (
            "what is mesotherapy? also how much does it cost",
            ["what is mesotherapy?", "how much does it cost"],
        ),
        ("whats the price, how long does it last", ["whats the price", "how long does it last"]),
        ("how much is it & how long does it take", ["how much is it", "how long does it take"]),
        ("does it hurt + how much is it", ["does it hurt", "how much is it"]),
        ("can I have it, and if so how often", ["can I have it", "how often"]),
        (
            "when can i go back to the gym, when can i wear makeup again",
            ["when can i go back to the gym", "when can i wear makeup again"],
        ),
        (
            "can I go to the gym after? and how soon can i wear makeup",
            ["can I go to the gym after?", "how soon can i wear makeup"],
        ),
    ],
)
def test_each_way_of_joining_a_new_question_starts_a_part(message: str, parts: list[str]) -> None:
    assert _texts(message) == parts


@pytest.mark.parametrize(
    "message",
    [
        "I have melasma, which my GP says is hormonal",
        "is it suitable for my mum, who is 72?",
        "can u do my neck aswell as my face",
        "I want it on my cheeks and forehead",
    ],
)
def test_a_clause_that_asks_nothing_new_stays_in_its_part(message: str) -> None:
    assert _texts(message) == [message]


def test_a_story_keeps_its_statements_and_its_question_in_order() -> None:
    message = (
        "I had a facial last week. My skin is quite dry. Can I still have mesotherapy next week?"
    )
    segments = split_message(message)
    assert [segment.is_question for segment in segments] == [False, False, True]
    assert all(message[segment.start :].startswith(segment.text) for segment in segments)
    assert [segment.start for segment in segments] == sorted(segment.start for segment in segments)


def test_each_line_of_a_message_is_a_part() -> None:
    message = "Hi\nI had my first session on Monday\nis it normal to feel tender"
    assert _texts(message) == [
        "Hi",
        "I had my first session on Monday",
        "is it normal to feel tender",
    ]
    assert split_message(message)[2].start == message.index("is it normal")


@pytest.mark.parametrize(
    "message",
    [
        "1) does it hurt 2) how long does it take",
        "- does it hurt - is it safe",
        "gym after + sun after?",  # a listed question: each item asks
    ],
)
def test_questions_listed_without_question_marks_are_still_questions(message: str) -> None:
    segments = split_message(message)
    assert len(segments) == 2
    assert all(segment.is_question for segment in segments)


def test_a_list_inside_one_question_is_no_list_of_questions() -> None:
    first, second = split_message("so botox + meso together is ok?")
    assert not first.is_question and second.is_question


@pytest.mark.parametrize(
    "message",
    [
        "I'm 34 and have had acne scarring for years",
        "I've booked in for friday and can't wait",
    ],
)
def test_a_statement_carried_on_after_and_asks_nothing(message: str) -> None:
    assert not any(segment.is_question for segment in split_message(message))


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("whats the price", True),
        ("ok so how long does it take", True),
        ("i was wondering how long it lasts", True),
        ("tell me about the sessions", True),
        ("it's for my neck?", True),
        ("my skin is dull", False),
        ("I'm wondering about the price", False),
        ("I'm on roaccutane", False),
    ],
)
def test_a_question_is_worded_as_one_or_ends_with_a_question_mark(text: str, asks: bool) -> None:
    assert is_question(text) is asks


@pytest.mark.parametrize(
    "message", ["can I drink alcohol after", "so what is it", "hi there", "..."]
)
def test_a_message_of_one_part_has_no_parts_to_read(message: str) -> None:
    assert len(split_message(message)) == 1
    assert segments_to_read(message) == []


def test_a_message_of_only_punctuation_is_kept_whole() -> None:
    assert split_message("  ?!  ")[0].text == "?!"


def test_a_long_story_keeps_its_question_and_the_story_before_it() -> None:
    message = (
        "Hello! I'm 34 with acne scarring. I've tried peels. I've tried microneedling. "
        "Nothing has worked. My friend had meso. She loved it. Honestly I'm desperate. "
        "is it worth trying"
    )
    chosen = segments_to_read(message)
    assert len(split_message(message)) > MAX_SEGMENTS
    assert len(chosen) == MAX_SEGMENTS
    assert chosen[-1].text == "is it worth trying"
    assert [segment.text for segment in chosen[:-1]] == _texts(message)[: MAX_SEGMENTS - 1]
    assert [segment.start for segment in chosen] == sorted(segment.start for segment in chosen)


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("ok and what's it actually good for", "what's it actually good for"),
        ("fair enough. what does it treat", "what does it treat"),
        ("fair. what is it actually, anyway?", "what is it actually, anyway?"),
        ("thanks! and how many would I need?", "how many would I need?"),
        ("ok thanks", None),
        ("okay so how long", None),  # two words: too few to read alone
        ("what's it good for", None),
    ],
)
def test_an_opening_acknowledgement_is_taken_off_a_question(text: str, rest: str | None) -> None:
    assert without_acknowledgement(text) == rest


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("r u even open on saturday", True),
        ("r you open sundays", True),
        ("r is for rosacea", False),
        ("when I started I had acne", False),
    ],
)
def test_text_speak_openings_ask_like_their_words(text: str, asks: bool) -> None:
    assert is_question(text) is asks


@pytest.mark.parametrize(
    ("text", "shifts"),
    [
        ("fine. different thing, which doctors do it?", True),
        ("unrelated but how many sessions do people need", True),
        ("ok will ring them. separate question: can i go running?", True),
        ("a different thing happened to my skin", False),
        ("which doctors do it", False),
    ],
)
def test_a_message_that_says_it_moves_on_is_found(text: str, shifts: bool) -> None:
    assert shifts_topic(text) is shifts


def test_fine_lines_are_no_acknowledgement() -> None:
    assert without_acknowledgement("fine lines around my eyes, can it help") is None
    assert without_acknowledgement("fine. so how many sessions then?") == "how many sessions then?"


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("what time do you close on saturday?", True),
        ("  Could you call after lunch?", True),
        ("any time today", False),
        ("any time after 5?", False),
        ("after 5 is best, what about you", False),
        ("tomorrow morning?", False),
    ],
)
def test_a_question_asked_outright_opens_with_a_question_word_and_ends_with_a_mark(
    text: str, asks: bool
) -> None:
    assert asks_outright(text) is asks

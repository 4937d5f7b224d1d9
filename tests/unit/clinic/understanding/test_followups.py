"""The texts a follow-up is read as: in the last answer's question, joined to it, turned round."""

from __future__ import annotations

import pytest

from clinic.content import load_topics
from clinic.understanding.followups import (
    MAX_FOLLOWUP_WORDS,
    asks_before_the_treatment,
    echoed,
    is_short,
    joined,
    rewrite,
    swapped,
    template_for,
    template_of,
)


def test_a_topic_words_its_follow_ups_as_its_own_question() -> None:
    assert rewrite("and alcohol?", template_of("faq/aftercare")) == "alcohol after the treatment"
    assert rewrite("and rosacea?", template_of("faq/conditions")) == (
        "does mesotherapy help with rosacea"
    )
    assert rewrite("?", template_of("faq/aftercare")) == "? after the treatment"


@pytest.mark.parametrize("label", ["faq/price", "request_human", "nope", None])
def test_a_topic_without_its_own_question_words_nothing(label: str | None) -> None:
    assert rewrite("and alcohol?", template_of(label)) is None


def test_every_topic_question_has_a_place_for_the_follow_up() -> None:
    for topic in load_topics().values():
        if topic.followup:
            assert topic.followup.count("{text}") == 1, topic.name


def test_a_message_naming_its_own_side_of_the_treatment_is_not_worded_in_the_topic_s() -> None:
    # "and after?" after the preparation is not "and after? before the treatment".
    assert rewrite("and after?", template_of("faq/preparation")) is None


def test_a_long_message_is_not_worded_as_the_topic_s_question() -> None:
    assert rewrite("what is mesotherapy and how does it work exactly", "{text} after") is None


@pytest.mark.parametrize(
    ("previous", "text", "turned"),
    [
        ("can I drink alcohol the night before?", "and after?", "can I drink alcohol after"),
        ("what do I do before my appointment", "what about afterwards",
         "what do I do after my appointment"),
        ("can I go in the sun after", "and before?", "can I go in the sun before"),
        # The day of the treatment is its side before; "once it's done" the side after.
        ("Can I wear make-up to my appointment?", "No, I meant once it's done, the same evening",
         "Can I wear make-up after"),
        ("can i wear makeup after?", "sorry, i meant to the appointment itself",
         "can i wear makeup before"),
        # Another day: the same question about that day.
        ("are you open on sundays?", "sorry, saturdays I meant", "are you open on saturdays"),
        ("are you open on Saturday", "not saturday, sunday", "are you open on sunday"),
    ],
)  # fmt: skip
def test_the_other_side_or_another_day_turns_the_last_question_round(
    previous: str, text: str, turned: str
) -> None:
    assert swapped(previous, text) == turned


@pytest.mark.parametrize(
    ("previous", "text"),
    [
        ("how many sessions do I need", "and after?"),  # nothing to turn round
        ("can I drink before", "before and after?"),  # both sides named
        ("can I drink before", "and the gym?"),  # no side named
        ("how many sessions do I need", "sorry, I meant saturdays"),  # no day to change
        ("are you open on saturdays", "and saturdays?"),  # the same day
        ("are you open on sundays", "mondays or tuesdays?"),  # two days: not one correction
    ],
)
def test_nothing_is_turned_round_without_one_side_or_day_to_turn_to(
    previous: str, text: str
) -> None:
    assert swapped(previous, text) is None


def test_a_follow_up_is_read_after_the_question_it_follows() -> None:
    assert joined("can I go in the sun after?", "how long") == "can I go in the sun after how long"


def test_only_short_messages_lean_on_the_last_answer() -> None:
    assert is_short("for how long?")
    assert not is_short("")
    assert not is_short(" ".join(["word"] * (MAX_FOLLOWUP_WORDS + 1)))


def test_a_correction_that_denies_one_side_swaps_to_the_other() -> None:
    asked = "is it ok to have a glass of wine before my meso"
    swapped_to = swapped(asked, "no i meant after, not before")
    assert swapped_to == "is it ok to have a glass of wine after my meso"
    assert swapped(asked, "not after, before") is None  # it already asked about before


@pytest.mark.parametrize(
    ("text", "earlier", "taken_up"),
    [
        # Back past the last question to the one whose words it takes up.
        ("and the roaccutane?", ["what are the benefits", "is it ok if im on roaccutane"], 1),
        ("what about the sun?", ["can I go to the gym after", "can I go in the sun after"], 1),
        # Words of the last question, or words every question uses, point nowhere back.
        ("and the gym, how long?", ["how long no gym?", "what's the aftercare"], None),
        ("and how many sessions?", ["how much is it", "how many sessions do I need"], None),
        ("and alcohol?", ["can I go in the sun after", "what is mesotherapy"], None),
    ],
)
def test_a_follow_up_goes_back_to_the_earlier_question_whose_words_it_takes_up(
    text: str, earlier: list[str], taken_up: int | None
) -> None:
    assert echoed(text, earlier) == taken_up


def test_after_an_uncovered_follow_up_the_question_before_it_frames_the_next() -> None:
    gym, uncovered = "faq/exercise_after", "faq/not_in_article"
    assert template_for(uncovered, (uncovered, gym)) == template_of(gym)
    assert template_for(uncovered, (uncovered,)) is None
    assert template_for(gym, (gym, "faq/conditions")) == template_of(gym)


@pytest.mark.parametrize(
    ("text", "before"),
    [
        ("can I go sunbathing the day before?", True),
        ("should i stay out of the sun before", True),
        ("can I have a chemical peel the week before my meso?", True),
        ("I meant in the week before it, not after", True),
        ("no, before the appointment - can I work out that morning?", True),
        ("how long before I can go in the sun?", False),  # a wait after it
        ("how long should i wait before getting laser done after", False),
        ("can I go to the gym the day after?", False),
        ("is it safe before my holiday?", False),  # before something else
        ("a peel coming up, can I have mesotherapy before it?", False),
    ],
)
def test_a_message_asks_about_the_time_before_the_treatment(text: str, before: bool) -> None:
    assert asks_before_the_treatment(text) is before

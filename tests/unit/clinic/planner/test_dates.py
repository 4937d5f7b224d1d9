"""Dates as visitors say them: one day when the words name one, else a question.

Relative to a fixed today, and across a month's and a year's end.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.planner.date_words import Vague
from clinic.planner.dates import (
    RECENT_PAST_DAYS,
    find_dates,
    find_past_dates,
    find_vague,
    parse_date,
    read_date,
)

TODAY = date(2026, 11, 25)  # a Wednesday
YEAR_END = date(2026, 12, 28)  # a Monday, days before the new year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next Tuesday", date(2026, 12, 1)),
        ("Tuesday", date(2026, 12, 1)),
        ("next Wednesday", date(2026, 12, 2)),  # "next" is never today
        ("this Wednesday", TODAY),
        ("this Friday", date(2026, 11, 27)),
        ("3 March", date(2027, 3, 3)),
        ("March 3rd", date(2027, 3, 3)),
        ("the 3rd of March", date(2027, 3, 3)),
        ("tomorrow", date(2026, 11, 26)),
        ("today", TODAY),
        ("in two weeks", date(2026, 12, 9)),
        ("in a fortnight", date(2026, 12, 9)),
        ("15/01/2027", date(2027, 1, 15)),
        ("01/02", date(2027, 2, 1)),  # day first: 1 February
        ("the 10th", date(2026, 12, 10)),  # the 10th of November has passed
        ("the 25th", TODAY),
        ("the 31st", date(2026, 12, 31)),  # November has no 31st
        ("a week on Monday", date(2026, 12, 7)),
        ("Monday week", date(2026, 12, 7)),
        ("25 November", TODAY),  # not a year from now
        ("20 November", date(2026, 11, 20)),  # days ago: that day, so the form says it passed
        ("20 September", date(2027, 9, 20)),  # long passed this year: next year's
        ("tuesday 12th january", date(2027, 1, 12)),
        ("Start next Monday please", date(2026, 11, 30)),
        ("1 January 2020", date(2020, 1, 1)),  # kept, so the form can say it has passed
    ],
)
def test_natural_dates_are_read_day_first_and_in_the_future(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["6", "the 6", "purple elephants", "", "   ", "I don't know"])
def test_things_that_are_not_dates_are_not_dates(text: str) -> None:
    assert parse_date(text, TODAY) is None


def test_a_session_count_is_not_mistaken_for_a_date() -> None:
    assert find_dates("Plan 6 sessions starting next Monday", TODAY) == [
        ("next Monday", date(2026, 11, 30))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "I want to start now with 6 sessions",
        "I have a may holiday",
        "I sat in the sun",
        "a holiday for two weeks",
    ],
)
def test_words_that_look_like_dates_are_ignored_in_sentences(text: str) -> None:
    assert find_dates(text, TODAY) == []


def test_dates_in_a_sentence_come_in_order() -> None:
    assert find_dates("laser on the 2nd of April and fillers on 5 May", TODAY) == [
        ("the 2nd of April", date(2027, 4, 2)),
        ("5 May", date(2027, 5, 5)),
    ]
    assert [day for _, day in find_dates("start a week on Monday, peel on the 20th", TODAY)] == [
        date(2026, 12, 7),
        date(2026, 12, 20),
    ]


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        # The issue's own: "the 5th of next month" was read as the 1st.
        ("I'm starting the 5th of next month", TODAY, date(2026, 12, 5)),
        ("the 5th of next month", YEAR_END, date(2027, 1, 5)),
        ("next month on the 5th", TODAY, date(2026, 12, 5)),
        ("the 30th of this month", TODAY, date(2026, 11, 30)),
        ("the first Monday in January", TODAY, date(2027, 1, 4)),
        ("first monday of january", YEAR_END, date(2027, 1, 4)),
        ("the second Tuesday of next month", TODAY, date(2026, 12, 8)),
        ("the last Friday of next month", YEAR_END, date(2027, 1, 29)),
        ("the first Monday in November", TODAY, date(2027, 11, 1)),  # this year's has passed
        ("in three weeks' time", TODAY, date(2026, 12, 16)),
        ("in three weeks’ time", YEAR_END, date(2027, 1, 18)),  # a curly apostrophe
        ("in 10 days", YEAR_END, date(2027, 1, 7)),
        ("two weeks from today", TODAY, date(2026, 12, 9)),
        ("in a month", TODAY, date(2026, 12, 25)),
        ("Monday after next", TODAY, date(2026, 12, 7)),
        ("monday next week", TODAY, date(2026, 11, 30)),
        ("Christmas Eve", TODAY, date(2026, 12, 24)),
        ("boxing day", YEAR_END, date(2027, 12, 26)),  # this year's has passed
        ("new year's day", YEAR_END, date(2027, 1, 1)),
        ("Easter Monday", TODAY, date(2027, 3, 29)),
        ("friday the 8th", TODAY, date(2027, 1, 8)),  # the next 8th that is a Friday
        ("asap", TODAY, TODAY),
        ("as soon as possible please", YEAR_END, YEAR_END),
    ],
)
def test_dates_people_say_are_read_as_that_day(text: str, today: date, expected: date) -> None:
    assert read_date(text, today) == expected


@pytest.mark.parametrize(
    ("text", "today", "described", "earliest"),
    [
        ("early February", TODAY, "in early February", date(2027, 2, 1)),
        ("mid-feb", TODAY, "in mid-February", date(2027, 2, 10)),
        ("towards the end of january", TODAY, "towards the end of January", date(2027, 1, 20)),
        ("the end of the month", TODAY, "at the end of November", date(2026, 11, 25)),
        ("after Christmas", TODAY, "after Christmas", date(2026, 12, 26)),
        ("just after xmas", YEAR_END, "just after Christmas", date(2027, 12, 26)),
        ("over Easter", TODAY, "over Easter", date(2027, 3, 21)),
        ("in the new year", TODAY, "in the New Year", date(2027, 1, 1)),
        ("after the holidays", YEAR_END, "after the holidays", date(2027, 1, 2)),
        ("next month", TODAY, "in December", date(2026, 12, 1)),
        ("next month", YEAR_END, "in January", date(2027, 1, 1)),
        ("January", TODAY, "in January", date(2027, 1, 1)),
        ("in May", TODAY, "in May", date(2027, 5, 1)),
        ("sometime in the spring", TODAY, "in the spring", date(2027, 3, 1)),
        ("next week", TODAY, "next week", date(2026, 11, 30)),
        ("the week after next", TODAY, "the week after next", date(2026, 12, 7)),
        ("in a few weeks", TODAY, "in a few weeks", date(2026, 12, 9)),
        ("next year", TODAY, "next year", date(2027, 1, 1)),
    ],
)
def test_a_stretch_of_time_is_not_turned_into_a_day(
    text: str, today: date, described: str, earliest: date
) -> None:
    assert read_date(text, today) == Vague(described, earliest)
    assert parse_date(text, today) is None


def test_a_weekday_that_does_not_match_the_date_is_a_question() -> None:
    said = read_date("Monday 12th January", TODAY)  # the 12th is a Tuesday
    assert said == Vague("12 January", date(2027, 1, 12), said_weekday=0)


def test_a_vague_start_in_a_longer_message_is_found() -> None:
    text = "I'd like 6 sessions starting early February, no holidays"
    assert find_dates(text, TODAY) == []
    assert find_vague(text, TODAY) == Vague("in early February", date(2027, 2, 1))


def test_a_day_beside_a_stretch_of_time_is_still_a_day() -> None:
    text = "after Christmas, so the 28th of December"
    assert read_date(text, TODAY) == date(2026, 12, 28)


# Up to a year ahead, but for the last RECENT_PAST_DAYS: "20 November" written on 25
# November is the day just gone (the planner says it has passed), not next year's.
@given(
    st.dates(
        min_value=date(2026, 11, 25),
        max_value=date(2027, 11, 24) - timedelta(days=RECENT_PAST_DAYS),
    )
)
def test_any_day_written_out_reads_back_as_itself(day: date) -> None:
    for written in (f"{day.day} {day:%B}", f"{day:%A} {day.day} {day:%B}", f"{day:%d/%m/%Y}"):
        assert read_date(written, TODAY) == day, written


@given(
    st.sampled_from(["early", "mid", "late", "the start of", "the end of", "sometime in"]),
    st.sampled_from(["January", "February", "March", "June", "September", "October"]),
    st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
)
def test_part_of_a_month_is_never_one_day(part: str, month: str, today: date) -> None:
    said = read_date(f"{part} {month}", today)
    assert isinstance(said, Vague) and said.earliest >= today
    assert said.earliest - today <= timedelta(days=366)


def test_last_monday_is_the_one_before_today_for_a_start_or_a_last_session() -> None:
    wednesday = date(2027, 3, 3)
    assert find_dates("last Monday", wednesday) == [("last Monday", date(2027, 3, 1))]
    assert find_past_dates("my last session was last wednesday", wednesday) == [date(2027, 2, 24)]


def test_a_day_of_last_month_is_that_day_gone_not_next_year_s() -> None:
    wednesday = date(2027, 3, 3)
    assert read_date("1 February", wednesday) == date(2027, 2, 1)  # the form says it passed
    assert read_date("1 December", wednesday) == date(2027, 12, 1)


def test_a_weekday_with_a_date_gone_by_is_that_day_looking_back() -> None:
    """10 February 2028 is a Thursday, 10 February 2027 the Wednesday the visitor had."""
    wednesday = date(2027, 3, 3)
    said = "my last session was Wednesday 10 February"
    assert find_past_dates(said, wednesday, stretches=False) == [date(2027, 2, 10)]

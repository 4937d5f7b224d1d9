"""What visitors type, read into dates, counts, weekdays, treatments and trips."""

from __future__ import annotations

from datetime import date

import pytest

from actions.planner import PlannedTreatment, SunTrip
from actions.planner.parsing import (
    find_dates,
    is_none_answer,
    parse_date,
    parse_session_count,
    parse_sun_trips,
    parse_treatments,
    parse_weekdays,
)
from actions.planner.reading import read_answers

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next Tuesday", date(2026, 12, 1)),
        ("tuesday", date(2026, 12, 1)),
        ("3 March", date(2027, 3, 3)),
        ("March 3rd", date(2027, 3, 3)),
        ("tomorrow", date(2026, 11, 26)),
        ("in two weeks", date(2026, 12, 9)),
        ("15/01/2027", date(2027, 1, 15)),
        ("the 10th", date(2026, 12, 10)),
        ("a week on Monday", date(2026, 12, 7)),
        ("monday 12th january", date(2027, 1, 12)),
        ("1 January 2020", date(2020, 1, 1)),
    ],
)
def test_natural_dates_are_read_day_first_and_in_the_future(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["6", "purple elephants", ""])
def test_things_that_are_not_dates_are_not_dates(text: str) -> None:
    assert parse_date(text, TODAY) is None


def test_a_session_count_is_not_mistaken_for_a_date() -> None:
    assert find_dates("Plan 6 sessions starting next Monday", TODAY) == [
        ("Monday", date(2026, 11, 30))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6", 6),
        ("six sessions", 6),
        ("my doctor said 8", 8),
        ("around ten", 10),
        ("I don't know", "unknown"),
        ("not sure yet", "unknown"),
        ("no idea", "unknown"),
        ("lots", None),
    ],
)
def test_session_counts(text: str, expected: object) -> None:
    assert parse_session_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mondays", frozenset({0})),
        ("tuesday or thursday", frozenset({1, 3})),
        ("weekends", frozenset({5, 6})),
        ("weekdays after work", frozenset({0, 1, 2, 3, 4})),
        ("any day", frozenset()),
        ("no preference", frozenset()),
        ("sunny", None),
        ("my wedding", None),
    ],
)
def test_weekday_preferences(text: str, expected: frozenset[int] | None) -> None:
    assert parse_weekdays(text) == expected


def test_several_treatments_with_their_dates() -> None:
    assert parse_treatments("laser on the 2nd of April and fillers on 5 May", TODAY) == [
        PlannedTreatment("laser", date(2027, 4, 2)),
        PlannedTreatment("filler", date(2027, 5, 5)),
    ]
    assert parse_treatments("botox on 1 april", TODAY) == [
        PlannedTreatment("anti_wrinkle", date(2027, 4, 1))
    ]


def test_a_holiday_range_and_a_single_day_trip() -> None:
    assert parse_sun_trips("beach holiday 10-17 August", TODAY) == [
        SunTrip(date(2027, 8, 10), date(2027, 8, 17))
    ]
    assert parse_sun_trips("sun holiday from 3 to 10 July", TODAY) == [
        SunTrip(date(2027, 7, 3), date(2027, 7, 10))
    ]
    # Only a start given: a week is assumed.
    assert parse_sun_trips("I'm going to Spain on 1 June", TODAY) == [
        SunTrip(date(2027, 6, 1), date(2027, 6, 7))
    ]


@pytest.mark.parametrize("text", ["none", "no", "nothing planned", "no other treatments"])
def test_none_answers(text: str) -> None:
    assert is_none_answer(text)


def test_everything_up_front_in_one_sentence() -> None:
    reading = read_answers(
        "Plan 6 sessions starting next Monday for hair thinning, I have a peel on 20 March",
        asked=None,
        today=TODAY,
        conditions=["hair_thinning"],
    )
    assert reading.values == {
        "start_date": "2026-11-30",
        "session_count": 6,
        "main_concern": "hair_thinning",
        "other_treatments": [{"kind": "peel", "on": "2027-03-20"}],
    }


def test_a_treatment_date_is_never_taken_as_the_start() -> None:
    reading = read_answers("a peel on 20 March", asked="start_date", today=TODAY, conditions=[])
    assert "start_date" not in reading.values
    assert reading.values["other_treatments"] == [{"kind": "peel", "on": "2027-03-20"}]


def test_only_plural_weekdays_count_as_a_preference_up_front() -> None:
    reading = read_answers("8 sessions from 3 March, only on Fridays", None, TODAY, [])
    assert reading.values["preferred_weekdays"] == [4]
    reading = read_answers("start next Friday", None, TODAY, [])
    assert "preferred_weekdays" not in reading.values

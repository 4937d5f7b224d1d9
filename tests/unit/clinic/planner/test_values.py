"""What visitors type, read into counts, weekdays, treatments and trips (dates: test_dates)."""

from __future__ import annotations

from datetime import date

import pytest

from clinic.planner.schedule import OtherTreatment, SunTrip
from clinic.planner.values import (
    is_none_answer,
    parse_session_count,
    parse_sun_trips,
    parse_treatments,
    parse_weekdays,
)

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6", 6),
        ("six sessions", 6),
        ("Six", 6),
        ("my doctor said 8", 8),
        ("around ten", 10),
        ("a dozen", 12),
        ("half a dozen", 6),
        ("from 3 March, 8 sessions", 8),
        ("20", 20),  # out of range, but the visitor said it: the form explains the range
        ("I don't know", "unknown"),
        ("not sure yet", "unknown"),
        ("no idea", "unknown"),
        ("no one told me", "unknown"),
        ("not sure, maybe 6", 6),
        ("lots", None),
        ("", None),
        ("will I have to skip the gym after each one?", None),  # "each one" is no count
        ("just the one", 1),
    ],
)
def test_session_counts(text: str, expected: object) -> None:
    assert parse_session_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mondays", frozenset({0})),
        ("tuesday or thursday", frozenset({1, 3})),
        ("Thurs and Fri", frozenset({3, 4})),
        ("weekdays", frozenset({0, 1, 2, 3, 4})),
        ("weekdays after work", frozenset({0, 1, 2, 3, 4})),
        ("weekends", frozenset({5, 6})),
        ("any day", frozenset()),
        ("no preference", frozenset()),
        ("whenever", frozenset()),
        ("I don't mind", frozenset()),
        ("any day except Monday", frozenset({1, 2, 3, 4, 5, 6})),
        ("not Mondays", frozenset({1, 2, 3, 4, 5, 6})),
        ("weekdays but not Fridays", frozenset({0, 1, 2, 3})),
        ("sunny", None),
        ("I sat down", None),
        ("my wedding", None),
    ],
)
def test_weekday_preferences(text: str, expected: frozenset[int] | None) -> None:
    assert parse_weekdays(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a peel on 20 March", [OtherTreatment("peel", date(2027, 3, 20))]),
        (
            "laser on the 2nd of April and fillers on 5 May",
            [
                OtherTreatment("laser", date(2027, 4, 2)),
                OtherTreatment("filler", date(2027, 5, 5)),
            ],
        ),
        ("botox on 1 april", [OtherTreatment("anti_wrinkle", date(2027, 4, 1))]),
        (
            "anti-wrinkle injections on the 12th",
            [OtherTreatment("anti_wrinkle", date(2026, 12, 12))],
        ),
        (
            "a peel and laser on 2 May",
            [
                OtherTreatment("peel", date(2027, 5, 2)),
                OtherTreatment("laser", date(2027, 5, 2)),
            ],
        ),
        ("on 20 March I have a peel", [OtherTreatment("peel", date(2027, 3, 20))]),
        ("botox, not sure when", []),  # no date: nothing to plan around
        ("nothing planned", []),
    ],
)
def test_treatments_with_their_dates(text: str, expected: list[OtherTreatment]) -> None:
    assert parse_treatments(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("beach holiday 10-17 August", [SunTrip(date(2027, 8, 10), date(2027, 8, 17))]),
        ("sun holiday from 3 to 10 July", [SunTrip(date(2027, 7, 3), date(2027, 7, 10))]),
        ("holiday between 10 and 17 August", [SunTrip(date(2027, 8, 10), date(2027, 8, 17))]),
        # Only a start given: a week, that day included.
        ("I'm going to Spain on 1 June", [SunTrip(date(2027, 6, 1), date(2027, 6, 7))]),
        (
            "off to Greece for a fortnight from 2 July",
            [SunTrip(date(2027, 7, 2), date(2027, 7, 15))],
        ),
        ("holiday for 10 days from 3 July", [SunTrip(date(2027, 7, 3), date(2027, 7, 12))]),
        (
            "a trip to Italy for ten days from 3 July",
            [SunTrip(date(2027, 7, 3), date(2027, 7, 12))],
        ),
        (
            "flying to Malaga on 1 June and back on 14 June",
            [SunTrip(date(2027, 6, 1), date(2027, 6, 14))],
        ),
        ("going to Spain in two weeks", [SunTrip(date(2026, 12, 9), date(2026, 12, 15))]),
        (
            "holiday from 28 December to 3 January",
            [SunTrip(date(2026, 12, 28), date(2027, 1, 3))],
        ),
        (
            "holidays: Spain 1-8 June and Greece on 3 August",
            [
                SunTrip(date(2027, 6, 1), date(2027, 6, 8)),
                SunTrip(date(2027, 8, 3), date(2027, 8, 9)),
            ],
        ),
        ("start next Monday, holiday 1-8 June", [SunTrip(date(2027, 6, 1), date(2027, 6, 8))]),
        ("a peel on 3 May, holiday on 1 June", [SunTrip(date(2027, 6, 1), date(2027, 6, 7))]),
        ("a peel on 3 May", []),
        ("no holidays planned", []),
        ("skiing in the Alps from 2 February", [SunTrip(date(2027, 2, 2), date(2027, 2, 8))]),
        # "skin" is not skiing.
        ("5 sessions from next Tuesday for dull skin", []),
    ],
)
def test_sun_trips(text: str, expected: list[SunTrip]) -> None:
    assert parse_sun_trips(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    ["none", "None.", "no", "nope", "nothing planned", "no other treatments", "no holidays",
     "ok then none", "um, no", "okay nothing"],
)  # fmt: skip
def test_none_answers(text: str) -> None:
    assert is_none_answer(text)


@pytest.mark.parametrize(
    "text", ["a peel on 3 May", "Mondays", "going to Spain", "ok then a peel on 3 May"]
)
def test_real_answers_are_not_none(text: str) -> None:
    assert not is_none_answer(text)

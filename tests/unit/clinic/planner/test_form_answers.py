"""One message read into the planning form's answers, knowing which question was asked."""

from __future__ import annotations

from datetime import date

from clinic.planner.form_answers import read_answers

TODAY = date(2026, 11, 25)  # a Wednesday


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


def test_a_holiday_date_is_never_taken_as_the_start() -> None:
    reading = read_answers(
        "start next Monday, I'm away on holiday 1-8 June", None, TODAY, conditions=[]
    )
    assert reading.values["start_date"] == "2026-11-30"
    assert reading.values["sun_trips"] == [{"start": "2027-06-01", "end": "2027-06-08"}]


def test_only_plural_weekdays_count_as_a_preference_up_front() -> None:
    reading = read_answers("8 sessions from 3 March, only on Fridays", None, TODAY, [])
    assert reading.values["preferred_weekdays"] == [4]
    reading = read_answers("start next Friday", None, TODAY, [])
    assert "preferred_weekdays" not in reading.values


def test_an_unanswered_question_is_reported() -> None:
    reading = read_answers("purple elephants", asked="start_date", today=TODAY, conditions=[])
    assert reading.values == {} and reading.problem == "not_understood"


def test_none_answers_clear_treatments_and_trips() -> None:
    assert read_answers("none", "other_treatments", TODAY, []).values == {"other_treatments": []}
    assert read_answers("no holidays planned", "sun_trips", TODAY, []).values == {"sun_trips": []}


def test_dont_know_asks_for_an_example_course() -> None:
    reading = read_answers("I don't know", asked="session_count", today=TODAY, conditions=[])
    assert reading.values == {"session_count": "unknown"}


def test_a_start_date_before_a_skin_concern_is_the_start() -> None:
    reading = read_answers("plan 5 sessions from next tuesday for dull skin", None, TODAY, [])
    assert reading.values == {"start_date": "2026-12-01", "session_count": 5}

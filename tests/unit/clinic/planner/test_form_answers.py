"""One message read into the planner's answers, knowing which question was asked."""

from __future__ import annotations

from datetime import date

import pytest

from clinic.planner.form_answers import gives_plan_details, read_answers

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


def test_each_answer_is_read_whatever_the_question_on_screen() -> None:
    # Asked for the concern, the visitor also gives days: both are kept.
    reading = read_answers(
        "loss of volume then, and I can do wed or sat", "main_concern", TODAY, ["volume_loss"]
    )
    assert reading.values == {"main_concern": "volume_loss", "preferred_weekdays": [2, 5]}
    reading = read_answers("12, any weekday is fine", "session_count", TODAY, [])
    assert reading.values == {"session_count": 12, "preferred_weekdays": [0, 1, 2, 3, 4]}


def test_a_bare_number_is_the_course_only_in_an_opener() -> None:
    opener = read_answers("plan 6 from monday for me", None, TODAY, [], "request_schedule")
    assert opener.values["session_count"] == 6
    later = read_answers("I'm 34 and free from monday", "main_concern", TODAY, [])
    assert "session_count" not in later.values


def test_a_trip_said_as_a_short_stretch_is_kept_clear_as_a_whole() -> None:
    reading = read_answers("going to greece at the end of june", None, TODAY, [])
    assert reading.values["sun_trips"] == [
        {"start": "2027-06-20", "end": "2027-06-30", "described": "at the end of June"}
    ]


def test_a_weekend_away_is_no_weekday_preference() -> None:
    reading = read_answers("we're going away next weekend", "sun_trips", TODAY, [])
    assert "preferred_weekdays" not in reading.values
    assert reading.values["sun_trips"] == [
        {"start": "2026-12-05", "end": "2026-12-06", "described": "next weekend"}
    ]


def test_a_start_a_few_days_ago_is_read_as_that_day_so_the_form_can_say_it_passed() -> None:
    reading = read_answers("start on 20 November, 4 sessions", None, TODAY, [])
    assert reading.values["start_date"] == "2026-11-20"


def test_the_course_s_stage_and_what_was_had_are_read() -> None:
    done = read_answers("I've had 3 of my 8 sessions, plan the rest", None, TODAY, [])
    assert done.values["course_stage"] == "continuing"
    assert done.values["sessions_done"] == 3 and done.values["session_count"] == 8
    top_ups = read_answers("finished my course on 1 november, plan my top ups", None, TODAY, [])
    assert top_ups.values["course_stage"] == "maintenance"
    assert top_ups.values["last_session"] == "2026-11-01"
    assert "sessions_done" not in top_ups.values
    for text in ("i had 2 kids and my skin is dull, plan my sessions", "6 sessions in two weeks?"):
        said = read_answers(text, None, TODAY, [])
        assert "course_stage" not in said.values and "sessions_done" not in said.values


def test_what_was_had_said_shortly_and_the_course_out_of_its_length() -> None:
    short = read_answers("4 done out of 10, plan the rest", None, TODAY, [])
    assert short.values["sessions_done"] == 4 and short.values["session_count"] == 10
    out_of = read_answers("I'm 3 out of 6, when are the others", None, TODAY, [])
    assert out_of.values["sessions_done"] == 3 and out_of.values["session_count"] == 6


@pytest.mark.parametrize(
    "text", ["have made 2 sessions of 5, plan the others", "did 2 treatments of 5 already"]
)
def test_sessions_made_of_a_course_in_other_words(text: str) -> None:
    said = read_answers(text, None, TODAY, [])
    assert said.values["course_stage"] == "continuing"
    assert said.values["sessions_done"] == 2 and said.values["session_count"] == 5


def test_an_aside_in_brackets_does_not_hide_the_day_before_it() -> None:
    said = "finished my course on 26 feb (8 sessions for dull skin), plan the maintenance ones"
    assert read_answers(said, None, TODAY, []).values["last_session"] == "2026-02-26"
    start = read_answers("start 1 december (a wednesday), 6 sessions", None, TODAY, [])
    assert start.values["start_date"] == "2026-12-01"


def test_days_beside_no_trips_are_no_trip() -> None:
    said = read_answers(
        "mon and wed. no other treatments and no trips", "preferred_weekdays", TODAY, []
    )
    assert said.values["sun_trips"] == [] and said.values["preferred_weekdays"] == [0, 2]
    told = read_answers("mon and wed, spain 10-17 july", "preferred_weekdays", TODAY, [])
    assert told.values["sun_trips"] == [{"start": "2027-07-10", "end": "2027-07-17"}]


def test_a_new_start_said_as_trips_are_asked_is_the_start_not_a_trip() -> None:
    said = read_answers("change the start to the 2nd", "sun_trips", TODAY, [])
    assert said.values == {"start_date": "2026-12-02"}
    trip = read_answers("starting 10 july for a week", "sun_trips", TODAY, [])
    assert trip.values["sun_trips"] == [{"start": "2027-07-10", "end": "2027-07-16"}]


def test_now_is_when_top_ups_are_asked_for_not_the_last_session() -> None:
    said = "finished my course on 1 november and want my top ups planned now"
    assert read_answers(said, None, TODAY, []).values["last_session"] == "2026-11-01"
    today = read_answers("had my last session today", "last_session", TODAY, [])
    assert today.values["last_session"] == "2026-11-25"


def test_a_condition_the_article_doesnt_name_is_kept_beside_the_named_one() -> None:
    reading = read_answers("for acne and cellulite", "main_concern", TODAY, ["acne", "cellulite"])
    assert reading.values["main_concern"] == "acne"
    assert reading.values["concern_not_named"] == ["cellulite"]


def test_a_week_on_monday_is_a_start_and_a_week_in_crete_a_trip() -> None:
    start = read_answers("plan my sessions starting a week on monday", None, TODAY, [])
    assert start.values == {"start_date": "2026-12-07"}
    trip = read_answers(
        "fillers on 1 may, and a week in Crete in June", "other_treatments", TODAY, []
    )
    assert trip.values["sun_trips"][0]["start"] == "2027-06-01"


def test_any_day_but_one_is_every_other_day() -> None:
    said = "my skin's lost its elasticity. any day but wednesday"
    reading = read_answers(said, "main_concern", TODAY, ["elasticity"])
    assert reading.values["main_concern"] == "elasticity"
    assert reading.values["preferred_weekdays"] == [0, 1, 3, 4, 5, 6]
    either = read_answers("anything except mondays or fridays", "preferred_weekdays", TODAY, [])
    assert either.values["preferred_weekdays"] == [1, 2, 3, 5, 6]


def test_none_of_the_treatments_or_trips_said_in_passing() -> None:
    said = "ok, thursdays then. no lasers or anything, and no trips"
    reading = read_answers(said, "preferred_weekdays", TODAY, [])
    assert reading.values == {"preferred_weekdays": [3], "other_treatments": [], "sun_trips": []}


def test_a_stretch_of_days_of_its_own_is_time_away() -> None:
    said = "peel on 16 April + Mallorca 12-19 July"
    reading = read_answers(said, "other_treatments", TODAY, [])
    assert reading.values["other_treatments"] == [{"kind": "peel", "on": "2027-04-16"}]
    assert reading.values["sun_trips"] == [{"start": "2027-07-12", "end": "2027-07-19"}]
    free = read_answers("i'm free from 10 to 20 march", "preferred_weekdays", TODAY, [])
    assert "sun_trips" not in free.values


def test_not_going_anywhere_is_no_trips() -> None:
    for said in ("not going anywhere", "no, staying home this year"):
        assert read_answers(said, "sun_trips", TODAY, []).values == {"sun_trips": []}
    both = read_answers("nothing else and not travelling", "other_treatments", TODAY, [])
    assert both.values == {"other_treatments": [], "sun_trips": []}


def test_a_treatment_in_a_short_stretch_is_kept_as_that_stretch() -> None:
    late_may = read_answers("fillers in late May", "other_treatments", TODAY, [])
    assert late_may.values["other_treatments"] == [
        {"kind": "filler", "on": "2027-05-20", "until": "2027-05-31", "described": "in late May"}
    ]
    # Up to a month is kept clear as a whole, as a sunny trip in July is; longer gets a
    # question.
    april = read_answers("lip filler in April", "other_treatments", TODAY, [])
    assert april.values["other_treatments"] == [
        {"kind": "filler", "on": "2027-04-01", "until": "2027-04-30", "described": "in April"}
    ]
    summer = read_answers("laser in the summer", "other_treatments", TODAY, [])
    assert "other_treatments" not in summer.values and summer.question is not None


def test_one_no_for_treatments_and_holidays_answers_both() -> None:
    reading = read_answers("wednesdays then, no other treatments or holidays", None, TODAY, [])
    assert reading.values == {"preferred_weekdays": [2], "other_treatments": [], "sun_trips": []}


def test_a_start_said_after_a_treatment_date_is_the_start() -> None:
    said = "peel booked 30 april, want 4 sessions before that starting next week"
    reading = read_answers(said, None, TODAY, [])
    assert reading.values["other_treatments"] == [{"kind": "peel", "on": "2027-04-30"}]
    assert reading.question is not None and reading.question.vague.described == "next week"
    # The treatment's own date is never taken as the start.
    assert read_answers("peel booked 30 april, let's start", None, TODAY, []).question is None


def test_any_day_said_up_front_answers_the_days() -> None:
    said = "Plan 6 sessions for wrinkles starting 18 December, any day, no other treatments"
    assert read_answers(said, None, TODAY, ["wrinkles"]).values["preferred_weekdays"] == []
    # "either" or "flexible" up front say nothing of days yet.
    assert (
        "preferred_weekdays" not in read_answers("6 sessions, I'm flexible", None, TODAY, []).values
    )


def test_two_weekdays_joined_are_the_days_that_suit_not_a_date() -> None:
    reading = read_answers(
        "plan 6 starting on 12 March, mon or fri, going to Spain in June", None, TODAY, []
    )
    assert reading.values["start_date"] == "2027-03-12"
    assert reading.values["preferred_weekdays"] == [0, 4]
    assert reading.values["sun_trips"] == [
        {"start": "2027-06-01", "end": "2027-06-30", "described": "in June"}
    ]
    assert read_answers("tuesday or thursday", "start_date", TODAY, []).values == {
        "preferred_weekdays": [1, 3]
    }


def test_sessions_had_of_a_course_are_no_date() -> None:
    reading = read_answers("I'm mid course, had 5 of 10, next one is 1 December", None, TODAY, [])
    assert reading.values["sessions_done"] == 5
    assert reading.values["session_count"] == 10
    assert reading.values["start_date"] == "2026-12-01"


def test_a_day_s_number_is_no_count_and_a_corrected_start_is_taken() -> None:
    reading = read_answers("sorry i mean 1 April", "session_count", TODAY, [])
    assert reading.values == {"start_date": "2027-04-01"}
    assert reading.problem is None  # asked again plainly, not "I didn't understand"


def test_a_number_beside_the_start_date_asked_for_is_the_course() -> None:
    reading = read_answers("ok 6 then, starting Monday 30 November", "start_date", TODAY, [])
    assert reading.values == {"start_date": "2026-11-30", "session_count": 6}


def test_a_start_month_in_its_own_clause_beside_a_trip() -> None:
    reading = read_answers(
        "want to start in May for my skin, 4 sessions, and I'm off to Portugal in July",
        None,
        TODAY,
        [],
    )
    assert reading.question is not None and reading.question.for_slot == "start_date"
    assert reading.question.vague.described == "in May"
    assert reading.values["session_count"] == 4


def test_a_weekday_list_before_a_no_to_treatments_is_still_wanted() -> None:
    reading = read_answers(
        "6 sessions from 1 December, Tue/Thu, no other treatments", None, TODAY, []
    )
    assert reading.values["preferred_weekdays"] == [1, 3]
    assert reading.values["other_treatments"] == []


def test_a_start_day_before_a_comma_is_no_part_of_the_days_that_suit() -> None:
    reading = read_answers("6 from monday, wed/sat", None, TODAY, [])
    assert reading.values["start_date"] == "2026-11-30"
    assert reading.values["preferred_weekdays"] == [2, 5]


def test_a_month_told_in_passing_is_no_last_session_but_answers_the_question() -> None:
    said = "finished my course in october, can you set up my maintenance sessions?"
    told = read_answers(said, None, TODAY, [])
    assert told.values["course_stage"] == "maintenance" and "last_session" not in told.values
    asked = read_answers("in october", "last_session", TODAY, [])
    assert asked.values["last_session"] == "2026-10-01"


def test_the_next_session_of_a_course_is_where_the_plan_starts() -> None:
    said = read_answers("had 3 of 6, next session should be 2 december", None, TODAY, [])
    assert said.values["start_date"] == "2026-12-02" and said.values["sessions_done"] == 3
    assert "start_date" not in read_answers("had 3 of 6 sessions", None, TODAY, []).values
    said = read_answers("3 sessions into a course of 6, next is monday 7 december", None, TODAY, [])
    assert said.values["start_date"] == "2026-12-07" and said.values["sessions_done"] == 3


def test_a_planner_opened_for_a_season_asks_which_day_of_it() -> None:
    for said in ("plan me a course in the summer please, 5 sessions", "schedule for early summer"):
        question = read_answers(said, None, TODAY, [], "request_schedule").question
        assert question is not None and question.for_slot == "start_date"
        assert question.vague.described == "in the summer"
    # A season that is a trip's or a treatment's is not when the course starts.
    for said in ("plan 6 sessions, going to greece in the summer", "plan it, peel in the summer"):
        assert read_answers(said, None, TODAY, [], "request_schedule").question is None


@pytest.mark.parametrize(
    ("text", "gives"),
    [
        ("i want 6 sessions from mid april for dull skin", True),
        ("starting next monday please", True),
        ("eight treatments for my stretch marks", True),
        ("for dull skin, on fridays", False),  # a concern and days name no plan yet
        ("no other treatments and no trips", False),
    ],
)
def test_a_plan_is_named_by_when_it_starts_or_how_many_sessions(text: str, gives: bool) -> None:
    assert gives_plan_details(text, date(2027, 3, 3)) is gives


def test_tomorrow_texted_and_sessions_already_had_are_read() -> None:
    texted = read_answers("plan 5 sessions for stretch marks starting 2morrow", None, TODAY, [])
    assert texted.values["start_date"] == "2026-11-26"
    assert read_answers("start tmrw", None, TODAY, []).values["start_date"] == "2026-11-26"
    had = read_answers("i did already 5 session, please plan the others", None, TODAY, [])
    assert had.values["sessions_done"] == 5 and had.values["course_stage"] == "continuing"


@pytest.mark.parametrize(
    "text", ["I don't have other treatments planned", "i dont have any other treatments booked"]
)
def test_no_other_treatment_said_as_not_having_one(text: str) -> None:
    assert read_answers(text, "preferred_weekdays", TODAY, []).values["other_treatments"] == []


@pytest.mark.parametrize(
    ("said", "day"),
    [
        ("last month", "2026-10-01"),
        ("the end of last month", "2026-10-31"),
        ("last week", "2026-11-16"),
        ("about two months ago", "2026-09-25"),
        ("a couple of weeks ago", "2026-11-11"),
        ("a fortnight ago", "2026-11-11"),
        ("a few weeks back", "2026-11-04"),
    ],
)
def test_a_last_session_said_as_time_ago_is_that_day(said: str, day: str) -> None:
    # The question's own example is "last month": it must be understood.
    assert read_answers(said, "last_session", TODAY, []).values == {"last_session": day}


def test_top_ups_after_a_course_finished_last_month_need_no_last_day_asked() -> None:
    said = "finished my 8 sessions last month, just want to plan my top-ups from now on"
    values = read_answers(said, None, TODAY, []).values
    assert values["course_stage"] == "maintenance"
    assert values["last_session"] == "2026-10-01"
    assert "start_date" not in values  # "from now on" is when to plan, not a course start


def test_last_year_is_too_vague_for_a_last_session() -> None:
    assert read_answers("last year", "last_session", TODAY, []).problem == "not_understood"


@pytest.mark.parametrize(
    ("said", "days"),
    [
        ("12, for pigmentation, tues to fri", [1, 2, 3, 4]),
        ("monday to friday please", [0, 1, 2, 3, 4]),
        ("8 sessions, mon-wed", [0, 1, 2]),
        ("fri through mon", [0, 4, 5, 6]),
    ],
)
def test_a_run_of_weekdays_is_every_day_in_it_and_no_trip(said: str, days: list[int]) -> None:
    values = read_answers(said, "session_count", TODAY, []).values
    assert values["preferred_weekdays"] == days
    assert "sun_trips" not in values


def test_a_run_of_weekdays_asked_about_trips_is_the_days_away() -> None:
    values = read_answers("away mon to fri next week", "sun_trips", TODAY, []).values
    assert values["sun_trips"] == [{"start": "2026-11-30", "end": "2026-12-04"}]
    assert "preferred_weekdays" not in values


def test_a_start_told_after_the_treatment_s_name_and_before_a_trip_is_the_start() -> None:
    said = "want to start mesotherapy next week but i'm off to Portugal 1st-8th May"
    answers = read_answers(said, None, TODAY, [])
    assert answers.values["sun_trips"] == [{"start": "2027-05-01", "end": "2027-05-08"}]
    assert answers.question is not None and answers.question.vague.described == "next week"


def test_the_last_session_said_to_another_question_corrects_it() -> None:
    said = read_answers("last one was 9 november", "preferred_weekdays", TODAY, [])
    assert said.values == {"last_session": "2026-11-09"}


def test_thanks_to_the_read_back_is_a_yes_and_no_thanks_a_no() -> None:
    yes = read_answers("perfect thanks", "plan_confirmed", TODAY, [], intent="thank")
    assert yes.values == {"plan_confirmed": True}
    no = read_answers("no thanks", "plan_confirmed", TODAY, [], intent="deny")
    assert no.values == {"plan_confirmed": False}

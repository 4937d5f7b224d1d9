"""Each rule of the article, as a visitor would notice it in their plan."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

import pytest

from clinic.planner.schedule import (
    OtherTreatment,
    Phase,
    PlanningError,
    Schedule,
    ScheduleRequest,
    SunTrip,
    aftercare_reminders,
    phases_for,
    plan_maintenance,
    plan_schedule,
)

WEDNESDAY = date(2026, 11, 25)
MON_TO_SAT = frozenset(range(6))
BASE = ScheduleRequest(start=WEDNESDAY, today=WEDNESDAY, session_count=6, open_weekdays=MON_TO_SAT)


def plan(**changes: object) -> Schedule:
    return plan_schedule(replace(BASE, **changes))  # type: ignore[arg-type]


def days(schedule: Schedule) -> list[date]:
    return [session.on for session in schedule.sessions]


def gaps(dates: list[date]) -> list[int]:
    return [(later - earlier).days for earlier, later in pairwise(dates)]


# The rhythm of a course (F26–F29)


def test_first_sessions_are_seven_to_ten_days_apart() -> None:
    schedule = plan(session_count=8)
    initial = [s.on for s in schedule.sessions if s.phase is Phase.INITIAL]
    assert len(initial) >= 2
    assert all(7 <= gap <= 10 for gap in gaps(initial))


def test_sessions_then_spread_to_two_weeks_then_monthly_then_maintenance() -> None:
    assert phases_for(10) == (
        [Phase.INITIAL] * 4
        + [Phase.SPACING_FORTNIGHTLY] * 2
        + [Phase.SPACING_MONTHLY] * 2
        + [Phase.MAINTENANCE] * 2
    )
    spacing = gaps(days(plan(session_count=10)))
    assert all(7 <= gap <= 10 for gap in spacing[:3])
    assert all(14 <= gap <= 17 for gap in spacing[3:5])
    assert all(28 <= gap <= 35 for gap in spacing[5:7])
    assert all(182 <= gap <= 365 for gap in spacing[7:])


@pytest.mark.parametrize(
    ("count", "initial", "fortnightly", "monthly", "maintenance"),
    [
        (3, 2, 1, 0, 0),
        (4, 2, 1, 1, 0),
        (5, 2, 1, 1, 1),
        (6, 3, 1, 1, 1),
        (9, 4, 2, 2, 1),
        (10, 4, 2, 2, 2),
        (15, 7, 3, 3, 2),
    ],
)
def test_how_a_course_is_split_into_phases(
    count: int, initial: int, fortnightly: int, monthly: int, maintenance: int
) -> None:
    phases = phases_for(count)
    assert len(phases) == count
    assert [phases.count(phase) for phase in Phase] == [initial, fortnightly, monthly, maintenance]
    assert phases == sorted(phases, key=list(Phase).index)  # phases never go backwards


@pytest.mark.parametrize("count", [3, 4])
def test_a_short_course_has_no_maintenance(count: int) -> None:
    schedule = plan(session_count=count)
    assert len(schedule.sessions) == count
    assert all(s.phase is not Phase.MAINTENANCE for s in schedule.sessions)


def test_maintenance_comes_six_to_twelve_months_later() -> None:
    schedule = plan(session_count=5)
    last, before = schedule.sessions[-1], schedule.sessions[-2]
    assert last.phase is Phase.MAINTENANCE
    assert 182 <= (last.on - before.on).days <= 365


def test_phases_read_like_the_article() -> None:
    assert Phase.INITIAL.label == "Phase 1 – every 7–10 days"
    assert Phase.SPACING_FORTNIGHTLY.label == "Phase 2 – every two weeks"
    assert Phase.SPACING_MONTHLY.label == "Phase 2 – once a month"
    assert Phase.MAINTENANCE.label == "Phase 3 – maintenance every 6–12 months"


def test_sessions_are_numbered_in_date_order() -> None:
    schedule = plan(session_count=15)
    assert [s.number for s in schedule.sessions] == list(range(1, 16))
    assert all(gap > 0 for gap in gaps(days(schedule)))


def test_an_unconstrained_plan_needs_no_explanations() -> None:
    assert all(not s.notes for s in plan(session_count=15).sessions)


def test_the_same_answers_give_the_same_plan() -> None:
    assert plan(session_count=12) == plan(session_count=12)


# Requests the planner refuses, each with a message the visitor can act on


@pytest.mark.parametrize("count", [0, 2, 16])
def test_counts_outside_three_to_fifteen_are_refused(count: int) -> None:
    with pytest.raises(PlanningError, match="between 3 and 15") as error:
        plan(session_count=count)
    assert "Please choose a number from 3 to 15" in str(error.value)


def test_a_start_in_the_past_is_refused() -> None:
    with pytest.raises(PlanningError, match="already passed"):
        plan(start=WEDNESDAY - timedelta(days=1))


def test_starting_today_is_fine() -> None:
    assert days(plan())[0] == WEDNESDAY


def test_a_start_more_than_a_year_ahead_is_refused() -> None:
    assert plan(start=WEDNESDAY + timedelta(days=365)).sessions
    with pytest.raises(PlanningError, match="12 months"):
        plan(start=WEDNESDAY + timedelta(days=366))


def test_a_clinic_with_no_open_days_is_refused() -> None:
    with pytest.raises(PlanningError, match="no open days"):
        plan(open_weekdays=frozenset())


@pytest.mark.parametrize(
    "changes",
    [
        {"treatment_buffer_days": 6},
        {"treatment_buffer_days": -1},
        {"treatment_buffer_days": 61},
        {"sun_buffer_days": -1},
        {"sun_buffer_days": 31},
    ],
)
def test_buffers_outside_the_safe_range_are_refused(changes: dict[str, int]) -> None:
    with pytest.raises(PlanningError, match="gap before"):
        plan(**changes)


def test_weekdays_outside_monday_to_sunday_are_refused() -> None:
    with pytest.raises(PlanningError, match=r"0 \(Monday\) to 6 \(Sunday\)"):
        plan(preferred_weekdays=frozenset({7}))


def test_an_unknown_treatment_is_refused() -> None:
    with pytest.raises(PlanningError, match="laser, peels, fillers and anti-wrinkle"):
        plan(treatments=(OtherTreatment("tattoo", date(2026, 12, 1)),))


def test_a_trip_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(PlanningError, match="check its dates"):
        plan(sun_trips=(SunTrip(date(2026, 12, 10), date(2026, 12, 1)),))


def test_planning_errors_are_value_errors() -> None:
    assert issubclass(PlanningError, ValueError)


# Open days and preferred days


def test_closed_sunday_is_never_scheduled() -> None:
    schedule = plan(session_count=15, start=date(2026, 11, 29))  # a Sunday
    assert all(day.weekday() != 6 for day in days(schedule))
    first = schedule.sessions[0]
    assert first.on == date(2026, 11, 30)
    assert first.notes == ("Moved to Mon 30 Nov: the clinic is closed on Sundays.",)


def test_a_clinic_open_one_day_a_week_still_gets_every_session() -> None:
    schedule = plan(session_count=15, open_weekdays=frozenset({3}))  # Thursdays only
    assert len(schedule.sessions) == 15
    assert all(day.weekday() == 3 for day in days(schedule))


def test_preferred_weekday_is_used_when_the_window_allows() -> None:
    schedule = plan(session_count=10, preferred_weekdays=frozenset({4}))  # Fridays
    assert all(day.weekday() == 4 for day in days(schedule))
    assert days(schedule)[0] == date(2026, 11, 27)
    assert all(not s.notes for s in schedule.sessions)


def test_waiting_for_a_preferred_day_is_not_called_a_move() -> None:
    first = plan(preferred_weekdays=frozenset({4})).sessions[0]
    assert first.on == date(2026, 11, 27) and not first.notes


def test_when_the_preferred_day_isnt_possible_another_day_is_used_and_noted() -> None:
    # Mondays preferred; a peel on Tue 8 Dec blocks Mon 7 Dec, the only Monday in the window.
    schedule = plan(
        start=date(2026, 11, 30),
        preferred_weekdays=frozenset({0}),
        treatments=(OtherTreatment("peel", date(2026, 12, 8)),),
    )
    second = schedule.sessions[1]
    assert second.on == date(2026, 12, 9)  # 9 days after, still in the 7–10 day window
    assert second.notes == (
        "Your preferred day wasn't possible within the usual gap, so this one is on a Wednesday.",
    )


def test_preferring_only_closed_days_uses_the_open_days_and_says_so_once() -> None:
    schedule = plan(preferred_weekdays=frozenset({6}))  # Sunday; the clinic is closed
    assert all(day.weekday() != 6 for day in days(schedule))
    assert schedule.sessions[0].notes == (
        "The clinic isn't open on Sundays, so I've used the days it is open.",
    )
    assert all(not s.notes for s in schedule.sessions[1:])


# Other skin treatments: a clear week before them (F22)


def test_peel_within_a_week_moves_the_session() -> None:
    peel = OtherTreatment(kind="peel", on=date(2026, 11, 30))
    first = plan(treatments=(peel,)).sessions[0]
    assert first.on == date(2026, 12, 1)  # the day after the peel; every day before is too close
    assert first.notes == (
        "Moved to Tue 1 Dec: it must be at least 7 days before your peel on Mon 30 Nov.",
    )


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("laser", "laser treatment"),
        ("filler", "fillers"),
        ("anti_wrinkle", "anti-wrinkle injections"),
    ],
)
def test_laser_fillers_and_anti_wrinkle_injections_get_a_clear_week_too(
    kind: str, name: str
) -> None:
    treatment = OtherTreatment(kind=kind, on=date(2026, 11, 30))
    schedule = plan(treatments=(treatment,))
    assert all(not 0 <= (treatment.on - day).days < 7 for day in days(schedule))
    assert f"7 days before your {name} on Mon 30 Nov" in schedule.sessions[0].notes[0] or (
        f"7 days clear before your {name} on Mon 30 Nov" in schedule.sessions[0].notes[0]
    )


def test_the_week_before_anti_wrinkle_injections_is_said_as_the_clinic_s_own_choice() -> None:
    botox = OtherTreatment(kind="anti_wrinkle", on=date(2026, 11, 30))
    note = plan(treatments=(botox,)).sessions[0].notes[0]
    assert "its own precaution" in note and "must be" not in note
    peel = OtherTreatment(kind="peel", on=date(2026, 11, 30))
    assert "own precaution" not in plan(treatments=(peel,)).sessions[0].notes[0]


def test_a_session_exactly_a_week_before_a_treatment_is_fine() -> None:
    laser = OtherTreatment(kind="laser", on=WEDNESDAY + timedelta(days=7))
    first = plan(treatments=(laser,)).sessions[0]
    assert first.on == WEDNESDAY and not first.notes


def test_a_later_session_blocked_by_a_treatment_moves_after_its_window() -> None:
    # Session 1 on Wed 25 Nov; its window is 2–5 Dec; a filler on Sat 5 Dec blocks all of it.
    schedule = plan(treatments=(OtherTreatment("filler", date(2026, 12, 5)),))
    second = schedule.sessions[1]
    assert second.on == date(2026, 12, 7)  # Sun 6 Dec is closed
    assert second.notes == (
        "Moved to Mon 7 Dec: it must be at least 7 days before your fillers on Sat 5 Dec.",
    )


def test_a_treatment_said_as_a_stretch_keeps_it_and_the_week_before_it_clear() -> None:
    filler = OtherTreatment(
        "filler", date(2026, 12, 7), until=date(2026, 12, 13), described="the week of 7 Dec"
    )
    schedule = plan(treatments=(filler,))
    assert all(not date(2026, 12, 1) <= day <= date(2026, 12, 13) for day in days(schedule))
    moved = [note for session in schedule.sessions for note in session.notes]
    assert "before your fillers the week of 7 Dec" in moved[0]


def test_a_longer_clinic_buffer_is_respected() -> None:
    peel = OtherTreatment(kind="peel", on=date(2026, 12, 5))
    schedule = plan(treatments=(peel,), treatment_buffer_days=14)
    assert all(not 0 <= (peel.on - day).days < 14 for day in days(schedule))
    assert schedule.sessions[0].notes == (
        "Moved to Mon 7 Dec: it must be at least 14 days before your peel on Sat 5 Dec.",
    )


# Sunny holidays: no session during them or just before (F25)


def test_no_session_in_the_sunny_days_before_a_holiday_or_during_it() -> None:
    trip = SunTrip(start=date(2026, 12, 5), end=date(2026, 12, 12))
    for day in days(plan(session_count=8, sun_trips=(trip,))):
        assert not date(2026, 12, 2) <= day <= trip.end


def test_a_sun_holiday_move_is_explained() -> None:
    trip = SunTrip(start=date(2026, 12, 5), end=date(2026, 12, 12))
    second = plan(sun_trips=(trip,)).sessions[1]
    assert second.on == date(2026, 12, 14)  # Sun 13 Dec is closed
    assert second.notes == (
        "Moved to Mon 14 Dec: the clinic plans no session in the 3 days before your sun holiday "
        "from Sat 5 Dec (the article says to stay out of the sun for a few days after a "
        "session); you'll be on your sun holiday from Sat 5 Dec to Sat 12 Dec.",
    )


def test_a_start_during_a_holiday_moves_to_after_it() -> None:
    trip = SunTrip(start=date(2026, 11, 20), end=date(2026, 11, 28))
    first = plan(sun_trips=(trip,)).sessions[0]
    assert first.on == date(2026, 11, 30)
    assert "you'll be on your sun holiday" in first.notes[0]


def test_a_longer_sun_buffer_is_respected() -> None:
    trip = SunTrip(start=date(2026, 12, 5), end=date(2026, 12, 6))
    schedule = plan(sun_trips=(trip,), sun_buffer_days=10)
    assert all(not date(2026, 11, 25) <= day <= trip.end for day in days(schedule))
    assert "no session in the 10 days before your sun holiday" in schedule.sessions[0].notes[0]


def test_after_a_blocked_window_the_visitors_day_is_kept_if_it_comes_within_a_week() -> None:
    # Fridays preferred; a holiday blocks the whole second window; the first free day after
    # it is Mon 21 Dec, and that week's Friday is free, so the Friday is chosen.
    trip = SunTrip(start=date(2026, 12, 7), end=date(2026, 12, 20))
    schedule = plan(preferred_weekdays=frozenset({4}), sun_trips=(trip,))
    assert days(schedule)[:2] == [date(2026, 11, 27), date(2026, 12, 25)]
    assert schedule.sessions[1].notes[0].startswith("Moved to Fri 25 Dec: ")


# What the plan carries with it


def test_an_example_course_is_labelled() -> None:
    assert plan(is_example=True).is_example
    assert not plan().is_example


def test_aftercare_covers_sunscreen_exercise_and_sun() -> None:
    text = " ".join(aftercare_reminders()).lower()
    assert "sunscreen" in text
    assert "strenuous exercise" in text and "24 hours" in text
    assert "out of the sun for a few days" in text


# The rest of a course, and maintenance top-ups alone (issue 22)


def test_the_rest_of_a_course_keeps_the_whole_course_s_numbers_and_phases() -> None:
    whole = plan(session_count=10)
    rest = plan(session_count=10, sessions_done=4)
    assert [s.number for s in rest.sessions] == list(range(5, 11))
    assert [s.phase for s in rest.sessions] == [s.phase for s in whole.sessions][4:]
    assert rest.sessions[0].on == WEDNESDAY and rest.course_length == 10


@pytest.mark.parametrize("done", [-1, 6, 9])
def test_a_course_cant_have_had_all_its_sessions_already(done: int) -> None:
    with pytest.raises(PlanningError, match="fewer than the course"):
        plan(session_count=6, sessions_done=done)


def test_top_ups_are_every_six_months_to_a_year_after_the_last_session() -> None:
    last = date(2026, 11, 1)
    schedule = plan_maintenance(BASE, last)
    assert schedule.maintenance and len(schedule.sessions) == 4
    assert all(s.phase is Phase.MAINTENANCE for s in schedule.sessions)
    assert all(182 <= gap <= 365 for gap in gaps([last, *days(schedule)]))
    assert "up to" in schedule.sessions[0].notes[-1]


def test_a_top_up_already_due_is_planned_from_today() -> None:
    schedule = plan_maintenance(BASE, date(2025, 11, 1))
    assert schedule.sessions[0].on == WEDNESDAY


def test_a_top_up_steers_clear_of_a_sunny_trip() -> None:
    last = date(2026, 11, 1)
    usual = plan_maintenance(BASE, last).sessions[0].on
    trip = SunTrip(start=usual - timedelta(days=1), end=usual + timedelta(days=6))
    moved = plan_maintenance(replace(BASE, sun_trips=(trip,)), last).sessions[0]
    assert moved.on > trip.end and "sun holiday" in moved.notes[0]


def test_a_last_session_still_to_come_is_refused() -> None:
    with pytest.raises(PlanningError):
        plan_maintenance(BASE, WEDNESDAY + timedelta(days=1))


def test_a_plan_s_caveats_come_with_it() -> None:
    caveat = "The clinic's article doesn't name cellulite."
    assert plan(caveats=(caveat,)).caveats == (caveat,)
    assert plan_maintenance(replace(BASE, caveats=(caveat,)), date(2026, 11, 1)).caveats == (
        caveat,
    )

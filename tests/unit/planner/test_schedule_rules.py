"""Each rule of the article, as a visitor would notice it in their plan."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest

from actions.planner import (
    Phase,
    PlannedTreatment,
    PlanningError,
    PlanRequest,
    SunTrip,
    phases_for,
    plan_schedule,
)

WEDNESDAY = date(2026, 11, 25)
MON_TO_SAT = frozenset(range(6))


def plan(**changes: object) -> list[date]:
    request = PlanRequest(
        start=WEDNESDAY, today=WEDNESDAY, session_count=6, open_weekdays=MON_TO_SAT
    )
    fields = {**request.__dict__, **changes}
    return [session.on for session in plan_schedule(PlanRequest(**fields)).sessions]  # type: ignore[arg-type]


def gaps(days: list[date]) -> list[int]:
    return [(later - earlier).days for earlier, later in pairwise(days)]


def test_first_sessions_are_seven_to_ten_days_apart() -> None:
    schedule = plan_schedule(
        PlanRequest(start=WEDNESDAY, today=WEDNESDAY, session_count=8, open_weekdays=MON_TO_SAT)
    )
    initial = [s.on for s in schedule.sessions if s.phase is Phase.INITIAL]
    assert len(initial) >= 2
    assert all(7 <= gap <= 10 for gap in gaps(initial))


def test_sessions_then_spread_to_two_weeks_then_monthly_then_maintenance() -> None:
    assert phases_for(10) == (
        [Phase.INITIAL] * 4
        + [Phase.FORTNIGHTLY] * 2
        + [Phase.MONTHLY] * 2
        + [Phase.MAINTENANCE] * 2
    )
    days = plan(session_count=10)
    assert gaps(days)[4] in range(14, 18)
    assert gaps(days)[6] in range(28, 36)
    assert gaps(days)[8] in range(182, 366)


def test_a_short_course_of_three_has_no_maintenance() -> None:
    assert Phase.MAINTENANCE not in phases_for(3)
    assert len(plan(session_count=3)) == 3


@pytest.mark.parametrize("count", [2, 16, 0])
def test_counts_outside_three_to_fifteen_are_refused(count: int) -> None:
    with pytest.raises(PlanningError, match="between 3 and 15"):
        plan(session_count=count)


def test_a_start_in_the_past_is_refused() -> None:
    with pytest.raises(PlanningError, match="already passed"):
        plan(start=WEDNESDAY - timedelta(days=1))


def test_a_start_more_than_a_year_ahead_is_refused() -> None:
    with pytest.raises(PlanningError, match="12 months"):
        plan(start=WEDNESDAY + timedelta(days=400))


def test_closed_sunday_is_never_scheduled() -> None:
    days = plan(session_count=15, start=date(2026, 11, 29))  # a Sunday
    assert all(day.weekday() != 6 for day in days)
    assert days[0] == date(2026, 11, 30)


def test_preferred_weekday_is_used_when_the_window_allows() -> None:
    days = plan(preferred_weekdays=frozenset({4}))  # Fridays
    assert all(day.weekday() == 4 for day in days)


def test_peel_within_a_week_moves_the_session() -> None:
    peel = PlannedTreatment(kind="peel", on=date(2026, 11, 30))
    schedule = plan_schedule(
        PlanRequest(
            start=WEDNESDAY,
            today=WEDNESDAY,
            session_count=6,
            open_weekdays=MON_TO_SAT,
            treatments=(peel,),
        )
    )
    first = schedule.sessions[0]
    assert first.on > peel.on
    assert "7 days before your peel on Mon 30 Nov" in first.notes[0]


def test_anti_wrinkle_injections_need_no_clear_week() -> None:
    botox = PlannedTreatment(kind="anti_wrinkle", on=date(2026, 11, 27))
    assert plan(treatments=(botox,))[0] == WEDNESDAY


def test_no_session_in_the_sunny_days_before_a_holiday_or_during_it() -> None:
    trip = SunTrip(start=date(2026, 12, 5), end=date(2026, 12, 12))
    days = plan(session_count=8, treatments=(), sun_trips=(trip,))
    for day in days:
        assert not date(2026, 12, 2) <= day <= trip.end


def test_a_move_is_explained_in_the_session_notes() -> None:
    trip = SunTrip(start=date(2026, 12, 5), end=date(2026, 12, 12))
    schedule = plan_schedule(
        PlanRequest(
            start=WEDNESDAY,
            today=WEDNESDAY,
            session_count=6,
            open_weekdays=MON_TO_SAT,
            sun_trips=(trip,),
        )
    )
    moved = [s for s in schedule.sessions if s.notes]
    assert moved and "sun" in moved[0].notes[0]


def test_example_course_is_labelled() -> None:
    schedule = plan_schedule(
        PlanRequest(
            start=WEDNESDAY,
            today=WEDNESDAY,
            session_count=6,
            open_weekdays=MON_TO_SAT,
            is_example=True,
        )
    )
    assert schedule.is_example

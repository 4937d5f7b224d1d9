"""Properties that hold for every plan, over random dates, counts, open days and conflicts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.planner.closures import closed_days
from clinic.planner.schedule import (
    OtherTreatment,
    PlanningError,
    ScheduleRequest,
    SunTrip,
    phases_for,
    plan_schedule,
)
from clinic.rules import TREATMENT_KINDS
from clinic.settings import ClosedDays, Closure

FAST = settings(max_examples=200, deadline=None)
weekdays = st.frozensets(st.integers(0, 6))


@st.composite
def requests(draw: st.DrawFn) -> ScheduleRequest:
    today = draw(st.dates(date(2025, 1, 1), date(2030, 12, 31)))
    start = today + timedelta(days=draw(st.integers(0, 365)))

    def near_the_course() -> date:
        return start + timedelta(days=draw(st.integers(-15, 500)))

    treatments = tuple(
        OtherTreatment(kind=draw(st.sampled_from(TREATMENT_KINDS)), on=near_the_course())
        for _ in range(draw(st.integers(0, 4)))
    )
    trips = []
    for _ in range(draw(st.integers(0, 3))):
        first = near_the_course()
        trips.append(SunTrip(first, first + timedelta(days=draw(st.integers(0, 30)))))
    closures = []
    for _ in range(draw(st.integers(0, 2))):
        first = near_the_course()
        closures.append(Closure(first, first + timedelta(days=draw(st.integers(0, 14))), "a break"))
    country, subdivision = draw(
        st.sampled_from([("GB", "ENG"), ("GB", "SCT"), ("IE", ""), ("", "")])
    )
    closed = ClosedDays(country, subdivision, tuple(closures))
    return ScheduleRequest(
        closed_days=closed_days(closed, start, start + timedelta(days=3 * 365)),
        start=start,
        today=today,
        session_count=draw(st.integers(3, 15)),
        open_weekdays=draw(weekdays.filter(bool)),
        preferred_weekdays=draw(weekdays),
        treatments=treatments,
        sun_trips=tuple(trips),
        treatment_buffer_days=draw(st.sampled_from([7, 7, 7, 10, 14])),
        sun_buffer_days=draw(st.sampled_from([3, 3, 3, 0, 5])),
    )


@FAST
@given(requests())
def test_every_plan_has_exactly_the_sessions_asked_for_in_date_order(
    request: ScheduleRequest,
) -> None:
    sessions = plan_schedule(request).sessions
    assert [s.number for s in sessions] == list(range(1, request.session_count + 1))
    assert [s.phase for s in sessions] == phases_for(request.session_count)
    assert all(earlier.on < later.on for earlier, later in pairwise(sessions))


@FAST
@given(requests())
def test_no_session_is_in_the_past_or_on_a_closed_day(request: ScheduleRequest) -> None:
    for session in plan_schedule(request).sessions:
        assert session.on >= request.start and session.on >= request.today
        assert session.on.weekday() in request.open_weekdays


@FAST
@given(requests())
def test_no_session_is_on_a_public_holiday_or_a_closure_date(request: ScheduleRequest) -> None:
    for session in plan_schedule(request).sessions:
        assert session.on not in request.closed_days


@FAST
@given(requests())
def test_no_session_falls_in_the_week_before_another_treatment(request: ScheduleRequest) -> None:
    for session in plan_schedule(request).sessions:
        for treatment in request.treatments:
            assert not 0 <= (treatment.on - session.on).days < request.treatment_buffer_days


@FAST
@given(requests())
def test_no_session_falls_in_a_sun_trip_or_the_days_before_it(request: ScheduleRequest) -> None:
    for session in plan_schedule(request).sessions:
        for trip in request.sun_trips:
            blocked_from = trip.start - timedelta(days=request.sun_buffer_days)
            assert not blocked_from <= session.on <= trip.end


@FAST
@given(requests())
def test_a_gap_outside_the_phase_rhythm_always_comes_with_a_reason(
    request: ScheduleRequest,
) -> None:
    sessions = plan_schedule(request).sessions
    for previous, session in pairwise(sessions):
        gap = (session.on - previous.on).days
        assert session.phase.min_gap <= gap <= session.phase.max_gap or session.notes


@FAST
@given(requests())
def test_a_session_without_a_note_is_on_a_day_the_visitor_chose(request: ScheduleRequest) -> None:
    wanted = request.preferred_weekdays & request.open_weekdays
    sessions = plan_schedule(request).sessions
    for session in sessions:
        if not session.notes and wanted:
            assert session.on.weekday() in wanted
    if not sessions[0].notes:
        assert sessions[0].on == request.start or (wanted and request.start.weekday() not in wanted)


@FAST
@given(requests(), st.booleans())
def test_planning_is_deterministic_and_keeps_the_example_flag(
    request: ScheduleRequest, is_example: bool
) -> None:
    labelled = replace(request, is_example=is_example)
    assert plan_schedule(labelled) == plan_schedule(labelled)
    assert plan_schedule(labelled).is_example is is_example


@FAST
@given(
    st.dates(date(2025, 1, 1), date(2030, 12, 31)),
    st.integers(-400, 800),
    st.integers(-5, 30),
)
def test_impossible_requests_fail_with_a_planning_error(
    today: date, start_offset: int, count: int
) -> None:
    request = ScheduleRequest(
        start=today + timedelta(days=start_offset),
        today=today,
        session_count=count,
        open_weekdays=frozenset(range(5)),
    )
    valid = 0 <= start_offset <= 365 and 3 <= count <= 15
    try:
        schedule = plan_schedule(request)
    except PlanningError as error:
        assert not valid and str(error)
    else:
        assert valid and len(schedule.sessions) == count

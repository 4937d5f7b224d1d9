"""Properties that hold for every plan, over random dates, counts, open days and conflicts."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from actions.planner import PlannedTreatment, PlanRequest, SunTrip, plan_schedule
from actions.planner.schedule import BUFFERED_KINDS, TREATMENT_KINDS

weekdays = st.frozensets(st.integers(0, 6), min_size=1)


@st.composite
def requests(draw: st.DrawFn) -> PlanRequest:
    today = draw(st.dates(date(2025, 1, 1), date(2030, 12, 31)))
    start = today + timedelta(days=draw(st.integers(0, 365)))
    treatments = tuple(
        PlannedTreatment(
            kind=draw(st.sampled_from(TREATMENT_KINDS)),
            on=start + timedelta(days=draw(st.integers(-10, 400))),
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    trips = []
    for _ in range(draw(st.integers(0, 2))):
        trip_start = start + timedelta(days=draw(st.integers(-5, 400)))
        trips.append(SunTrip(trip_start, trip_start + timedelta(days=draw(st.integers(0, 21)))))
    open_days = draw(weekdays)
    return PlanRequest(
        start=start,
        today=today,
        session_count=draw(st.integers(3, 15)),
        open_weekdays=open_days,
        preferred_weekdays=draw(st.frozensets(st.integers(0, 6))),
        treatments=treatments,
        sun_trips=tuple(trips),
    )


@settings(max_examples=250, deadline=None)
@given(requests())
def test_every_plan_keeps_every_rule(request: PlanRequest) -> None:
    sessions = plan_schedule(request).sessions
    assert len(sessions) == request.session_count
    assert [s.number for s in sessions] == list(range(1, request.session_count + 1))
    previous = None
    for session in sessions:
        day = session.on
        assert day >= request.start and day >= request.today
        assert day.weekday() in request.open_weekdays
        for treatment in request.treatments:
            if treatment.kind in BUFFERED_KINDS:
                assert not 0 <= (treatment.on - day).days < 7
        for trip in request.sun_trips:
            assert not trip.start - timedelta(days=3) <= day <= trip.end
        if previous is not None:
            gap = (day - previous).days
            assert gap > 0
            within = session.phase.min_gap <= gap <= session.phase.max_gap
            assert within or session.notes, (session, gap)
        previous = day

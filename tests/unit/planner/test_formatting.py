"""The schedule message a visitor reads in the chat."""

from __future__ import annotations

import re
from datetime import date

from actions.planner import PlannedTreatment, PlanRequest, format_schedule, plan_schedule

TODAY = date(2026, 11, 25)


def _message(is_example: bool = False) -> str:
    request = PlanRequest(
        start=TODAY,
        today=TODAY,
        session_count=5,
        open_weekdays=frozenset(range(6)),
        treatments=(PlannedTreatment("laser", date(2026, 11, 30)),),
        is_example=is_example,
    )
    return format_schedule(plan_schedule(request), "hair_thinning")


def test_numbered_sessions_with_weekday_date_and_phase() -> None:
    lines = [line for line in _message().splitlines() if re.match(r"^\d+\. ", line)]
    assert len(lines) == 5
    assert lines[0].startswith("1. Tue 1 Dec 2026")  # not in the week before the laser
    assert "Phase 1 – every 7–10 days" in lines[0]


def test_moved_session_says_why_and_the_plan_says_it_is_a_guide() -> None:
    message = _message()
    assert "7 days before your laser treatment on Mon 30 Nov" in message
    assert "clinician's assessment" in message
    assert "for hair thinning" in message
    assert "sunscreen" in message and "24 hours" in message


def test_example_course_is_labelled_as_such() -> None:
    message = _message(is_example=True)
    assert message.startswith("**An example course of 5 sessions**")
    assert "Your clinician will decide how many sessions you need." in message

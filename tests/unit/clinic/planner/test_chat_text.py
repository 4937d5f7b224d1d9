"""The schedule message a visitor reads in the chat."""

from __future__ import annotations

import re
from datetime import date

from clinic.planner.chat_text import format_schedule
from clinic.planner.schedule import (
    OtherTreatment,
    ScheduleRequest,
    aftercare_reminders,
    plan_schedule,
)

TODAY = date(2026, 11, 25)


def _message(is_example: bool = False, concern: str | None = "hair_thinning") -> str:
    request = ScheduleRequest(
        start=TODAY,
        today=TODAY,
        session_count=5,
        open_weekdays=frozenset(range(6)),
        treatments=(OtherTreatment("laser", date(2026, 11, 30)),),
        is_example=is_example,
    )
    return format_schedule(plan_schedule(request), concern)


def _numbered(message: str) -> list[str]:
    return [line for line in message.splitlines() if re.match(r"^\d+\. ", line)]


def test_numbered_sessions_with_weekday_date_and_phase() -> None:
    assert _numbered(_message()) == [
        "1. Tue 1 Dec 2026 — Phase 1 (every 7–10 days)",  # not in the week before the laser
        "2. Tue 8 Dec 2026 — Phase 1 (every 7–10 days)",
        "3. Tue 22 Dec 2026 — Phase 2 (every two weeks)",
        "4. Tue 19 Jan 2027 — Phase 2 (once a month)",
        "5. Tue 20 Jul 2027 — Phase 3 (maintenance every 6–12 months)",
    ]


def test_a_moved_session_says_why_under_its_line() -> None:
    lines = _message().splitlines()
    first = lines.index("1. Tue 1 Dec 2026 — Phase 1 (every 7–10 days)")
    assert lines[first + 1] == (
        "   ↳ Moved to Tue 1 Dec: it must be at least 7 days before your laser treatment "
        "on Mon 30 Nov."
    )


def test_the_plan_says_it_is_a_guide_and_gives_aftercare_once() -> None:
    message = _message()
    assert message.startswith("**Your plan: 5 sessions for hair thinning**\n")
    assert message.count("clinician's assessment") == 1
    assert "guide" in message
    for reminder in aftercare_reminders():
        assert message.count(reminder) == 1
    assert message.count("**") <= 4  # bold is for the heading and the aftercare label only


def test_example_course_is_labelled_as_such() -> None:
    message = _message(is_example=True)
    assert message.startswith("**An example course of 5 sessions for hair thinning**\n")
    assert "Your clinician will decide how many sessions you need." in message


def test_no_concern_no_for() -> None:
    assert _message(concern=None).startswith("**Your plan: 5 sessions**\n")

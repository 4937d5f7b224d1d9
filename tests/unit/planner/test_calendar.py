"""The .ics file is valid RFC 5545, read back by two independent parsers."""

from __future__ import annotations

from datetime import date

import icalendar
import vobject

from actions.planner import PlannedTreatment, PlanRequest, plan_schedule, schedule_to_ics

REQUEST = PlanRequest(
    start=date(2026, 11, 25),
    today=date(2026, 11, 25),
    session_count=6,
    open_weekdays=frozenset(range(6)),
    treatments=(PlannedTreatment("peel", date(2026, 11, 30)),),
)


def test_one_all_day_event_per_session_with_aftercare() -> None:
    schedule = plan_schedule(REQUEST)
    ics = schedule_to_ics(schedule, "Example Clinic", "1 Example Street")
    events = list(icalendar.Calendar.from_ical(ics).walk("VEVENT"))
    assert [event.decoded("dtstart") for event in events] == [s.on for s in schedule.sessions]
    assert str(events[0]["summary"]) == "Mesotherapy session 1 of 6 (Example Clinic)"
    description = str(events[0]["description"])
    assert "sunscreen" in description and "24 hours" in description
    assert "7 days before your peel" in description  # the move is explained
    assert len({str(event["uid"]) for event in events}) == 6


def test_a_second_parser_reads_the_same_calendar() -> None:
    schedule = plan_schedule(REQUEST)
    parsed = vobject.readOne(schedule_to_ics(schedule, "Example Clinic").decode())
    starts = [event.dtstart.value for event in parsed.vevent_list]
    assert starts == [s.on for s in schedule.sessions]
    assert parsed.version.value == "2.0"


def test_lines_end_in_crlf_and_are_folded_at_75_octets() -> None:
    ics = schedule_to_ics(plan_schedule(REQUEST), "A clinic with a rather long name " * 3)
    lines = ics.split(b"\r\n")
    assert b"\n" not in b"".join(lines)
    assert all(len(line) <= 75 for line in lines)

"""The .ics file is valid RFC 5545, read back by two independent parsers."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest
import vobject

from clinic.planner.ics import schedule_to_ics
from clinic.planner.schedule import (
    OtherTreatment,
    Schedule,
    ScheduleRequest,
    aftercare_reminders,
    plan_schedule,
)

STAMP = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)
REQUEST = ScheduleRequest(
    start=date(2026, 11, 25),
    today=date(2026, 11, 25),
    session_count=6,
    open_weekdays=frozenset(range(6)),
    treatments=(OtherTreatment("peel", date(2026, 11, 30)),),
)


@pytest.fixture
def schedule() -> Schedule:
    return plan_schedule(REQUEST)


def _ics(schedule: Schedule, name: str = "Example Clinic", address: str = "1 Example St") -> bytes:
    return schedule_to_ics(schedule, name, address, generated_at=STAMP)


def test_one_all_day_event_per_session(schedule: Schedule) -> None:
    events = list(icalendar.Calendar.from_ical(_ics(schedule)).walk("VEVENT"))
    assert len(events) == 6
    assert [event.decoded("dtstart") for event in events] == [s.on for s in schedule.sessions]
    for event, session in zip(events, schedule.sessions, strict=True):
        start = event.decoded("dtstart")
        assert type(start) is date  # all-day: a DATE, no time is booked
        assert event.decoded("dtend") == session.on + timedelta(days=1)
        assert event.decoded("dtstamp") == STAMP


def test_each_event_says_which_session_and_phase_it_is(schedule: Schedule) -> None:
    events = list(icalendar.Calendar.from_ical(_ics(schedule)).walk("VEVENT"))
    assert [str(event["summary"]) for event in events] == [
        "Mesotherapy session 1 of 6 (Phase 1)",
        "Mesotherapy session 2 of 6 (Phase 1)",
        "Mesotherapy session 3 of 6 (Phase 1)",
        "Mesotherapy session 4 of 6 (Phase 2)",
        "Mesotherapy session 5 of 6 (Phase 2)",
        "Mesotherapy session 6 of 6 (Phase 3)",
    ]
    assert str(events[0]["location"]) == "Example Clinic, 1 Example St"


def test_the_description_carries_phase_move_and_aftercare(schedule: Schedule) -> None:
    events = list(icalendar.Calendar.from_ical(_ics(schedule)).walk("VEVENT"))
    first = str(events[0]["description"])
    assert first.startswith("Phase 1 – every 7–10 days.")
    assert "7 days before your peel on Mon 30 Nov" in first  # the move is explained
    assert "clinician" in first  # a guide, not a booking
    for event in events:
        description = str(event["description"])
        assert all(reminder in description for reminder in aftercare_reminders())


def test_an_example_course_says_so_in_every_event() -> None:
    example = plan_schedule(ScheduleRequest(**{**REQUEST.__dict__, "is_example": True}))
    events = list(icalendar.Calendar.from_ical(_ics(example)).walk("VEVENT"))
    assert all("Example course" in str(event["description"]) for event in events)


def test_the_calendar_names_its_product_and_version(schedule: Schedule) -> None:
    calendar = icalendar.Calendar.from_ical(_ics(schedule))
    assert str(calendar["version"]) == "2.0"
    assert "Session planner" in str(calendar["prodid"])


def test_uids_are_unique_and_stable_so_a_reimport_does_not_duplicate(schedule: Schedule) -> None:
    def uids(ics: bytes) -> list[str]:
        return [str(e["uid"]) for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")]

    first = uids(schedule_to_ics(schedule, "Example Clinic"))
    assert len(set(first)) == 6
    assert all(uid.endswith("@clinic.example") for uid in first)
    assert uids(schedule_to_ics(schedule, "Example Clinic")) == first
    assert uids(schedule_to_ics(schedule, "Example Clinic", uid_domain="x.test"))[0].endswith(
        "@x.test"
    )


def test_the_same_plan_and_stamp_give_the_same_bytes(schedule: Schedule) -> None:
    assert _ics(schedule) == _ics(schedule)


def test_a_second_parser_reads_the_same_calendar(schedule: Schedule) -> None:
    parsed = vobject.readOne(_ics(schedule).decode("utf-8"))
    assert parsed.version.value == "2.0"
    events = parsed.vevent_list
    assert [event.dtstart.value for event in events] == [s.on for s in schedule.sessions]
    assert events[1].summary.value == "Mesotherapy session 2 of 6 (Phase 1)"
    assert "sunscreen" in events[0].description.value
    assert len({event.uid.value for event in events}) == 6


def test_lines_end_in_crlf_and_are_folded_at_75_octets(schedule: Schedule) -> None:
    long_name = "Clinique Esthétique – a rather long clinic name " * 3
    ics = _ics(schedule, long_name, "Flat 2, 10 Long Road – with accents é à ü " * 2)
    assert ics.endswith(b"\r\n")
    lines = ics.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # long lines were folded
    assert ics.decode("utf-8")  # folding never splits a UTF-8 character
    # Both parsers unfold it back to the full name.
    calendar = icalendar.Calendar.from_ical(ics)
    assert str(calendar["x-wr-calname"]) == f"Mesotherapy – {long_name}"
    assert vobject.readOne(ics.decode("utf-8")).vevent.location.value.startswith(long_name)

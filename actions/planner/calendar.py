"""The schedule as an iCalendar file (RFC 5545) a visitor can add to their calendar."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from icalendar import Calendar, Event

from actions.planner.schedule import AFTERCARE_REMINDERS, Schedule

PRODUCT_ID = "-//Clinic mesotherapy assistant//Session planner//EN"


def _uid(schedule: Schedule, number: int, domain: str) -> str:
    """Stable per schedule and session, so re-importing the same plan doesn't duplicate it."""
    days = ",".join(session.on.isoformat() for session in schedule.sessions)
    digest = hashlib.sha256(f"{days}#{number}".encode()).hexdigest()[:20]
    return f"{digest}@{domain}"


def schedule_to_ics(
    schedule: Schedule,
    clinic_name: str,
    clinic_address: str = "",
    uid_domain: str = "clinic.example",
) -> bytes:
    """One all-day event per session (no time is booked yet), with its aftercare reminders."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Mesotherapy – {clinic_name}")
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    total = len(schedule.sessions)
    for session in schedule.sessions:
        event = Event()
        event.add("uid", _uid(schedule, session.number, uid_domain))
        event.add("dtstamp", stamp)
        event.add("dtstart", session.on)
        event.add("dtend", session.on + timedelta(days=1))
        event.add("summary", f"Mesotherapy session {session.number} of {total} ({clinic_name})")
        lines = [session.phase.label, *session.notes]
        if schedule.is_example:
            lines.append("Example course: your clinician decides the number of sessions.")
        lines += ["Aftercare:", *(f"- {reminder}" for reminder in AFTERCARE_REMINDERS)]
        lines.append("A guide only: your clinician adjusts the plan to your skin's progress.")
        event.add("description", "\n".join(lines))
        if clinic_address:
            event.add("location", clinic_address)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())

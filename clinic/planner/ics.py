"""The schedule as an iCalendar file (RFC 5545) a visitor can add to their calendar.

Sessions are all-day events: the planner suggests days, it books no times.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from icalendar import Calendar, Event

from clinic.messages import text
from clinic.planner.schedule import Schedule, aftercare_reminders

PRODUCT_ID = "-//Clinic mesotherapy assistant//Session planner//EN"


def _uid(schedule: Schedule, number: int, domain: str) -> str:
    """The same schedule always gets the same UIDs, so importing it twice doesn't duplicate it."""
    days = ",".join(session.on.isoformat() for session in schedule.sessions)
    digest = hashlib.sha256(f"{days}#{number}".encode()).hexdigest()[:24]
    return f"meso-{digest}@{domain}"


def _description(schedule: Schedule, index: int) -> str:
    session = schedule.sessions[index]
    lines = [session.phase.label + ".", *session.notes, *schedule.caveats]
    if schedule.is_example:
        lines.append(text("calendar_example"))
    lines.append(text("calendar_guide"))
    lines += ["", text("calendar_aftercare"), *(f"- {line}" for line in aftercare_reminders())]
    return "\n".join(lines)


def schedule_to_ics(
    schedule: Schedule,
    clinic_name: str,
    clinic_address: str = "",
    uid_domain: str = "clinic.example",
    *,
    generated_at: datetime | None = None,
) -> bytes:
    """One all-day event per session, each with its phase, notes and aftercare reminders.

    `generated_at` (UTC, default now) is the DTSTAMP; pass it for byte-identical output.
    """
    stamp = (generated_at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", text("calendar_name", clinic_name=clinic_name))
    total = schedule.course_length
    for index, session in enumerate(schedule.sessions):
        event = Event()
        event.add("uid", _uid(schedule, session.number, uid_domain))
        event.add("dtstamp", stamp.replace(microsecond=0))
        event.add("dtstart", session.on)
        event.add("dtend", session.on + timedelta(days=1))
        summary = (
            text("calendar_top_up", number=session.number)
            if schedule.maintenance
            else text(
                "calendar_event", number=session.number, total=total, phase=session.phase.number
            )
        )
        event.add("summary", summary)
        event.add("description", _description(schedule, index))
        location = ", ".join(part for part in (clinic_name, clinic_address) if part)
        event.add("location", location)
        # Suggested days, not booked appointments: tentative, and not blocking the day.
        event.add("status", "TENTATIVE")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())

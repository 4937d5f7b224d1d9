"""The schedule as a short, readable chat message (the web widget renders **bold**)."""

from __future__ import annotations

from clinic.messages import text
from clinic.planner.schedule import Schedule, Session, aftercare_reminders, long_date


def _session_line(session: Session) -> str:
    """ "1. Tue 3 Mar 2026 — Phase 1 (every 7–10 days)", then any notes beneath."""
    line = text(
        "plan_session",
        number=session.number,
        day=long_date(session.on),
        phase=session.phase.number,
        cadence=session.phase.cadence,
    )
    return "\n".join([line, *(f"   ↳ {note}" for note in session.notes)])


def _heading(schedule: Schedule, concern: str | None) -> str:
    count = len(schedule.sessions)
    if schedule.maintenance:
        heading = text("plan_heading_maintenance")
    elif schedule.course_length > count:
        first, last = schedule.sessions[0].number, schedule.sessions[-1].number
        heading = text("plan_heading_rest", first=first, last=last, count=schedule.course_length)
    else:
        key = "plan_heading_example" if schedule.is_example else "plan_heading"
        heading = text(key, count=count)
    if concern:
        heading += text("plan_heading_concern", concern=concern.replace("_", " "))
    return heading


def format_schedule(schedule: Schedule, concern: str | None = None) -> str:
    """Heading, numbered sessions with any moves explained, the guide line, aftercare once."""
    blocks = [
        f"**{_heading(schedule, concern)}**",
        "\n".join(_session_line(s) for s in schedule.sessions),
        *schedule.caveats,
        text("plan_guide"),
    ]
    if schedule.is_example:
        blocks.append(text("plan_example"))
    blocks.append(text("plan_aftercare", reminders=" ".join(aftercare_reminders())))
    # Blank lines between blocks, so Markdown renderers keep the list apart from the text.
    return "\n\n".join(blocks)

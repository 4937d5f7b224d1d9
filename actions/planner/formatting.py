"""The schedule as a short, readable chat message."""

from __future__ import annotations

from actions.planner.schedule import AFTERCARE_REMINDERS, Schedule


def format_schedule(schedule: Schedule, concern: str | None = None) -> str:
    """Numbered sessions with weekday, date and phase, the moves explained, aftercare once."""
    count = len(schedule.sessions)
    heading = (
        f"**An example course of {count} sessions**"
        if schedule.is_example
        else f"**Your plan: {count} sessions**"
    )
    if concern:
        heading += f" for {concern.replace('_', ' ')}"
    lines = [heading + ":"]
    for session in schedule.sessions:
        day = f"{session.on:%a} {session.on.day} {session.on:%b %Y}"
        lines.append(f"{session.number}. {day} – {session.phase.label}")
        lines.extend(f"   ↳ {note}" for note in session.notes)
    lines.append(
        "This is a guide: when you move to the next phase depends on your clinician's "
        "assessment of how your skin is progressing."
    )
    if schedule.is_example:
        lines.append("Your clinician will decide how many sessions you need.")
    lines.append("After every session: " + " ".join(AFTERCARE_REMINDERS))
    return "\n".join(lines)

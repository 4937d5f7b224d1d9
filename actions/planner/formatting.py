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
    items = []
    for session in schedule.sessions:
        day = f"{session.on:%a} {session.on.day} {session.on:%b %Y}"
        items.append(f"{session.number}. {day} – {session.phase.label}")
        items.extend(f"   ↳ {note}" for note in session.notes)
    blocks = [heading + ":", "\n".join(items)]
    blocks.append(
        "This is a guide: when you move to the next phase depends on your clinician's "
        "assessment of how your skin is progressing."
    )
    if schedule.is_example:
        blocks.append("Your clinician will decide how many sessions you need.")
    blocks.append("After every session: " + " ".join(AFTERCARE_REMINDERS))
    # Blank lines between blocks, so chat widgets that render Markdown show a list.
    return "\n\n".join(blocks)

"""The schedule as a short, readable chat message (the web widget renders **bold**)."""

from __future__ import annotations

from actions.planner.schedule import AFTERCARE_REMINDERS, Schedule, Session

GUIDE_LINE = (
    "Moving from one phase to the next depends on your clinician's assessment of how "
    "your skin is progressing, so please treat this plan as a guide."
)
EXAMPLE_LINE = "Your clinician will decide how many sessions you need."


def _session_line(session: Session) -> str:
    """ "1. Tue 3 Mar 2026 — Phase 1 (every 7–10 days)", then any notes beneath."""
    day = f"{session.on:%a} {session.on.day} {session.on:%b %Y}"
    phase = f"Phase {session.phase.number} ({session.phase.cadence})"
    return "\n".join([f"{session.number}. {day} — {phase}", *(f"   ↳ {n}" for n in session.notes)])


def format_schedule(schedule: Schedule, concern: str | None = None) -> str:
    """Heading, numbered sessions with any moves explained, the guide line, aftercare once."""
    count = len(schedule.sessions)
    heading = (
        f"An example course of {count} sessions"
        if schedule.is_example
        else f"Your plan: {count} sessions"
    )
    if concern:
        heading += f" for {concern.replace('_', ' ')}"
    blocks = [f"**{heading}**", "\n".join(_session_line(s) for s in schedule.sessions), GUIDE_LINE]
    if schedule.is_example:
        blocks.append(EXAMPLE_LINE)
    blocks.append("**After each session:** " + " ".join(AFTERCARE_REMINDERS))
    # Blank lines between blocks, so Markdown renderers keep the list apart from the text.
    return "\n\n".join(blocks)

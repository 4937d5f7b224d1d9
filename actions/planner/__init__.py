"""Planning a personal course of mesotherapy sessions: plain Python, no Rasa.

request = PlanRequest(start=..., today=..., session_count=6, open_weekdays=frozenset({0, 1}))
schedule = plan_schedule(request)
format_schedule(schedule), schedule_to_ics(schedule, "Clinic")
"""

from actions.planner.calendar import schedule_to_ics
from actions.planner.formatting import format_schedule
from actions.planner.schedule import (
    AFTERCARE_REMINDERS,
    Phase,
    PlannedTreatment,
    PlanningError,
    PlanRequest,
    Schedule,
    Session,
    SunTrip,
    conflict,
    phases_for,
    plan_schedule,
)

__all__ = [
    "AFTERCARE_REMINDERS",
    "Phase",
    "PlanRequest",
    "PlannedTreatment",
    "PlanningError",
    "Schedule",
    "Session",
    "SunTrip",
    "conflict",
    "format_schedule",
    "phases_for",
    "plan_schedule",
    "schedule_to_ics",
]

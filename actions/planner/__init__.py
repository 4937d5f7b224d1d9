"""Planning a personal course of mesotherapy sessions: plain, typed Python with no Rasa.

    request = PlanRequest(start=..., today=..., session_count=6, open_weekdays=frozenset({0, 1}))
    schedule = plan_schedule(request)          # raises PlanningError with a visitor-ready message
    format_schedule(schedule, "hair_thinning")  # the chat message
    schedule_to_ics(schedule, "Clinic name")    # the .ics file, as bytes

`parse_*` read a visitor's words into those inputs; `actions.planner.reading` reads a
whole message into the planning form's answers.
"""

from actions.planner.calendar import schedule_to_ics
from actions.planner.formatting import format_schedule
from actions.planner.parsing import (
    find_dates,
    is_none_answer,
    parse_date,
    parse_session_count,
    parse_sun_trips,
    parse_treatments,
    parse_weekdays,
)
from actions.planner.schedule import (
    AFTERCARE_REMINDERS,
    TREATMENT_KINDS,
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
    "TREATMENT_KINDS",
    "Phase",
    "PlanRequest",
    "PlannedTreatment",
    "PlanningError",
    "Schedule",
    "Session",
    "SunTrip",
    "conflict",
    "find_dates",
    "format_schedule",
    "is_none_answer",
    "parse_date",
    "parse_session_count",
    "parse_sun_trips",
    "parse_treatments",
    "parse_weekdays",
    "phases_for",
    "plan_schedule",
    "schedule_to_ics",
]

"""The session schedule: dates in, schedule out, following the clinic's article.

- F26: a course is 3 to 15 sessions.
- F27: at first, every 7 to 10 days.
- F28: as the skin improves, every two weeks, then once a month.
- F29: eventually, maintenance once every six months to a year.
- F22: leave at least a week before laser, peels or fillers.
- F25: stay out of the sun for a few days, so no session just before a sunny trip.

Moving between phases depends on the clinician's assessment of progress; the
plan is a guide, and every message that shows it says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

MIN_SESSIONS = 3
MAX_SESSIONS = 15
MAX_DAYS_AHEAD = 365
TREATMENT_KINDS = ("laser", "peel", "filler", "anti_wrinkle")
# Treatments that need a clear week after mesotherapy (F22). Anti-wrinkle
# injections are not among them in the article, so they move nothing.
BUFFERED_KINDS = frozenset({"laser", "peel", "filler"})
TREATMENT_NAMES = {
    "laser": "laser treatment",
    "peel": "peel",
    "filler": "fillers",
    "anti_wrinkle": "anti-wrinkle injections",
}

AFTERCARE_REMINDERS = (
    "Apply plenty of sunscreen afterwards.",
    "Avoid strenuous exercise for at least 24 hours.",
    "Stay out of the sun for a few days.",
)


class PlanningError(ValueError):
    """The request cannot be planned; the message says why in plain words."""


class Phase(Enum):
    """The stages of a course, each with its gap to the previous session (in days)."""

    INITIAL = ("Phase 1 – every 7–10 days", 7, 10)
    FORTNIGHTLY = ("Phase 2 – every two weeks", 14, 17)
    MONTHLY = ("Phase 2 – once a month", 28, 35)
    MAINTENANCE = ("Phase 3 – maintenance every 6–12 months", 182, 365)

    def __init__(self, label: str, min_gap: int, max_gap: int) -> None:
        self.label = label
        self.min_gap = min_gap
        self.max_gap = max_gap


@dataclass(frozen=True)
class PlannedTreatment:
    """Another skin treatment the visitor has booked: "laser", "peel", "filler", "anti_wrinkle"."""

    kind: str
    on: date


@dataclass(frozen=True)
class SunTrip:
    """A sunny holiday or event, first and last day included."""

    start: date
    end: date


@dataclass(frozen=True)
class PlanRequest:
    """Everything the planner needs; weekdays are numbers with Monday = 0."""

    start: date
    today: date
    session_count: int
    open_weekdays: frozenset[int]
    preferred_weekdays: frozenset[int] = frozenset()
    treatments: tuple[PlannedTreatment, ...] = ()
    sun_trips: tuple[SunTrip, ...] = ()
    treatment_buffer_days: int = 7
    sun_buffer_days: int = 3
    is_example: bool = False


@dataclass(frozen=True)
class Session:
    number: int
    on: date
    phase: Phase
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Schedule:
    sessions: tuple[Session, ...]
    is_example: bool = False


def phases_for(count: int) -> list[Phase]:
    """The phase of each of `count` sessions: initial, then spaced out, then maintenance."""
    maintenance = 0 if count <= 4 else 1 if count <= 9 else 2
    rest = count - maintenance
    initial = max(2, math.ceil(rest / 2))
    spaced = rest - initial
    fortnightly = math.ceil(spaced / 2)
    monthly = spaced - fortnightly
    return (
        [Phase.INITIAL] * initial
        + [Phase.FORTNIGHTLY] * fortnightly
        + [Phase.MONTHLY] * monthly
        + [Phase.MAINTENANCE] * maintenance
    )


def _validate(request: PlanRequest) -> None:
    if not MIN_SESSIONS <= request.session_count <= MAX_SESSIONS:
        raise PlanningError(
            f"A course is between {MIN_SESSIONS} and {MAX_SESSIONS} sessions; "
            f"{request.session_count} is outside that."
        )
    if request.start < request.today:
        raise PlanningError("The start date has already passed.")
    if request.start > request.today + timedelta(days=MAX_DAYS_AHEAD):
        raise PlanningError("I can only plan a start within the next 12 months.")
    if not request.open_weekdays or not request.open_weekdays <= set(range(7)):
        raise PlanningError("The clinic has no open days set.")
    if request.treatment_buffer_days < 0 or request.sun_buffer_days < 0:
        raise PlanningError("Buffers before treatments and trips cannot be negative.")


def _short(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def conflict(day: date, request: PlanRequest) -> str | None:
    """Why a session can't be on `day`, in plain words, or None if it can."""
    if day.weekday() not in request.open_weekdays:
        return "the clinic is closed that day"
    for treatment in request.treatments:
        gap = (treatment.on - day).days
        if treatment.kind in BUFFERED_KINDS and 0 <= gap < request.treatment_buffer_days:
            return (
                f"it must be at least {request.treatment_buffer_days} days before your "
                f"{TREATMENT_NAMES[treatment.kind]} on {_short(treatment.on)}"
            )
    for trip in request.sun_trips:
        if trip.start - timedelta(days=request.sun_buffer_days) <= day <= trip.end:
            if day >= trip.start:
                return f"you'll be away on your sunny trip from {_short(trip.start)}"
            return (
                f"your skin needs a few days out of the sun before your trip on "
                f"{_short(trip.start)}"
            )
    return None


def _first_day(
    earliest: date, latest: date | None, request: PlanRequest, preferred: bool
) -> date | None:
    """The first allowed day from `earliest` (to `latest`, if given)."""
    day = earliest
    limit = latest or earliest + timedelta(days=2 * MAX_DAYS_AHEAD)
    while day <= limit:
        wanted = (
            not preferred
            or not request.preferred_weekdays
            or (day.weekday() in request.preferred_weekdays)
        )
        if wanted and conflict(day, request) is None:
            return day
        day += timedelta(days=1)
    return None


def _place(earliest: date, latest: date, request: PlanRequest) -> tuple[date, tuple[str, ...]]:
    """A day in [earliest, latest] on a preferred open day, or the nearest fallback and why."""
    day = _first_day(earliest, latest, request, preferred=True)
    if day is not None:
        return day, ()
    day = _first_day(earliest, latest, request, preferred=False)
    if day is not None:
        return day, (f"Your preferred day wasn't possible, so this is on a {day:%A}.",)
    reasons = {
        reason
        for offset in range((latest - earliest).days + 1)
        if (reason := conflict(earliest + timedelta(days=offset), request))
        and reason != "the clinic is closed that day"
    }
    day = _first_day(latest + timedelta(days=1), None, request, preferred=True) or _first_day(
        latest + timedelta(days=1), None, request, preferred=False
    )
    if day is None:
        raise PlanningError("I couldn't find an open day for every session.")
    why = "; ".join(sorted(reasons)) or "no open day was free"
    return day, (f"Moved to {_short(day)}: {why}.",)


def plan_schedule(request: PlanRequest) -> Schedule:
    """Plan `session_count` sessions from `start`, following the article's rules."""
    _validate(request)
    phases = phases_for(request.session_count)
    sessions: list[Session] = []
    first_earliest = max(request.start, request.today)
    for number, phase in enumerate(phases, start=1):
        if not sessions:
            earliest, latest = first_earliest, first_earliest + timedelta(days=6)
            day, notes = _place(earliest, latest, request)
            if day != request.start and not notes:
                blocked = conflict(request.start, request)
                if blocked and blocked != "the clinic is closed that day":
                    notes = (f"Moved from {_short(request.start)}: {blocked}.",)
        else:
            previous = sessions[-1].on
            earliest = previous + timedelta(days=phase.min_gap)
            latest = previous + timedelta(days=phase.max_gap)
            day, notes = _place(earliest, latest, request)
        sessions.append(Session(number=number, on=day, phase=phase, notes=notes))
    return Schedule(sessions=tuple(sessions), is_example=request.is_example)

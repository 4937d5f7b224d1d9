"""The session schedule: dates in, schedule out, following the clinic's article.

- F26: a course is 3 to 15 sessions.
- F27: at first, every 7 to 10 days.
- F28: as the skin improves, every two weeks, then once a month.
- F29: eventually, maintenance once every six months to a year.
- F22: no other skin procedure until the skin has healed: a clear week before
  laser, peels and fillers. The clinic also keeps that week before anti-wrinkle
  injections, as its own precaution, and says so as its own.
- F25: stay out of the sun for a few days, so no session during a sunny trip
  or in the days just before it (how many is the clinic's choice, clinic.yml).

No session falls on a day the clinic is closed: its weekly days off, the
region's public holidays and its own closures (clinic/planner/closures.py),
and every move says why.

Moving between phases depends on the clinician's assessment of progress; the
schedule is a guide, and every message that shows it says so.

Besides a whole course there are two other schedules: the rest of a course already begun
(`sessions_done`: the sessions still to come, numbered and phased as in the
whole course) and, after a course, the maintenance top-ups alone
(`plan_maintenance`: every six months to a year, F29).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import Enum

from clinic.messages import text
from clinic.rules import (
    MAX_DAYS_AHEAD,
    MAX_SESSIONS,
    MAX_SUN_BUFFER_DAYS,
    MAX_TREATMENT_BUFFER_DAYS,
    MIN_SESSIONS,
    MIN_TREATMENT_BUFFER_DAYS,
    SEARCH_LIMIT_DAYS,
    TREATMENT_KINDS,
    session_count_is_valid,
    weekday_name,
)

# F21, F24, F25: said after every session (clinic/messages/schedule.yml).
AFTERCARE_KEYS = ("aftercare_sunscreen", "aftercare_exercise", "aftercare_sun")


def aftercare_reminders() -> tuple[str, ...]:
    """The aftercare lines shown with a schedule and in each calendar event."""
    return tuple(text(key) for key in AFTERCARE_KEYS)


def treatment_name(kind: str) -> str:
    """ "laser treatment" for "laser"."""
    return text(f"treatment_{kind}")


class PlanningError(ValueError):
    """The request cannot be planned; the message says why and what to do instead."""


class Phase(Enum):
    """The stages of a course, each with the usual gap (in days) to the session before."""

    INITIAL = (1, "phase_initial", 7, 10)  # F27
    SPACING_FORTNIGHTLY = (2, "phase_fortnightly", 14, 17)  # F28
    SPACING_MONTHLY = (2, "phase_monthly", 28, 35)  # F28
    MAINTENANCE = (3, "phase_maintenance", 182, 365)  # F29

    number: int
    cadence_key: str
    min_gap: int
    max_gap: int

    def __init__(self, number: int, cadence_key: str, min_gap: int, max_gap: int) -> None:
        self.number = number
        self.cadence_key = cadence_key
        self.min_gap = min_gap
        self.max_gap = max_gap

    @property
    def cadence(self) -> str:
        """For people: "every 7–10 days"."""
        return text(self.cadence_key)

    @property
    def label(self) -> str:
        """For people: "Phase 1 – every 7–10 days"."""
        return text("phase_label", number=self.number, cadence=self.cadence)


@dataclass(frozen=True)
class OtherTreatment:
    """Another skin treatment the visitor has booked: "laser", "peel", "filler", "anti_wrinkle".

    Said only as a short stretch of time ("fillers in late May"), it runs from `on` to
    `until`, `described` in the bot's words: the week before it and the stretch stay clear.
    """

    kind: str
    on: date
    until: date | None = None
    described: str | None = None

    @property
    def when(self) -> str:
        """ "on Thu 26 Mar", or "in late May" for a stretch."""
        return self.described if self.described else f"on {short_date(self.on)}"


@dataclass(frozen=True)
class SunTrip:
    """A sunny holiday or event, first and last day included.

    `described` is set when the visitor named only a stretch of time ("a week in
    Crete in June"): the whole stretch is kept clear, and the read-back says so.
    """

    start: date
    end: date
    described: str | None = None


@dataclass(frozen=True)
class ScheduleRequest:
    """Everything the planner needs; weekdays are numbers with Monday = 0.

    An empty `preferred_weekdays` means any open day will do.
    """

    start: date
    today: date
    session_count: int
    open_weekdays: frozenset[int]
    preferred_weekdays: frozenset[int] = frozenset()
    treatments: tuple[OtherTreatment, ...] = ()
    sun_trips: tuple[SunTrip, ...] = ()
    treatment_buffer_days: int = 7
    sun_buffer_days: int = 3
    is_example: bool = False
    # Public holidays and closures (clinic/planner/closures.py): day -> why, for visitors.
    closed_days: Mapping[date, str] = field(default_factory=dict)
    # Sessions of this course already had: the schedule is of the rest, from `start`.
    sessions_done: int = 0
    # Said with the schedule, in the chat and the calendar: what it can't promise.
    caveats: tuple[str, ...] = ()


@dataclass(frozen=True)
class Session:
    """One planned session; `notes` explain any move away from the usual rhythm."""

    number: int
    on: date
    phase: Phase
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Schedule:
    """The planned course; an example course is one the clinician hasn't sized yet."""

    sessions: tuple[Session, ...]
    is_example: bool = False
    total: int = 0  # the whole course's sessions (more than planned for the rest of one)
    maintenance: bool = False  # top-ups after a course, not a course
    caveats: tuple[str, ...] = ()

    @property
    def course_length(self) -> int:
        return self.total or len(self.sessions)


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
        + [Phase.SPACING_FORTNIGHTLY] * fortnightly
        + [Phase.SPACING_MONTHLY] * monthly
        + [Phase.MAINTENANCE] * maintenance
    )


def _validate(request: ScheduleRequest) -> None:
    count = request.session_count
    if not session_count_is_valid(count):
        raise PlanningError(
            text("error_session_count", min=MIN_SESSIONS, max=MAX_SESSIONS, count=count)
        )
    if not 0 <= request.sessions_done < count:
        raise PlanningError(text("error_sessions_done", count=count))
    if request.start < request.today:
        raise PlanningError(text("error_start_passed"))
    if request.start > request.today + timedelta(days=MAX_DAYS_AHEAD):
        raise PlanningError(text("error_start_too_far"))
    if not request.open_weekdays:
        raise PlanningError(text("error_no_open_days"))
    if not request.open_weekdays | request.preferred_weekdays <= frozenset(range(7)):
        raise PlanningError(text("error_weekday_numbers"))
    if not MIN_TREATMENT_BUFFER_DAYS <= request.treatment_buffer_days <= MAX_TREATMENT_BUFFER_DAYS:
        raise PlanningError(
            text(
                "error_treatment_buffer",
                min=MIN_TREATMENT_BUFFER_DAYS,
                max=MAX_TREATMENT_BUFFER_DAYS,
            )
        )
    if not 0 <= request.sun_buffer_days <= MAX_SUN_BUFFER_DAYS:
        raise PlanningError(text("error_sun_buffer", max=MAX_SUN_BUFFER_DAYS))
    for treatment in request.treatments:
        if treatment.kind not in TREATMENT_KINDS:
            raise PlanningError(text("error_unknown_treatment", kind=repr(treatment.kind)))
    for trip in request.sun_trips:
        if trip.end < trip.start:
            raise PlanningError(
                text("error_trip_dates", end=short_date(trip.end), start=short_date(trip.start))
            )


def short_date(day: date) -> str:
    """ "Thu 26 Mar": short enough for a chat line, with the weekday people plan by."""
    return f"{day:%a} {day.day} {day:%b}"


def long_date(day: date) -> str:
    """ "Thu 26 Mar 2026": a session's day, with the year."""
    return f"{short_date(day)} {day:%Y}"


def day_and_month(day: date) -> str:
    """ "26 Mar": one end of a trip."""
    return f"{day.day} {day:%b}"


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def conflict(day: date, request: ScheduleRequest) -> str | None:
    """Why no session can be on `day`, in plain words, or None if it can."""
    if day.weekday() not in request.open_weekdays:
        return text("conflict_closed_weekday", weekday=weekday_name(day.weekday()))
    if day in request.closed_days:
        return request.closed_days[day]
    buffer = request.treatment_buffer_days
    for treatment in request.treatments:
        during = treatment.on <= day <= (treatment.until or treatment.on)
        if 0 <= (treatment.on - day).days < buffer or during:
            # The article's week is for laser, peels and fillers; before anti-wrinkle
            # injections it is the clinic's own precaution, and said as such.
            key = (
                "conflict_before_anti_wrinkle"
                if treatment.kind == "anti_wrinkle"
                else ("conflict_before_treatment")
            )
            return text(
                key,
                days=buffer,
                treatment=treatment_name(treatment.kind),
                when=treatment.when,
            )
    for trip in request.sun_trips:
        if trip.start <= day <= trip.end:
            return text(
                "conflict_during_trip", start=short_date(trip.start), end=short_date(trip.end)
            )
        if trip.start - timedelta(days=request.sun_buffer_days) <= day < trip.start:
            return text(
                "conflict_before_trip", days=request.sun_buffer_days, start=short_date(trip.start)
            )
    return None


class _SessionPlacer:
    """Places sessions one by one; holds the request and the preference in force."""

    def __init__(self, request: ScheduleRequest) -> None:
        self.request = request
        # A preference the clinic can never meet (it is closed those days) is dropped once,
        # with one note, rather than flagged on every session.
        self.preferred = request.preferred_weekdays & request.open_weekdays

    def allowed(self, day: date) -> bool:
        return conflict(day, self.request) is None

    def wanted(self, day: date) -> bool:
        return not self.preferred or day.weekday() in self.preferred

    def first_allowed(self, earliest: date, preferred: bool) -> date:
        for day in _days(earliest, earliest + timedelta(days=SEARCH_LIMIT_DAYS)):
            if self.allowed(day) and (not preferred or self.wanted(day)):
                return day
        raise PlanningError(text("error_no_free_day"))

    def first_after_block(self, earliest: date) -> date:
        """The first free day, or a preferred one if it comes within the following week."""
        day = self.first_allowed(earliest, preferred=False)
        if self.wanted(day):
            return day
        week = _days(day, day + timedelta(days=6))
        return next((d for d in week if self.allowed(d) and self.wanted(d)), day)

    def reasons(self, first: date, last: date) -> list[str]:
        """The distinct conflicts (other than closed days) that blocked [first, last]."""
        found: list[str] = []
        for day in _days(first, last):
            reason = conflict(day, self.request)
            if (
                reason
                and day.weekday() in self.request.open_weekdays
                and self.wanted(day)
                and reason not in found
            ):
                found.append(reason)
        return found

    def closure_notes(self, earliest: date, chosen: date) -> tuple[str, ...]:
        """Why a session is later than its usual day, when a holiday or closure moved it."""
        usual = [
            day
            for day in _days(earliest, chosen - timedelta(days=1))
            if day.weekday() in self.request.open_weekdays and self.wanted(day)
        ]
        closed = [self.request.closed_days[day] for day in usual if day in self.request.closed_days]
        if not closed:
            return ()
        return (
            text("note_moved", day=short_date(chosen), reasons="; ".join(dict.fromkeys(closed))),
        )

    def first_session(self) -> tuple[date, tuple[str, ...]]:
        request = self.request
        earliest = max(request.start, request.today)
        notes: list[str] = []
        if request.preferred_weekdays and not self.preferred:
            closed = " or ".join(weekday_name(d) + "s" for d in sorted(request.preferred_weekdays))
            notes.append(text("note_preference_closed", days=closed))
        day = self.first_allowed(earliest, preferred=True)
        blocked = self.reasons(earliest, day - timedelta(days=1))
        if blocked:
            notes.append(text("note_moved", day=short_date(day), reasons="; ".join(blocked)))
        elif day == self.first_allowed(earliest, preferred=False) and day != request.start:
            closed_reason = conflict(request.start, request)
            if closed_reason:
                notes.append(text("note_moved", day=short_date(day), reasons=closed_reason))
        return day, tuple(notes)

    def next_session(self, previous: date, phase: Phase) -> tuple[date, tuple[str, ...]]:
        earliest = previous + timedelta(days=phase.min_gap)
        latest = previous + timedelta(days=phase.max_gap)
        free = [day for day in _days(earliest, latest) if self.allowed(day)]
        if free:
            preferred = [day for day in free if self.wanted(day)]
            if preferred:
                return preferred[0], self.closure_notes(earliest, preferred[0])
            weekday = weekday_name(free[0].weekday())
            moved = self.closure_notes(earliest, free[0])
            return free[0], moved or (text("note_preference_missed", weekday=weekday),)
        day = self.first_after_block(latest + timedelta(days=1))
        why = "; ".join(self.reasons(earliest, latest)) or text("conflict_closed_days")
        return day, (text("note_moved", day=short_date(day), reasons=why),)


def plan_schedule(request: ScheduleRequest) -> Schedule:
    """Plan `session_count` sessions from `start`, following the article's rules; with
    `sessions_done`, the rest of that course, numbered and phased as in the whole course.

    Raises PlanningError, with a message for the visitor, if the request can't be planned.
    """
    _validate(request)
    placer = _SessionPlacer(request)
    sessions: list[Session] = []
    phases = phases_for(request.session_count)[request.sessions_done :]
    for number, phase in enumerate(phases, start=request.sessions_done + 1):
        if sessions:
            day, notes = placer.next_session(sessions[-1].on, phase)
        else:
            day, notes = placer.first_session()
        sessions.append(Session(number=number, on=day, phase=phase, notes=notes))
    return Schedule(
        sessions=tuple(sessions),
        is_example=request.is_example,
        total=request.session_count,
        caveats=request.caveats,
    )


# How many maintenance top-ups a schedule shows: two years of them at the article's
# shortest gap (every six months, F29).
MAINTENANCE_TOP_UPS = 4


def plan_maintenance(
    request: ScheduleRequest, last_session: date, top_ups: int = MAINTENANCE_TOP_UPS
) -> Schedule:
    """The maintenance top-ups after a course that ended on `last_session` (F29).

    Each is suggested six months after the one before (the last session first), on
    the first free day the visitor prefers, and may be as late as a year after it:
    each session's note says until when. A first top-up already due is suggested
    from today. `request.start` and `session_count` are not used.
    """
    if last_session > request.today:
        raise PlanningError(text("error_last_session_ahead"))
    _validate(replace(request, start=request.today, session_count=top_ups, sessions_done=0))
    placer = _SessionPlacer(request)
    sessions: list[Session] = []
    previous = last_session
    for number in range(1, top_ups + 1):
        earliest = max(previous + timedelta(days=Phase.MAINTENANCE.min_gap), request.today)
        day = placer.first_after_block(earliest)
        latest = previous + timedelta(days=Phase.MAINTENANCE.max_gap)
        notes = [text("note_top_up_by", latest=long_date(max(latest, day)))]
        blocked = placer.reasons(earliest, day - timedelta(days=1))
        if blocked:
            notes.insert(0, text("note_moved", day=short_date(day), reasons="; ".join(blocked)))
        sessions.append(Session(number, day, Phase.MAINTENANCE, tuple(notes)))
        previous = day
    return Schedule(sessions=tuple(sessions), maintenance=True, caveats=request.caveats)

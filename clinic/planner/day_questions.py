"""Which day? The planner's question after a stretch of time or a wrong weekday.

Rasa-free: actions/planner_form.py keeps a pending question in a slot (as the
dict `question_to_slot` makes) and asks it with `which_day`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import Any

from clinic.messages import text
from clinic.names import OTHER_TREATMENTS, SUN_TRIPS
from clinic.planner.closures import closed_days
from clinic.planner.date_words import Vague
from clinic.planner.form_answers import DateQuestion
from clinic.planner.schedule import day_and_month, short_date, treatment_name
from clinic.rules import weekday_name
from clinic.settings import ClinicSettings


def question_to_slot(question: DateQuestion | None) -> dict[str, Any] | None:
    """A pending question as the slot keeps it (JSON), or None."""
    if question is None:
        return None
    return {
        "for": question.for_slot,
        "described": question.vague.described,
        "earliest": question.vague.earliest.isoformat(),
        "said_weekday": question.vague.said_weekday,
        "treatment": question.treatment,
    }


def question_from_slot(raw: Any) -> DateQuestion | None:
    """The slot back as a DateQuestion; anything malformed is no question."""
    if not isinstance(raw, dict):
        return None
    try:
        said = raw.get("said_weekday")
        vague = Vague(
            described=str(raw["described"]),
            earliest=date.fromisoformat(str(raw["earliest"])),
            said_weekday=None if said is None else int(said),
        )
        return DateQuestion(str(raw["for"]), vague, raw.get("treatment"))
    except (KeyError, TypeError, ValueError):
        return None


def first_open_day(
    earliest: date, settings: ClinicSettings, weekdays: Collection[int] = ()
) -> date:
    """The first day from `earliest` the clinic is open (and, given any, on one of the
    visitor's `weekdays`): for the example we offer, or the start of a course said as a
    short stretch of time."""
    closed = closed_days(settings.closed_days, earliest, earliest + timedelta(days=60))
    suits = set(weekdays) & set(settings.open_weekdays) or set(settings.open_weekdays)
    day = earliest
    while day.weekday() not in suits or day in closed:
        if day > earliest + timedelta(days=60):
            return earliest
        day += timedelta(days=1)
    return day


# A start said as a stretch of up to a month ("mid April", "next week", "in May") starts on
# its first open day (the read-back shows it, to change); a longer one ("in the summer") or a
# weekday that isn't the date's gets "which day?".
MAX_STRETCH_START_DAYS = 31


def start_of_stretch(
    vague: Vague, settings: ClinicSettings, now: date, weekdays: Collection[int] = ()
) -> date | None:
    """The day a course said to start in a short stretch of time starts, if it is short: its
    first open day, on one of the visitor's `weekdays` when they have said them ("mid
    April, any weekday": Monday 12th, not Saturday 10th)."""
    if vague.said_weekday is not None or vague.latest is None or vague.latest < now:
        return None
    if (vague.latest - vague.earliest).days >= MAX_STRETCH_START_DAYS:
        return None
    return first_open_day(max(now, vague.earliest), settings, weekdays)


def which_day(question: DateQuestion, settings: ClinicSettings, now: date) -> str:
    """Which day, for a stretch of time, or for a weekday the date isn't."""
    vague = question.vague
    earliest = max(now, vague.earliest)
    if vague.said_weekday is not None:
        offset = (vague.said_weekday - earliest.weekday() + 7) % 7
        other = earliest + timedelta(days=offset - 7 if offset > 3 else offset)
        if other < now:
            other += timedelta(days=7)
        return text(
            "date_weekday_mismatch",
            day=vague.described,
            actual=weekday_name(earliest.weekday()),
            said=weekday_name(vague.said_weekday),
            one=short_date(min(other, earliest)),
            other=short_date(max(other, earliest)),
        )
    if question.for_slot == OTHER_TREATMENTS:
        return text(
            "treatment_date_vague",
            described=vague.described,
            treatment=treatment_name(question.treatment or "laser"),
            example=day_and_month(earliest),
        )
    if question.for_slot == SUN_TRIPS:
        return text(
            "trip_dates_vague",
            described=vague.described,
            first=day_and_month(earliest),
            last=day_and_month(earliest + timedelta(days=6)),
        )
    example = first_open_day(earliest, settings)
    return text("start_date_vague", described=vague.described, example=short_date(example))

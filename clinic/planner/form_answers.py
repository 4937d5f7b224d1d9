"""Reading a visitor's message into planner answers, knowing which question was asked.

One message can answer several questions ("6 sessions from next Monday for
hair thinning, I have a peel on 20 March") or correct an earlier answer
("actually start on the 10th"). Dates that belong to a treatment or a trip
are never taken as the start date, and words that name no single day ("early
February", "after Christmas") are kept as `vague`, for the form to ask which day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from clinic.content import NAMED_CONDITIONS
from clinic.planner.date_words import Vague
from clinic.planner.dates import find_dates, find_vague, parse_date, read_date
from clinic.planner.schedule import PlannedTreatment
from clinic.planner.values import (
    is_none_answer,
    parse_session_count,
    parse_sun_trips,
    parse_treatments,
    parse_weekdays,
    treatment_kinds,
)

START_DATE = "start_date"
SESSION_COUNT = "session_count"
MAIN_CONCERN = "main_concern"
PREFERRED_WEEKDAYS = "preferred_weekdays"
OTHER_TREATMENTS = "other_treatments"
SUN_TRIPS = "sun_trips"
PLAN_CONFIRMED = "plan_confirmed"

NOT_GIVEN = "not_given"
# A concern the visitor named that the article doesn't: planned without a label.
NOT_NAMED = "not_named"
UNKNOWN_COUNT = "unknown"

_START_CUE = re.compile(r"\b(start\w*|begin\w*|from|first session|kick off)\b", re.I)
# "make that 8", "can we do 7 instead", "change it to ten": a new number of sessions.
_CORRECTED_COUNT = re.compile(
    r"\b(?:make (?:it|that)|do|change (?:it|that)? ?to|go (?:with|for)|let'?s (?:do|say)|"
    r"rather|instead)\s+(\d{1,2}|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen)\b(?!\s*(?:st|nd|rd|th|[/.:]\d|am|pm|of|jan|feb|mar|apr|may|jun|jul|aug"
    r"|sep|oct|nov|dec|days?|weeks?|months?))"
    r"|\b(\d{1,2}|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+instead\b",
    re.I,
)
_COUNT_PHRASE = re.compile(
    r"\b(\d{1,2}|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|a dozen)\s+(?:more\s+)?(?:mesotherapy\s+|meso\s+)?"
    r"(sessions?|treatments?|appointments?|visits?|injections?)\b"
    r"|\bcourse of\s+(\d{1,2}|\w+)\b",
    re.I,
)
_WEEKDAY_PREFERENCE = re.compile(
    r"\b(mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|weekends?|weekdays"
    r"|only on \w+|on \w+days?|any day)\b",
    re.I,
)
_NO_TREATMENTS = re.compile(
    r"\bno (?:other )?(?:skin )?(?:treatments?|procedures?|laser|peels?|fillers?)\b"
    r"|\bnothing else (?:booked|planned)\b",
    re.I,
)
_NO_TRIPS = re.compile(
    r"\bno (?:sunny |sun |beach )?(?:holidays?|trips?|travel|vacations?)\b"
    r"|\bnot going (?:away|abroad)\b",
    re.I,
)
# "the 2nd", "Tuesday please": a day that counts from the stretch of time asked about.
_BARE_DAY_ANSWER = re.compile(
    r"^\s*(?:(?:on|maybe|how about|let'?s say)\s+)?(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)?|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)(?:\s+please)?\s*[.!?]?\s*$",
    re.I,
)
_SKIP = re.compile(
    r"^\s*(?:please\s+|pls\s+|can we\s+|can i\s+|just\s+)?(?:skip|pass|next)"
    r"(?:\s+(?:it|this|that|this one|that one|this question|that question|that one too|too|"
    r"as well|aswell|please|pls|for now|thanks|thx))*\s*[.!]?\s*$",
    re.I,
)


@dataclass(frozen=True)
class DateQuestion:
    """A day to ask for: the visitor named a stretch of time ("early February") for a slot.

    `treatment` is the kind of treatment the day is for, when it is one.
    """

    for_slot: str
    vague: Vague
    treatment: str | None = None


@dataclass(frozen=True)
class Reading:
    """Slot values found in one message, and why the asked question wasn't answered."""

    values: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None
    question: DateQuestion | None = None  # which day to ask for, before going on


def _without(text: str, phrases: list[str]) -> str:
    for phrase in phrases:
        text = text.replace(phrase, " ")
    return text


def is_skip(text: str) -> bool:
    """The visitor wants to skip the current question."""
    return bool(_SKIP.match(text))


def _iso(day: date) -> str:
    return day.isoformat()


def read_answers(
    text: str,
    asked: str | None,
    today: date,
    conditions: list[str],  # `condition` entity values; only the article's label a plan
    intent: str | None = None,
    pending: DateQuestion | None = None,
) -> Reading:
    """Everything this message says about the plan; `asked` is the question on screen.

    `pending` is the day the bot has just asked for: answering "which day in early
    February?" with "the 2nd" or "Tuesday" means the one from then, and for a treatment
    asked about ("which day in April is your filler?") a day alone is that treatment's.
    """
    values: dict[str, Any] = {}
    problem: str | None = None
    question: DateQuestion | None = None
    pending = pending if pending and pending.for_slot == asked else None
    base = max(today, pending.vague.earliest) if pending else today
    bare = bool(_BARE_DAY_ANSWER.match(text))

    treatments = parse_treatments(text, today)
    if pending and pending.treatment and not treatments:
        day = parse_date(text, base if bare else today)
        if day:
            treatments = [PlannedTreatment(kind=pending.treatment, on=day)]
    trips = parse_sun_trips(text, base if pending else today, asked=asked == SUN_TRIPS)
    taken = {t.on for t in treatments} | {day for trip in trips for day in (trip.start, trip.end)}
    if treatments:
        values[OTHER_TREATMENTS] = [{"kind": t.kind, "on": _iso(t.on)} for t in treatments]
    if trips:
        values[SUN_TRIPS] = [{"start": _iso(t.start), "end": _iso(t.end)} for t in trips]

    dates = find_dates(text, today)
    free_dates = [day for _, day in dates if day not in taken]
    if asked == START_DATE:
        if pending and bare:
            free_dates = [day for _, day in find_dates(text, base)]
        start = free_dates[0] if free_dates else None
        if start is None and not (treatments or trips):
            said = read_date(text, today)
            if isinstance(said, Vague):
                question = DateQuestion(START_DATE, said)
            else:
                start = said
        if start:
            values[START_DATE] = _iso(start)
        else:
            problem = "vague" if question else "not_understood"
    elif free_dates and _START_CUE.search(text):
        values[START_DATE] = _iso(free_dates[0])
    elif _START_CUE.search(text) and not (treatments or trips):
        vague = find_vague(text, today)
        question = DateQuestion(START_DATE, vague) if vague else None

    count_phrase = _COUNT_PHRASE.search(text) or _CORRECTED_COUNT.search(text)
    if asked == SESSION_COUNT or count_phrase:
        count = parse_session_count(count_phrase.group(0) if count_phrase else text)
        if count is not None:
            values[SESSION_COUNT] = count
        elif asked == SESSION_COUNT:
            problem = "not_understood"

    named = [condition for condition in conditions if condition in NAMED_CONDITIONS]
    if named:
        values[MAIN_CONCERN] = named[0]
    elif conditions:
        values[MAIN_CONCERN] = NOT_NAMED
    elif asked == MAIN_CONCERN:
        if is_none_answer(text) or re.search(r"\b(not sure|don'?t know|no idea)\b", text, re.I):
            values[MAIN_CONCERN] = NOT_GIVEN
        else:
            problem = "not_understood"

    # A weekday inside a date ("a week on Monday", "from next Tuesday") is when to
    # start, not a preference: only the text around the dates can state one.
    undated = _without(text, [words for words, _ in dates])
    if asked == PREFERRED_WEEKDAYS or _WEEKDAY_PREFERENCE.search(undated):
        weekdays = parse_weekdays(text if asked == PREFERRED_WEEKDAYS else undated)
        if weekdays is not None:
            values[PREFERRED_WEEKDAYS] = sorted(weekdays)
        elif asked == PREFERRED_WEEKDAYS:
            problem = "not_understood"

    # "no other treatments and no sunny holidays": either said up front, not just when asked.
    if OTHER_TREATMENTS not in values and _NO_TREATMENTS.search(text):
        values[OTHER_TREATMENTS] = []
    if SUN_TRIPS not in values and _NO_TRIPS.search(text):
        values[SUN_TRIPS] = []
    if asked in (OTHER_TREATMENTS, SUN_TRIPS) and asked not in values:
        kinds = treatment_kinds(text) if asked == OTHER_TREATMENTS else []
        vague = find_vague(text, today) if kinds or asked == SUN_TRIPS else None
        if is_none_answer(text):
            values[asked] = []
        elif vague:  # "lip filler in April", "a week in Portugal in July": which days?
            question = DateQuestion(asked, vague, kinds[0] if kinds else None)
            problem = "vague"
        else:
            problem = "not_understood"

    if asked == PLAN_CONFIRMED:
        if intent == "affirm":
            values[PLAN_CONFIRMED] = True
        elif intent == "deny":
            values[PLAN_CONFIRMED] = False

    return Reading(
        values=values,
        problem=None if asked in values else problem,
        question=None if question is None or question.for_slot in values else question,
    )

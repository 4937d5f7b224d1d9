"""Reading a visitor's message into planner answers, knowing which question was asked.

One message can answer several questions ("6 sessions from next Monday for
hair thinning, I have a peel on 20 March") or correct an earlier answer
("actually start on the 10th"), whichever question is on screen, and also
after a side question the bot answered in between. Each slot has its own
reader below; `read_answers` runs them all over one `Said` message.

Dates that belong to a treatment or a trip are never taken as the start date,
and words that name no single day ("early February", "after Christmas") are
kept as a `DateQuestion`, for the form to ask which day. A visitor who has
finished a course and wants only the maintenance top-ups, or is part-way
through one ("I've had 4 of my 10"), says so in `course_stage` and
`sessions_done`, and the form asks for what that schedule needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from clinic.content import NAMED_CONDITIONS
from clinic.names import (
    AFFIRM,
    CONCERN_NOT_NAMED,
    COURSE_STAGE,
    DENY,
    LAST_SESSION,
    MAIN_CONCERN,
    OTHER_TREATMENTS,
    PLAN_CONFIRMED,
    PREFERRED_WEEKDAYS,
    REQUEST_SCHEDULE,
    SESSION_COUNT,
    SESSIONS_DONE,
    START_DATE,
    SUN_TRIPS,
    THANK,
)
from clinic.planner.date_words import NUMBER_WORDS, WEEKDAY_RANGE, Vague, normalise
from clinic.planner.dates import (
    dated_phrases,
    find_dates,
    find_past_dates,
    find_vague,
    parse_date,
    read_date,
)
from clinic.planner.schedule import OtherTreatment, SunTrip
from clinic.planner.values import (
    CLAUSE_BREAK,
    NO_TRIPS,
    is_none_answer,
    mentions_a_trip,
    parse_session_count,
    parse_sun_trips,
    parse_treatments,
    parse_weekdays,
    treatment_kinds,
)
from clinic.rules import MAX_SESSIONS, MIN_SESSIONS

NOT_GIVEN = "not_given"
# A concern the visitor named that the article doesn't: planned without a label.
NOT_NAMED = "not_named"
UNKNOWN_COUNT = "unknown"
# course_stage: only the maintenance top-ups after a finished course, or the rest of one.
MAINTENANCE = "maintenance"
CONTINUING = "continuing"

_START_CUE = re.compile(
    r"\b(start\w*|begin\w*|from|first session|kick off|"
    r"next (?:one|session|appointment|treatment)|next(?:'s| is)|i mean|i meant)\b",
    re.I,
)
# What follows a start cue when it is a time ("… starting next week", "… from mid May").
_STARTS_WITH_A_TIME = re.compile(
    # "starting next week", "start mesotherapy next week", "begin my sessions mid April"
    r"\s*(?:(?:meso\w*|my|the|course|sessions?|treatments?)\s+)*"
    r"(?:(?:on|in|at|around|about|the)\s+)*(?:next|this|mid|early|late|end|beginning|start)\b",
    re.I,
)
_NUMBER = r"\d{1,2}|" + "|".join(word for word in NUMBER_WORDS if " " not in word)
# "make that 8", "can we do 7 instead", "change it to ten": a new number of sessions.
_CORRECTED_COUNT = re.compile(
    rf"\b(?:make (?:it|that)|do|change (?:it|that)? ?to|go (?:with|for)|let'?s (?:do|say)|"
    rf"rather|instead)\s+({_NUMBER})\b(?!\s*(?:st|nd|rd|th|[/.:]\d|am|pm|of|jan|feb|mar|apr|"
    rf"may|jun|jul|aug|sep|oct|nov|dec|days?|weeks?|months?))"
    rf"|\b({_NUMBER})\s+instead\b",
    re.I,
)
_COUNT_PHRASE = re.compile(
    rf"\b({_NUMBER}|a dozen)\s+(?:more\s+)?(?:mesotherapy\s+|meso\s+)?"
    r"(?:sessions?|treatments?|appointments?|visits?|injections?)\b"
    rf"|\bcourse of\s+({_NUMBER})\b",
    re.I,
)
# The whole course's length beside the sessions already had: "of my 10", "a course of 10".
_COURSE_TOTAL = re.compile(
    rf"\bcourse of\s+({_NUMBER})\b|\b(?:out\s+)?of\s+(?:my|the|a)\s+(\d{{1,2}})\b"
    rf"|\bout of\s+({_NUMBER})\b|\b(?:{_NUMBER})\s+(?:sessions?\s+|treatments?\s+)?of\s+"
    rf"({_NUMBER})\b"
    rf"|\b({_NUMBER})\s+(?:sessions?\s+)?(?:in total|altogether|in all)\b",
    re.I,
)
# "I've had 4 sessions", "made 2 sessions of 5", "4 sessions into", "4 of my 10", "4 down":
# already had in this course.
_DONE = re.compile(
    rf"\b(?:i'?ve had|i have had|had|done|already had|completed|made|did|attended)\s+"
    rf"(?:already\s+)?({_NUMBER})\s+"
    r"(?:sessions?|treatments?|so far|already|of\b)"
    rf"|\b({_NUMBER})\s+(?:sessions?|treatments?)\s+(?:into|down|done|so far)\b"
    rf"|\b({_NUMBER})\s+(?:out\s+)?of\s+(?:my|the)\s+\d{{1,2}}\b|\b({_NUMBER})\s+down\b"
    rf"|\b({_NUMBER})\s+out of\s+(?:{_NUMBER})\b|\b({_NUMBER})\s+(?:done|completed)\b",
    re.I,
)
_BRACKETS = re.compile(r"[\s,]*[()\[\]]+[\s,]*")
_REST_OF_COURSE = re.compile(
    r"\b(?:the rest|remaining|rest of (?:my|the) (?:course|sessions)|part[- ]way|halfway|"
    r"half way|mid[- ]?way)\b",
    re.I,
)
_MAINTENANCE = re.compile(
    r"\b(?:maintenance|top[- ]?ups?|topups?|finished (?:my|the) (?:full )?course|"
    r"(?:done|completed|had) (?:my|the) (?:full |whole )?course|course is (?:done|finished|over)"
    r"|after (?:my|the) course)\b",
    re.I,
)
# "last one was 9 February", said to another question: the last session, corrected.
_LAST_SESSION_WAS = re.compile(
    r"\blast (?:one|session|treatment|appointment) (?:was|were)\b|\bhad my last (?:one|session)\b",
    re.I,
)
_LAST_SESSION_CUE = re.compile(
    r"\b(?:last (?:one|session|treatment|appointment)|finished|completed|ended|done)\b", re.I
)
# A treatment said as a stretch of up to a month ("late May", "in June") is planned
# around as a whole, as a sunny trip is; a longer one ("in the summer") gets "which day?".
MAX_STRETCH_TREATMENT_DAYS = 32
_TODAY = re.compile(r"\b(?:today|this morning)\b", re.I)
_NO_TREATMENTS = re.compile(
    r"\b(?:no|(?:do ?n'?t|do not) have (?:any )?) ?(?:other )?(?:skin )?(?:treatments?|"
    r"procedures?|lasers?|peels?|fillers?|botox|anti[- ]?wrinkle)\b"
    r"|\bnothing else (?:booked|planned)\b",
    re.I,
)
# "the 2nd", "Tuesday please": a day that counts from the stretch of time asked about.
_BARE_DAY_ANSWER = re.compile(
    r"^\s*(?:(?:on|maybe|how about|let'?s say)\s+)?(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)?|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)(?:\s+please)?\s*[.!?]?\s*$",
    re.I,
)
# A number alone, the course's length in an opener: "6 from Monday 8 March".
_BARE_COUNT = re.compile(
    r"(?<![\d/:.£$])\b(\d{1,2})\b(?![\d/:.%]|\s*(?:am|pm|years?|yrs?|kids?|children|weeks?|"
    r"days?|months?|hours?|mins?|minutes?|times?|x\b|st\b|nd\b|rd\b|th\b))",
    re.I,
)
# A weekday said as when the visitor is free, even where it could be a date ("only
# saturday I am free", "I can only do Mondays").
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
_PREFERRED_DAY = re.compile(
    rf"\b(?:only|just|prefer(?:ably)?|best|free on|can do|suits? me|every)\s+(?:on\s+)?{_WEEKDAY}\b"
    # "any day but Wednesday", "anything except mondays or fridays": the days left out.
    r"|\b(?:any ?(?:day|time)|anything|every ?day|all days|whenever)\s+(?:but|except(?: for)?|"
    rf"apart from|other than|besides)\s+(?:on\s+)?{_WEEKDAY}"
    rf"(?:\s*(?:,|or|and|&|nor)\s*{_WEEKDAY})*\b",
    re.I,
)
# "Plan 6 sessions from Monday, any day, no trips": any day, said up front as plainly as this.
_ANY_DAY_SAID = re.compile(r"\b(?:any ?day|every ?day|all days|any day of the week)\b", re.I)
_SKIP = re.compile(
    r"^\s*(?:please\s+|pls\s+|can we\s+|can i\s+|just\s+)?(?:skip|pass|next)"
    r"(?:\s+(?:it|this|that|this one|that one|this question|that question|that one too|too|"
    r"as well|aswell|please|pls|for now|thanks|thx))*\s*[.!]?\s*$"
    r"|^\s*(?:i'?d\s+)?(?:rather|prefer)\s+not(?:\s+(?:to\s+)?(?:say|answer|tell))?\s*[.!]?\s*$",
    re.I,
)
_UNSURE = re.compile(r"\b(not sure|don'?t know|no idea)\b", re.I)


@dataclass(frozen=True)
class DateQuestion:
    """A day to ask for: the visitor named a stretch of time ("early February") for a slot.

    `treatment` is the kind of treatment the day is for, when it is one.
    """

    for_slot: str
    vague: Vague
    treatment: str | None = None


@dataclass(frozen=True)
class PlannerAnswers:
    """Slot values found in one message, and why the asked question wasn't answered."""

    values: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None
    question: DateQuestion | None = None  # which day to ask for, before going on


@dataclass(frozen=True)
class Answer:
    """What one message says for one slot: a value, a day to ask about, or a problem."""

    value: Any = None
    question: DateQuestion | None = None
    problem: str | None = None


NOTHING = Answer()


@dataclass(frozen=True)
class Said:
    """One message, with what the form knows around it."""

    text: str
    asked: str | None
    today: date
    conditions: tuple[str, ...] = ()  # `condition` entity values
    intent: str | None = None
    pending: DateQuestion | None = None  # the day the bot just asked for, if any

    @cached_property
    def base(self) -> date:
        """Where a bare day ("the 2nd") counts from: the stretch just asked about."""
        return max(self.today, self.pending.vague.earliest) if self.pending else self.today

    @cached_property
    def bare_day(self) -> bool:
        return bool(_BARE_DAY_ANSWER.match(self.text))

    @cached_property
    def treatments(self) -> list[OtherTreatment]:
        found = parse_treatments(self.text, self.today)
        if self.pending and self.pending.treatment and not found:
            day = parse_date(self.text, self.base if self.bare_day else self.today)
            if day:
                found = [OtherTreatment(kind=self.pending.treatment, on=day)]
        return found

    @cached_property
    def trips(self) -> list[SunTrip]:
        start = self.base if self.pending else self.today
        return parse_sun_trips(self.text, start, asked=self.asked == SUN_TRIPS)

    @cached_property
    def dates(self) -> list[tuple[str, date]]:
        return find_dates(self.text, self.today)

    @cached_property
    def free_dates(self) -> list[date]:
        """Days named that are not a treatment's or a trip's."""
        taken = {t.on for t in self.treatments}
        taken |= {day for trip in self.trips for day in (trip.start, trip.end)}
        return [day for _, day in self.dates if day not in taken]

    @cached_property
    def undated(self) -> str:
        """The text without its dates and stretches of time: a weekday inside "next Monday"
        or "next weekend" is when, not a preference."""
        text = normalise(self.text)
        for hit in dated_phrases(text, self.today):
            text = text.replace(hit.words, " ")
        return text

    @property
    def opens_the_planner(self) -> bool:
        return self.asked is None or self.intent == REQUEST_SCHEDULE


def is_skip(text: str) -> bool:
    """The visitor wants to skip the current question."""
    return bool(_SKIP.match(text))


def _iso(day: date) -> str:
    return day.isoformat()


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


def read_course_stage(said: Said) -> Answer:
    if _MAINTENANCE.search(said.text):
        return Answer(MAINTENANCE)
    if _DONE.search(said.text) or _REST_OF_COURSE.search(said.text):
        return Answer(CONTINUING)
    return NOTHING


def read_sessions_done(said: Said) -> Answer:
    found = _DONE.search(said.text)
    if found is None:
        return NOTHING
    return Answer(_number(_first(found)))


def read_last_session(said: Said) -> Answer:
    """The day of the last session of a finished course (a day in the past)."""
    told = (
        _MAINTENANCE.search(said.text) and _LAST_SESSION_CUE.search(said.text)
    ) or _LAST_SESSION_WAS.search(said.text)
    if said.asked != LAST_SESSION and not told:
        return NOTHING
    # "…and I'd like to plan the top-ups now": now is when they ask, not the last session.
    # "finished my course in December": a month told in passing is no day; the form asks.
    past = find_past_dates(said.text, said.today, stretches=said.asked == LAST_SESSION)
    days = [day for day in past if day != said.today or _TODAY.search(said.text)]
    if days:
        return Answer(_iso(days[0]))
    return Answer(problem="not_understood") if said.asked == LAST_SESSION else NOTHING


def read_start_date(said: Said) -> Answer:
    if said.asked == START_DATE:
        free = said.free_dates
        if said.pending and said.bare_day:
            free = [day for _, day in find_dates(said.text, said.base)]
        if free:
            return Answer(_iso(free[0]))
        if said.treatments or said.trips:
            return Answer(problem="not_understood")
        told = read_date(said.text, said.today)
        if isinstance(told, Vague):
            return Answer(question=DateQuestion(START_DATE, told), problem="vague")
        return Answer(_iso(told)) if told else Answer(problem="not_understood")
    if not _START_CUE.search(said.text):
        # "plan me a course in the summer": when the visitor opens the planner, a stretch
        # of time that is no treatment's or trip's is when they would start.
        vague = find_vague(said.text, said.today)
        alone = not (said.free_dates or treatment_kinds(said.text) or mentions_a_trip(said.text))
        if said.opens_the_planner and vague and alone:
            return Answer(question=DateQuestion(START_DATE, vague))
        return NOTHING
    if said.free_dates:
        return Answer(_iso(said.free_dates[0]))
    cue = _START_CUE.search(said.text)
    if not (cue and (said.treatments or said.trips)):
        vague = find_vague(said.text, said.today)
        return Answer(question=DateQuestion(START_DATE, vague)) if vague else NOTHING
    # "peel booked 30 april… starting next week": the start is what follows its cue;
    # "start meso in May for…, off to Portugal in July": in the cue's own clause.
    cued = said.text[cue.end() :]
    clause = CLAUSE_BREAK.split(cued, maxsplit=1)[0]
    at_once = bool(_STARTS_WITH_A_TIME.match(cued))  # "… starting next week"
    only_the_start = not treatment_kinds(clause) and not mentions_a_trip(clause)
    vague = find_vague(cued if at_once else clause, said.today)
    if vague and (at_once or only_the_start):
        return Answer(question=DateQuestion(START_DATE, vague))
    return NOTHING


def _first(match: re.Match[str]) -> str:
    return next(group for group in match.groups() if group)


def read_session_count(said: Said) -> Answer:
    if _DONE.search(said.text):  # "4 of my 10": the course's length, not what was had
        total = _COURSE_TOTAL.search(said.text)
        return Answer(parse_session_count(_first(total))) if total else NOTHING
    phrase = _COUNT_PHRASE.search(said.text) or _CORRECTED_COUNT.search(said.undated)
    if phrase:
        count = parse_session_count(_first(phrase))
        return Answer(count) if count is not None else NOTHING
    if said.asked == SESSION_COUNT:
        # "sorry, I mean 1 April": a day's number is not a count
        count = parse_session_count(said.undated if said.dates else said.text)
        return Answer(count) if count is not None else Answer(problem="not_understood")
    # "ok 6 then, starting Monday 15 March": a number beside the start date asked for.
    beside_the_start = said.asked == START_DATE and said.free_dates
    if said.opens_the_planner or beside_the_start:
        bare = [int(m[1]) for m in _BARE_COUNT.finditer(said.undated)]
        counts = [number for number in bare if MIN_SESSIONS <= number <= MAX_SESSIONS]
        if len(counts) == 1:
            return Answer(counts[0])
    return NOTHING


def read_main_concern(said: Said) -> Answer:
    named = [c for c in said.conditions if c in NAMED_CONDITIONS]
    if named:
        return Answer(named[0])
    if said.conditions:
        return Answer(NOT_NAMED)
    if said.asked == MAIN_CONCERN:
        if is_none_answer(said.text) or _UNSURE.search(said.text):
            return Answer(NOT_GIVEN)
        return Answer(problem="not_understood")
    return NOTHING


def read_concern_not_named(said: Said) -> Answer:
    """The conditions named that the article doesn't name, for the schedule to say so."""
    others = [c for c in said.conditions if c not in NAMED_CONDITIONS]
    return Answer(others) if others else NOTHING


def read_weekdays(said: Said) -> Answer:
    asked = said.asked == PREFERRED_WEEKDAYS
    said_as_preference = " ".join(m[0] for m in _PREFERRED_DAY.finditer(said.text))
    if not (said.trips or mentions_a_trip(said.text)):  # "tues to fri", not days away
        said_as_preference += " " + " ".join(m[0] for m in WEEKDAY_RANGE.finditer(said.text))
    source = said.text if asked else f"{said.undated} {said_as_preference}"
    weekdays = parse_weekdays(source, lenient=asked)
    if weekdays is not None and (asked or weekdays or _ANY_DAY_SAID.search(said.text)):
        return Answer(sorted(weekdays))
    return Answer(problem="not_understood") if asked else NOTHING


def read_other_treatments(said: Said) -> Answer:
    if said.treatments:
        return Answer([{"kind": t.kind, "on": _iso(t.on)} for t in said.treatments])
    if _NO_TREATMENTS.search(said.text):
        return Answer([])
    if said.asked != OTHER_TREATMENTS:
        return NOTHING
    if is_none_answer(said.text):
        return Answer([])
    kinds = treatment_kinds(said.text)
    vague = find_vague(said.text, said.today) if kinds else None
    if vague and vague.latest and (vague.latest - vague.earliest).days < MAX_STRETCH_TREATMENT_DAYS:
        # "fillers in late May": that stretch and the week before it are kept clear.
        stretch = {"kind": kinds[0], "on": _iso(max(vague.earliest, said.today))}
        return Answer([{**stretch, "until": _iso(vague.latest), "described": vague.described}])
    if vague:  # "lip filler in April": which day?
        question = DateQuestion(OTHER_TREATMENTS, vague, kinds[0])
        return Answer(question=question, problem="vague")
    return Answer(problem="not_understood")


def read_sun_trips(said: Said) -> Answer:
    if said.trips:
        return Answer([_trip(trip) for trip in said.trips])
    if NO_TRIPS.search(said.text):
        return Answer([])
    if said.asked != SUN_TRIPS:
        return NOTHING
    if is_none_answer(said.text):
        return Answer([])
    vague = find_vague(said.text, said.today)
    if vague:  # "a week in Portugal in July": which days?
        return Answer(question=DateQuestion(SUN_TRIPS, vague), problem="vague")
    return Answer(problem="not_understood")


def _trip(trip: SunTrip) -> dict[str, str]:
    kept = {"start": _iso(trip.start), "end": _iso(trip.end)}
    return {**kept, "described": trip.described} if trip.described else kept


def read_plan_confirmed(said: Said) -> Answer:
    if said.asked != PLAN_CONFIRMED:
        return NOTHING
    # "perfect thanks" to "Shall I plan it?" is a yes; "no thanks" reads as deny.
    return Answer({AFFIRM: True, THANK: True, DENY: False}.get(said.intent or ""))


READERS: dict[str, Callable[[Said], Answer]] = {
    COURSE_STAGE: read_course_stage,
    SESSIONS_DONE: read_sessions_done,
    LAST_SESSION: read_last_session,
    START_DATE: read_start_date,
    SESSION_COUNT: read_session_count,
    MAIN_CONCERN: read_main_concern,
    CONCERN_NOT_NAMED: read_concern_not_named,
    PREFERRED_WEEKDAYS: read_weekdays,
    OTHER_TREATMENTS: read_other_treatments,
    SUN_TRIPS: read_sun_trips,
    PLAN_CONFIRMED: read_plan_confirmed,
}


def read_answers(
    text: str,
    asked: str | None,
    today: date,
    conditions: list[str],  # `condition` entity values; only the article's label a schedule
    intent: str | None = None,
    pending: DateQuestion | None = None,
) -> PlannerAnswers:
    """Everything this message says about the schedule; `asked` is the question on screen.

    `pending` is the day the bot has just asked for: answering "which day in early
    February?" with "the 2nd" or "Tuesday" means the one from then, and for a treatment
    asked about ("which day in April is your filler?") a day alone is that treatment's.
    """
    pending = pending if pending and pending.for_slot == asked else None
    # An aside in brackets is read as one between commas ("on 26 feb (8 sessions)" is no
    # year 8).
    text = _BRACKETS.sub(", ", text).strip(", ")
    said = Said(text, asked, today, tuple(conditions), intent, pending)
    answers = {slot: read(said) for slot, read in READERS.items()}
    values = {slot: a.value for slot, a in answers.items() if a.value is not None}
    if values.get(COURSE_STAGE) == MAINTENANCE:
        # "I've had my 6": the course is done. Top-ups follow the last session, so a day
        # read as a start ("finished last month, top-ups from now on") is that session's.
        values.pop(SESSIONS_DONE, None)
        values.pop(START_DATE, None)
    asked_answer = answers.get(asked or "", NOTHING)
    questions = [a.question for a in answers.values() if a.question]
    question = next((q for q in questions if q.for_slot not in values), None)
    return PlannerAnswers(
        values=values,
        # A message that answers something else ("sorry, I mean 1 April" asked for the
        # number of sessions) was understood: the question is asked again, plainly.
        problem=None if values else asked_answer.problem,
        question=question,
    )


def gives_plan_details(text: str, today: date) -> bool:
    """Whether a message says when to start or how many sessions: given unasked, outside
    the planner ("6 sessions from mid April for dull skin"), they ask for a plan."""
    answers = read_answers(text, None, today, [])
    starts = answers.question is not None and answers.question.for_slot == START_DATE
    return starts or bool({START_DATE, SESSION_COUNT} & answers.values.keys())

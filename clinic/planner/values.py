"""Turning a visitor's words into planner inputs: counts, weekdays, treatments, trips.

Dates, and words that name no single day, are read by clinic/planner/dates.py;
this module finds which of them belong to a treatment or a trip.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, Literal

from clinic.planner.date_words import (
    NUMBER_WORDS,
    SHORT_WEEKEND,
    WEEKDAY_FORMS,
    WEEKDAY_RANGE,
    Vague,
    normalise,
    weekdays_in_ranges,
)
from clinic.planner.dates import dated_phrases
from clinic.planner.schedule import OtherTreatment, SunTrip
from clinic.wording import OPENING

TRIP_DAYS_WHEN_NO_END = 7

# "sun" beside a holiday or a cream is no Sunday.
_SHORT_WEEKEND = {
    day: rf"\b(?:{form})\b" + (r"(?!\s*(?:holiday|trip|cream|screen|bed))" if day == 6 else "")
    for day, form in SHORT_WEEKEND.items()
}
_NUMBER_WORD = re.compile(
    r"\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b", re.I
)
_COUNTED = re.compile(
    r"\b(\d{1,3})\s+(?:more\s+)?(?:\w+\s+)?(?:sessions?|treatments?|appointments?|visits?)\b",
    re.I,
)
_UNKNOWN = re.compile(
    r"\b(?:don'?t|do not|dont) know\b|\bnot (?:sure|certain)\b|\bno idea\b|\bunsure\b"
    r"|\bdunno\b|\bnot (?:been )?told\b|\bhaven'?t been told\b|\bno one (?:told|said)\b"
    r"|\bnobody (?:told|said)\b|\bwhatever you (?:recommend|suggest)\b|\bno clue\b",
    re.I,
)
# An opening "ok then", "um", "well" before the answer ("ok then none").
_NONE = re.compile(
    OPENING + r"(?:none|no|nope|nah|nothing|n/?a|no thanks|not really|not that i know(?: of)?)\b"
    r"|\bnothing (?:planned|booked|else|coming up)\b|\bnone planned\b|\bnot planning\b"
    r"|\bno (?:other )?(?:treatments?|procedures?|plans|holidays?|trips?|travel)\b"
    r"|\bnot (?:this year|yet|at the moment|any time soon)\b|\bno plans?\b"
    r"|\bnot (?:going|travel+ing|flying) (?:anywhere|away|abroad)\b|\bnot travel+ing\b"
    r"|\bstaying (?:at )?home\b",
    re.I,
)
_ANY_DAY = re.compile(
    r"\bany ?(?:day|time)\b|\bevery ?day\b|\ball days\b|\bno preference\b|\bwhenever\b"
    r"|\bdon'?t mind\b|\bdoesn'?t matter\b|\bany of them\b|\beither\b|\bflexible\b"
    r"|\bno particular\b",
    re.I,
)
_NEGATION = re.compile(
    r"\b(?:(?:any ?(?:day|time)|anything|every ?day|all days|whenever)\s+but|"
    r"not|except|apart from|other than|but not|never|can'?t do|cannot do|no)\b",
    re.I,
)
_TREATMENT_WORDS = {
    "laser": r"lasers?|ipl",
    "peel": r"peels?|peeling",
    "filler": r"fillers?|dermal filler",
    "anti_wrinkle": r"botox|anti[- ]?wrinkle|wrinkle injections?|dysport|azzalure|bocouture",
}
_TREATMENT = re.compile(
    "|".join(rf"(?P<{kind}>\b(?:{words})\b)" for kind, words in _TREATMENT_WORDS.items()),
    re.I,
)
# "no peels or lasers planned", "not having any laser": a treatment named only to be denied.
_DENIED_BEFORE = re.compile(
    r"\b(?:no|not|never|without|nor)\b(?:\s+(?:other|more|any|having|planned|booked|a|an|"
    r"peels?|lasers?|fillers?|botox|or|and|,))*\s*$",
    re.I,
)
_TRIP = re.compile(
    r"\b(?:holidays?|vacations?|trips?|beach|going (?:to|away|abroad)|off to|travel\w*|fly\w*"
    r"|abroad|cruise|ski|skis|skiing|sun|sunny|sunshine|away|getaway|break)\b"
    # "a week in Crete", "ten days in Spain": time away somewhere ("a week on Monday" is a day).
    r"|\b(?:a|one|two|three|ten|\d{1,2})\s+(?:weeks?|days?|nights?)\s+(?:in|at)\b"
    r"|\b(?:i'?m|i am|i'?ll be|we'?re|we are|we'?ll be)\s+(?:in|at)\s+(?!the\b)",
    re.I,
)
_AMOUNT = "|".join(["a", r"\d{1,2}", *(word for word in NUMBER_WORDS if " " not in word)])
# "for ten days", "two weeks in Spain"; not "in two weeks", which is when it starts.
_DURATION = re.compile(rf"(?<!\bin )\b({_AMOUNT})\s+(weeks?|days?)\b", re.I)
_ABOUT_COURSE = re.compile(r"\b(?:start\w*|begin\w*|first session|kick off|sessions?)\b", re.I)
_RETURN = re.compile(r"\b(?:back|return\w*|home|fly(?:ing)? back)\b", re.I)
_BARE_DURATION = re.compile(rf"^(?:for\s+)?(?:{_AMOUNT})\s+(?:weeks?|days?|months?)$", re.I)
# "change the start to the 24th": a clause about the course itself, even as trips are asked.
_COURSE_ITSELF = re.compile(
    r"\b(?:the|my|our) (?:start|first session|course)\b|\bstart date\b", re.I
)
# "no trips", "not going away": a message that says there are no sunny trips.
NO_TRIPS = re.compile(
    r"\bno (?:sunny |sun |beach )?(?:holidays?|trips?|travel|vacations?)\b"
    r"|\bno (?:other )?(?:treatments?|procedures?|appointments?) or "
    r"(?:sunny |sun )?(?:holidays?|trips?)\b"
    r"|\bnot (?:going|travel+ing|flying) (?:away|abroad|anywhere)\b|\bnot travel+ing\b"
    r"|\bstaying (?:at )?home\b",
    re.I,
)
# Where one clause of a long message ends: what follows is about something else.
CLAUSE_BREAK = re.compile(r"[,;]|\.\s|\s\+\s|\band\b|\balso\b|\bthen\b|\bplus\b|\bbut\b", re.I)
# "Mallorca 12-19 July" (normalised "12 July to 19 July"): a stretch of days away, even
# without a word for a trip, when it's not a treatment's or the course's.
_FREE = re.compile(r"\b(?:free|available|around|can do|can come|suits?|ok|fine|best)\b", re.I)
_DAYS_FROM_TO = re.compile(r"\bto\b|\buntil\b|\btill\b|\bthrough\b", re.I)


def _days_at(text: str, today: date) -> list[Any]:
    """The single days named in normalised text (stretches of time can't be planned around)."""
    return [hit for hit in dated_phrases(text, today) if isinstance(hit.value, date)]


def parse_session_count(text: str) -> int | Literal["unknown"] | None:
    """A number of sessions ("6", "six sessions", "half a dozen"), "unknown", or None.

    A number wins over hedging ("not sure, maybe 6" is 6). Numbers outside 3–15 are
    returned as they are: the form says what the range is.
    """
    counted = _COUNTED.search(text)
    if counted:
        return int(counted[1])
    digits = re.search(r"\b(\d{1,3})\b", text)
    if digits:
        return int(digits[1])
    # "no one", "each one", "the first one": no count.
    not_a_count = r"\b(?:no|any|some|every|each|that|this|which|first|next|last) ?one\b"
    spoken = _NUMBER_WORD.search(re.sub(not_a_count, " ", text, flags=re.I))
    if spoken:
        return NUMBER_WORDS[spoken[1].lower()]
    if _UNKNOWN.search(text):
        return "unknown"
    return None


def _named_days(text: str, lenient: bool = False) -> set[int]:
    days = {
        day for day, forms in WEEKDAY_FORMS.items() if re.search(rf"\b(?:{forms})\b", text, re.I)
    }
    # "sat" and "sun" are days when asked for days, or beside another day ("wed or sat").
    if lenient or days:
        days |= {day for day, form in _SHORT_WEEKEND.items() if re.search(form, text, re.I)}
    days |= weekdays_in_ranges(text)
    if re.search(r"\bweek ?ends?\b", text, re.I):
        days |= {5, 6}
    if re.search(r"\bweek ?days?\b|\bworking days?\b|\bwork days?\b", text, re.I):
        days |= {0, 1, 2, 3, 4}
    return days


def parse_weekdays(text: str, lenient: bool = False) -> frozenset[int] | None:
    """Preferred weekdays (Monday = 0); empty for "any day"; None if none were named.

    Days after "not", "except" and the like are left out: "any day except Monday" and
    "not Mondays" both mean Tuesday to Sunday.
    """
    negation = _NEGATION.search(text)
    wanted_part, unwanted_part = (
        (text[: negation.start()], text[negation.end() :]) if negation else (text, "")
    )
    wanted, unwanted = _named_days(wanted_part, lenient), _named_days(unwanted_part, lenient)
    if unwanted:
        return frozenset((wanted or set(range(7))) - unwanted)
    if wanted:
        return frozenset(wanted)
    if _ANY_DAY.search(text):
        return frozenset()
    return None


def is_none_answer(text: str) -> bool:
    """ "none", "no", "nothing planned", "no other treatments": nothing to plan around."""
    return bool(_NONE.search(text))


def mentions_a_trip(text: str) -> bool:
    """Whether the words speak of going away ("off to Portugal", "a beach holiday")."""
    return bool(_TRIP.search(text))


def treatment_kinds(text: str) -> list[str]:
    """The other treatments named, in order: "laser", "peel", "filler", "anti_wrinkle"."""
    return [str(match.lastgroup) for match in _TREATMENT.finditer(text)]


def parse_treatments(text: str, today: date) -> list[OtherTreatment]:
    """Laser, peels, fillers and anti-wrinkle injections ("botox") with their dates.

    Each treatment takes the first date after it and before the next treatment named,
    else the next date after it ("a peel and laser on 2 May"), else the date before it
    ("on 20 March I have a peel"). A treatment with no date at all is left out.
    """
    normal = normalise(text)
    mentions = [
        (match.start(), str(match.lastgroup))
        for match in _TREATMENT.finditer(normal)
        if not _DENIED_BEFORE.search(normal[: match.start()])
    ]
    dates = [(hit.start, hit.value) for hit in _days_at(normal, today)]
    treatments: list[OtherTreatment] = []
    for index, (at, kind) in enumerate(mentions):
        until = mentions[index + 1][0] if index + 1 < len(mentions) else len(normal)
        own = [day for where, day in dates if at < where < until]
        later = [day for where, day in dates if where > at]
        earlier = [day for where, day in dates if where < at]
        candidates = own or later or earlier[-1:]
        if candidates:
            treatments.append(OtherTreatment(kind=kind, on=candidates[0]))
    return treatments


def _trip_days(clause: str) -> int:
    duration = _DURATION.search(clause)
    if duration is None:
        return TRIP_DAYS_WHEN_NO_END
    amount = duration[1].lower()
    count = int(amount) if amount.isdigit() else NUMBER_WORDS.get(amount, 1)
    return count * 7 if duration[2].lower().startswith("week") else count


# A trip said as a stretch of time up to a month ("end of June", "a week in July") is
# planned around as a whole; a longer one ("in the summer") gets asked which dates.
MAX_STRETCH_TRIP_DAYS = 31


def _short_stretch(clause: str, today: date) -> SunTrip | None:
    """A trip given only as a stretch of up to a month, as that whole stretch."""
    for hit in dated_phrases(clause, today):
        value = hit.value
        if (
            isinstance(value, Vague)
            and value.latest is not None
            and (value.latest - value.earliest).days < MAX_STRETCH_TRIP_DAYS
        ):
            return SunTrip(start=value.earliest, end=value.latest, described=value.described)
    return None


def parse_sun_trips(text: str, today: date, asked: bool = False) -> list[SunTrip]:
    """Sunny holidays with their dates ("beach holiday 10-17 August").

    With only a start date ("going to Spain on 1 June") the trip is taken to last a
    week, that day included (1–7 June), unless a length is given ("for ten days") or
    a return follows ("and back on 14 June"). Only sentences that mention a trip
    count (any dates do when `asked` is the question about trips), and dates in a
    part about a peel, laser and so on, or about the start of the course ("start
    next Monday"), are not trips.
    """
    normal = normalise(text)
    # Asked about trips, "Spain 10 to 17 May" is one; otherwise it must say so, or be a
    # stretch of days of its own ("peel on 16 April + Mallorca 12-19 July").
    # "mon and wed. no trips": a trip said not to be is no trip told of.
    told = asked or bool(_TRIP.search(NO_TRIPS.sub(" ", normal)))
    trips: list[SunTrip] = []
    start = 0
    breaks = [match.start() for match in CLAUSE_BREAK.finditer(normal)] + [len(normal)]
    for end in breaks:
        clause = normal[start:end]
        start = end
        about_course = _COURSE_ITSELF.search(clause) or (_ABOUT_COURSE.search(clause) and not asked)
        if _TREATMENT.search(clause) or (about_course and not _TRIP.search(clause)):
            continue
        days = [hit.value for hit in _days_at(clause, today)]
        # "tues to fri" with no trip said is the days that suit, not days away.
        run_of_days = WEEKDAY_RANGE.search(clause) and not _TRIP.search(clause)
        away = (
            len(days) == 2
            and _DAYS_FROM_TO.search(clause)
            and not (_FREE.search(clause) or run_of_days)
        )
        if not told and not away:
            continue
        if not days:
            stretch = _short_stretch(clause, today) if asked or _TRIP.search(clause) else None
            if stretch:  # "Greece at the end of June": the whole stretch is kept clear
                trips.append(stretch)
            continue
        if len(days) == 1 and trips and _RETURN.search(clause) and days[0] >= trips[-1].start:
            trips[-1] = SunTrip(start=trips[-1].start, end=days[0])
            continue
        first = days[0]
        last = days[1] if len(days) > 1 else first + timedelta(days=_trip_days(clause) - 1)
        if last < first and WEEKDAY_RANGE.search(clause):  # "mon to fri": that Friday
            last += timedelta(days=7 * ((first - last).days // 7 + 1))
        trips.append(SunTrip(start=first, end=max(first, last)))
    return trips

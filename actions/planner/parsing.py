"""Turning a visitor's words into planner inputs: dates, counts, weekdays, treatments, trips.

Dates are read by `dateparser` (day first, as in the UK, and always in the
future). A little normalisation covers what it misses: "next Tuesday", "a
week on Monday", and a bare "the 10th" that has already passed this month.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Literal

import dateparser
from dateparser.search import search_dates

from actions.planner.schedule import PlannedTreatment, SunTrip

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june"
    "|july|august|september|october|november|december"
)
_MONTH = re.compile(rf"\b({MONTHS})\b", re.I)
_YEAR = re.compile(r"\b(19|20)\d{2}\b|\d{1,2}/\d{1,2}/\d{2,4}")
_NEXT_WEEKDAY = re.compile(r"\bnext\s+(" + "|".join(WEEKDAY_NAMES) + r")\b", re.I)
_WEEK_ON = re.compile(r"\ba week (?:on|from)\s+(" + "|".join(WEEKDAY_NAMES) + r")\b", re.I)
_ONLY_NUMBER = re.compile(r"^\s*(on\s+)?(the\s+)?\d{1,2}\s*$", re.I)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "a dozen": 12, "dozen": 12,
}  # fmt: skip
_UNKNOWN = re.compile(
    r"\b(don'?t|do not|dont) know\b|\bnot sure\b|\bno idea\b|\bunsure\b|\bdunno\b"
    r"|\bnot (been )?told\b|\bhaven'?t been told\b|\bwhatever you (recommend|suggest)\b",
    re.I,
)
_NONE = re.compile(
    r"^\s*(none|no|nope|nothing|nah|n/?a|no thanks)\b|\bnothing (planned|booked|else)\b"
    r"|\bno (other )?(treatments?|plans|holidays?|trips?|procedures?)\b|\bnot planning\b",
    re.I,
)
_ANY_DAY = re.compile(
    r"\bany ?(day|time)\b|\bno preference\b|\bwhenever\b|\bdon'?t mind\b|\bany of them\b"
    r"|\beither\b|\bflexible\b",
    re.I,
)
_TREATMENT_WORDS = {
    "laser": r"laser|ipl",
    "peel": r"peel",
    "filler": r"filler",
    "anti_wrinkle": r"botox|anti[- ]?wrinkle|wrinkle injection|dysport|azzalure|bocouture",
}
_TRIP_WORDS = re.compile(
    r"\b(holidays?|vacation|trip|beach|going to|travel\w*|flying|sunny|sun|abroad|wedding"
    r"|event|cruise|ski\w*)\b",
    re.I,
)
_RANGE = re.compile(
    rf"(?:from\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|to|until|till)\s*"
    rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTHS})\b",
    re.I,
)
_FROM_TO = re.compile(r"\bfrom\s+(.+?)\s+(?:to|until|till|-)\s+(.+?)(?:[,.;]|$)", re.I)
DEFAULT_TRIP_DAYS = 7


def _settings(today: date) -> dict[str, object]:
    return {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }


def _normalise(text: str) -> str:
    text = _WEEK_ON.sub(lambda m: f"{m.group(1)} plus one week", text)
    return _NEXT_WEEKDAY.sub(lambda m: m.group(1), text)


def _roll_forward(found: date, phrase: str, today: date) -> date:
    """A date without a year (or month) that already passed means the next one."""
    if found >= today or _YEAR.search(phrase):
        return found
    if not _MONTH.search(phrase):
        month = found.month % 12 + 1
        year = found.year + (found.month == 12)
        try:
            return found.replace(year=year, month=month)
        except ValueError:
            return found + timedelta(days=31)
    try:
        return found.replace(year=found.year + 1)
    except ValueError:  # 29 February
        return found + timedelta(days=365)


def parse_date(text: str, today: date) -> date | None:
    """One date from a short answer ("next Tuesday", "3 March", "15/01/2027"), or None."""
    cleaned = text.strip().rstrip(".!?")
    if not cleaned or _ONLY_NUMBER.match(cleaned):
        return None
    week_later = bool(_WEEK_ON.search(cleaned))
    phrase = _WEEK_ON.sub(lambda m: m.group(1), _NEXT_WEEKDAY.sub(r"\1", cleaned))
    found = dateparser.parse(phrase, languages=["en"], settings=_settings(today))
    if found is None:
        hits = find_dates(cleaned, today)
        return hits[0][1] if hits else None
    day = _roll_forward(found.date(), phrase, today)
    return day + timedelta(days=7) if week_later else day


def find_dates(text: str, today: date) -> list[tuple[str, date]]:
    """Every date in a longer sentence, in order, as (the words, the date)."""
    prepared = _NEXT_WEEKDAY.sub(r"\1", text)
    hits = search_dates(prepared, languages=["en"], settings=_settings(today)) or []
    found: list[tuple[str, date]] = []
    for phrase, moment in hits:
        words = phrase.strip()
        if _ONLY_NUMBER.match(words) or words.lower() in {"now", "today at", "a", "may"}:
            continue
        if re.fullmatch(r"(on\s+)?\d{1,2}\s+(sessions?|treatments?)", words, re.I):
            continue
        day = _roll_forward(moment.date(), words, today)
        if day.year <= today.year + 2:  # "10-17 August" alone reads as the year 2117
            found.append((words, day))
    return found


def parse_session_count(text: str) -> int | Literal["unknown"] | None:
    """A number of sessions ("6", "six sessions", "my doctor said 8"), "unknown", or None."""
    if _UNKNOWN.search(text):
        return "unknown"
    digits = re.search(r"\b(\d{1,3})\b", text)
    if digits:
        return int(digits.group(1))
    lowered = text.lower()
    for word in sorted(_NUMBER_WORDS, key=len, reverse=True):
        if re.search(rf"\b{word}\b", lowered):
            return _NUMBER_WORDS[word]
    return None


def parse_weekdays(text: str) -> frozenset[int] | None:
    """Preferred weekdays (Monday = 0); empty for "any day"; None if none were named."""
    lowered = text.lower()
    days = {
        index
        for index, name in enumerate(WEEKDAY_NAMES)
        if re.search(rf"\b({name}s?|{name[:3]})\b", lowered)
    }
    if re.search(r"\bweekends?\b", lowered):
        days |= {5, 6}
    if re.search(r"\bweekdays?\b|\bworking days?\b", lowered):
        days |= {0, 1, 2, 3, 4}
    if days:
        return frozenset(days)
    if _ANY_DAY.search(text):
        return frozenset()
    return None


def is_none_answer(text: str) -> bool:
    """ "none", "no", "nothing planned", "no other treatments"…"""
    return bool(_NONE.search(text))


def _clauses(text: str) -> list[str]:
    return [part for part in re.split(r",|;|\band\b|\balso\b|\. ", text, flags=re.I) if part]


def parse_treatments(text: str, today: date) -> list[PlannedTreatment]:
    """Laser, peels, fillers and anti-wrinkle injections with their dates."""
    treatments: list[PlannedTreatment] = []
    for clause in _clauses(text):
        for kind, pattern in _TREATMENT_WORDS.items():
            if re.search(pattern, clause, re.I):
                dates = find_dates(clause, today)
                if dates:
                    treatments.append(PlannedTreatment(kind=kind, on=dates[0][1]))
                break
    return treatments


def parse_sun_trips(text: str, today: date) -> list[SunTrip]:
    """Sunny holidays and events with dates; with only a start date, a week is assumed."""
    if not _TRIP_WORDS.search(text) or any(
        re.search(pattern, text, re.I) for pattern in _TREATMENT_WORDS.values()
    ):
        return []
    span = _RANGE.search(text)
    if span:
        start = parse_date(f"{span.group(1)} {span.group(3)}", today)
        end = parse_date(f"{span.group(2)} {span.group(3)}", today)
        if start and end:
            return [SunTrip(start=start, end=max(start, end))]
    both = _FROM_TO.search(text)
    if both:
        start, end = parse_date(both.group(1), today), parse_date(both.group(2), today)
        if start and end:
            return [SunTrip(start=start, end=end if end >= start else start)]
    dates = find_dates(text, today)
    if dates:
        start = dates[0][1]
        return [SunTrip(start=start, end=start + timedelta(days=DEFAULT_TRIP_DAYS - 1))]
    return []

"""Dates as visitors say them, and knowing when words name no single day: the reader.

A phrase is read as one day only when it names one; words that name a stretch
of time ("early February", "after Christmas", "next week", "in the spring")
become a `Vague` date, so the planner asks which day instead of silently
picking the first of the month. Phrases dateparser gets wrong or partly are
read first, relative to the clinic's today:

- "the 5th of next month", "the first Monday in January", "the last Friday of
  next month": that day.
- "in three weeks' time", "in 10 days", "two weeks from today", "in a month":
  today plus that long; "in a fortnight" is two weeks.
- "Monday after next", "Monday next week", "a week on Monday", "next Tuesday"
  (dateparser returns nothing for it), "this Friday": that weekday.
- "Christmas Eve", "Boxing Day", "Easter Monday": the next one; "after
  Christmas", "over Easter": vague.
- "Friday the 8th": the next 8th that is a Friday; "Monday 12 January" when the
  12th is a Tuesday: a mismatch the planner asks about.
- "asap", "as soon as possible", "straight away": today.

Everything else goes to dateparser, day first as in the UK and on or after
today, and its answer counts only when it names a day (its `period` is "day"):
"February" and "next month" are vague. The fixes kept from before: "the 10th"
after the 10th and "the 31st" in a 30-day month mean the next month with that
day; "25 November" on 25 November is today; "10-17 August" is read as two dates.

The phrases naming one day are in clinic/planner/date_days.py, those naming a
stretch of time in clinic/planner/date_stretches.py, and the words and calendar
sums both use in clinic/planner/date_words.py; this module runs them in turn,
then dateparser, and answers the planner's questions.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from dateparser.date import DateDataParser
from dateparser.search import search_dates

from clinic.planner.date_days import DAY_RULES
from clinic.planner.date_stretches import STRETCH_RULES, months_alone
from clinic.planner.date_words import (
    AMOUNT_PATTERN,
    MONTH_NAMES,
    MONTH_PATTERN,
    ORDINAL_PATTERN,
    WEEKDAY_LIST,
    WEEKDAY_PATTERN,
    Groups,
    Hit,
    Vague,
    add_months,
    day_of_month,
    month_name,
    normalise,
    weekday_after,
)
from clinic.rules import WEEKDAYS

# One day first, then stretches of time. Each match is blanked, so a later rule (and
# dateparser) never reads the same words again.
_RULES = (*DAY_RULES, *STRETCH_RULES)

_HAS_MONTH = re.compile(rf"\b({MONTH_PATTERN})\b|\b\d{{1,2}}[/.-]\d{{1,2}}\b", re.I)
_HAS_YEAR = re.compile(r"\b(19|20)\d{2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_BARE_DAY = re.compile(rf"^(?:on\s+)?(?:the\s+)?{ORDINAL_PATTERN}$", re.I)
_BARE_NUMBER = re.compile(r"^(?:on\s+|the\s+|at\s+|in\s+)*\d{1,3}$", re.I)
_BARE_DURATION = re.compile(rf"^(?:for\s+)?(?:{AMOUNT_PATTERN})\s+(?:weeks?|days?|months?)$", re.I)
# "5 of 10", "4 out of 8": sessions had of a course, never the 5th of October.
_COUNT_OF_COUNT = re.compile(r"^\d{1,2}\s+(?:out\s+)?of\s+\d{1,2}$", re.I)
_ASAP_ALONE = re.compile(r"^\s*(?:now|right now|immediately|today if possible)\s*[.!]?\s*$", re.I)
# Words dateparser reads as dates that, alone, are not dates here.
_NOT_DATES = frozenset({"now", "sun", "sat", "wed", "mar", "may", "a may", "second", "today at"})
# Weekday and month abbreviations that are also everyday words.
_AMBIGUOUS_WORDS = frozenset({"sun", "sat", "wed", "mar", "may"})
_DATE_WORDS = frozenset(
    {*WEEKDAYS, *MONTH_NAMES, "today", "tomorrow", "tonight", "next", "this", "coming", "week"}
    - {"may", "march"}
)
_EDGE_WORDS = re.compile(
    r"^(?:on|the|from|at|by|in|and)\s+|\s+(?:and|in|on|at|for|from|to|,)$", re.I
)


def _settings(today: date) -> dict[str, Any]:
    return {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }


def _on_or_after_today(found: date, phrase: str, today: date) -> date:
    """A date typed without a year means its next occurrence, today included."""
    if _HAS_YEAR.search(phrase) or not _HAS_MONTH.search(phrase):
        return found
    while True:
        try:
            earlier = found.replace(year=found.year - 1)
        except ValueError:  # 29 February
            break
        if earlier < today:
            break
        found = earlier
    while found < today:
        try:
            found = found.replace(year=found.year + 1)
        except ValueError:
            found += timedelta(days=365)
    return found


def _only_an_ambiguous_word(phrase: str) -> bool:
    """ "of the sun after": its only date word is a weekday or month that is also a word."""
    tokens = set(re.findall(r"[a-z]+|\d+", phrase.lower()))
    if any(token.isdigit() for token in tokens) or tokens & _DATE_WORDS:
        return False
    return bool(tokens & _AMBIGUOUS_WORDS)


def _by_dateparser(phrase: str, today: date) -> date | Vague | None:
    """One phrase through dateparser, a day only if it names one."""
    words = _EDGE_WORDS.sub("", phrase.strip().rstrip(".!?")).strip()
    lowered = words.lower()
    if not words or lowered in _NOT_DATES - {"now"} or _BARE_NUMBER.match(words):
        return None
    if bare := _BARE_DAY.match(words):
        return day_of_month(int(bare[1]), today)
    data = DateDataParser(languages=["en"], settings=_settings(today)).get_date_data(words)
    if data.date_obj is None:
        return None
    found = data.date_obj.date()
    if data.period == "month":  # "next month": a stretch as long as the month
        first = found.replace(day=1)
        last = add_months(first, 1) - timedelta(days=1)
        return Vague(f"in {month_name(first, today)}", max(today, first), latest=last)
    if data.period == "year":
        return Vague(f"in {found.year}", max(today, date(found.year, 1, 1)))
    if data.period == "week":
        monday = found - timedelta(days=found.weekday())
        described = f"in the week of {monday.day} {monday:%B}"
        return Vague(described, max(today, monday), latest=monday + timedelta(days=6))
    named = re.search(rf"\b({WEEKDAY_PATTERN})\b", lowered)
    if named and found.weekday() != WEEKDAYS.index(named[1]):
        # "Monday, 8 sessions" read as the 8th: a real weekday-and-day phrase was read by
        # the rules above, so this number isn't a day of the month.
        return weekday_after(named[1], today, strictly=False)
    return _on_or_after_today(found, words, today)


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def dated_phrases(text: str, today: date) -> list[Hit]:
    """Every date phrase in already normalised text, in reading order."""
    found: list[Hit] = []
    blanked = WEEKDAY_LIST.sub(lambda m: " " * len(m[0]), text)
    for pattern, reader in _RULES:
        for m in pattern.finditer(blanked):
            value = reader(Groups(m), today)
            if value is not None:
                found.append(Hit(m.start(), m[0].strip(), value))
                blanked = _blank(blanked, m.start(), m.end())
    for hit in months_alone(blanked, today):
        found.append(hit)
        blanked = _blank(blanked, hit.start, hit.start + len(hit.words))
    hits = search_dates(blanked, languages=["en"], settings=_settings(today)) or []
    cursor = 0
    for phrase, _ in hits:
        start = blanked.find(phrase, cursor)
        cursor = start + len(phrase) if start >= 0 else cursor
        words = _EDGE_WORDS.sub("", phrase.strip()).strip(" ,")
        if (
            words.lower() in _NOT_DATES
            or _BARE_DURATION.match(words)
            or _COUNT_OF_COUNT.match(words)
            or _only_an_ambiguous_word(words)
        ):
            continue  # "two weeks" in "for two weeks" is how long; "the sun" is no Sunday
        value = _recent_past(_by_dateparser(words, today), words, today)
        # A sanity bound: nobody plans mesotherapy around a date five years away.
        day = value.earliest if isinstance(value, Vague) else value
        if value is not None and day is not None and day.year <= today.year + 5:
            found.append(Hit(max(start, 0), words, value))
    return sorted(found, key=lambda hit: hit.start)


# A day and month without a year that fell this many days ago is that day, in the past
# ("1 February" on 3 March), so the planner says it has passed; older ones are next
# year's. Nobody plans a course eleven months ahead by naming last month's day.
RECENT_PAST_DAYS = 61


def _recent_past(value: date | Vague | None, words: str, today: date) -> date | Vague | None:
    if not isinstance(value, date) or _HAS_YEAR.search(words) or value <= today:
        return value
    try:
        a_year_earlier = value.replace(year=value.year - 1)
    except ValueError:  # 29 February
        return value
    return a_year_earlier if today - timedelta(days=RECENT_PAST_DAYS) <= a_year_earlier else value


def find_past_dates(text: str, today: date, stretches: bool = True) -> list[date]:
    """The days named in a message about something that has happened ("my last session was
    on 20 February"): a day or stretch without a year is the last one before today.

    A stretch ("in December") counts as its first day unless `stretches` is False.
    """
    found: list[date] = []
    for hit in dated_phrases(normalise(text), today):
        value, has_year = hit.value, bool(_HAS_YEAR.search(hit.words))
        # "Wednesday 10 February" was checked against the coming year's calendar: looking
        # back, the date is the day, as for any weekday said with a date.
        one_day = isinstance(value, Vague) and value.said_weekday is not None
        if isinstance(value, Vague) and not (stretches or one_day):
            continue
        day = value.earliest if isinstance(value, Vague) else value
        found.append(day if has_year else _last_by(day, today))
    return found


def _last_by(day: date, today: date) -> date:
    """The same day of the year, a year earlier until it is no later than today."""
    while day > today:
        day = (
            day.replace(year=day.year - 1)
            if not (day.month == 2 and day.day == 29)
            else (day - timedelta(days=366))
        )
    return day


def find_dates(text: str, today: date) -> list[tuple[str, date]]:
    """Every single day named in a longer message, in order, as (the words, the day).

    Bare numbers ("6" in "6 sessions"), words like "now" or "sun", and stretches of
    time ("early February") are not days.
    """
    return [
        (hit.words, hit.value)
        for hit in dated_phrases(normalise(text), today)
        if isinstance(hit.value, date)
    ]


def find_vague(text: str, today: date) -> Vague | None:
    """The first stretch of time named in a message ("after Christmas"), if any."""
    hits = dated_phrases(normalise(text), today)
    return next((hit.value for hit in hits if isinstance(hit.value, Vague)), None)


def read_date(text: str, today: date) -> date | Vague | None:
    """The day a short answer names, a Vague stretch of time, or None.

    A past date with a year ("1 January 2020") is returned as it is, so the caller
    can say it has passed rather than silently moving it.
    """
    cleaned = normalise(text)
    if _ASAP_ALONE.match(cleaned):
        return today
    hits = dated_phrases(cleaned, today)
    days = [hit.value for hit in hits if isinstance(hit.value, date)]
    if days:
        return days[0]
    if hits:
        return hits[0].value
    return _by_dateparser(cleaned, today)


def parse_date(text: str, today: date) -> date | None:
    """The day a short answer names, or None (stretches of time included)."""
    found = read_date(text, today)
    return found if isinstance(found, date) else None

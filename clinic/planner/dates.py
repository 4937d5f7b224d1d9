"""Dates as visitors say them, and knowing when words name no single day.

A phrase is read as one day only when it names one; words that name a stretch
of time ("early February", "after Christmas", "next week", "in the spring")
become a `Vague` date, so the planner asks which day instead of silently
picking the first of the month. Phrases dateparser gets wrong or partly are
read here first, relative to the clinic's today:

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
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from dateparser.date import DateDataParser
from dateparser.search import search_dates

from clinic.planner.date_stretches import (
    _AROUND,
    _HOLIDAY,
    _PART,
    _around_holiday,
    _few,
    _holiday,
    _month_alone,
    _part_of_month,
    _season,
    _soon,
    _week,
    _weekend,
    _year,
)
from clinic.planner.date_words import (
    _AMBIGUOUS_WORDS,
    _AMOUNT,
    _ASAP,
    _ASAP_ALONE,
    _BARE_DAY,
    _BARE_DURATION,
    _BARE_NUMBER,
    _DATE_WORDS,
    _EDGE_WORDS,
    _HAS_YEAR,
    _MONTH,
    _NOT_DATES,
    _NTH,
    _WEEKDAY,
    Hit,
    Vague,
    _add_months,
    _amount,
    _day_of_month,
    _Groups,
    _month_name,
    _month_number,
    _month_start,
    _next_month_named,
    _nth_weekday,
    _on_or_after_today,
    _settings,
    _weekday_after,
    normalise,
)
from clinic.rules import WEEKDAYS


def _relative_month_day(m: _Groups, today: date) -> date | None:
    offset = {"this": 0, "next": 1, "following": 1}[m["which"].lower().split()[-1]]
    first = _month_start(today, offset)
    try:
        return first.replace(day=int(m["day"]))
    except ValueError:
        return None


def _nth_weekday_in(m: _Groups, today: date) -> date | None:
    nth = _NTH.get(m["nth"].lower())
    weekday = WEEKDAYS.index(m["weekday"].lower())
    if m["which"]:
        firsts = [_month_start(today, 0 if m["which"].lower() == "this" else 1)]
    else:
        month = _month_number(m["month"])
        year = int(m["year"]) if m["year"] else None
        first = _next_month_named(month, today, year)
        firsts = [first] if year else [first, first.replace(year=first.year + 1)]
    for first in firsts:
        day = _nth_weekday(first, weekday, nth)
        if day.month == first.month and day >= today:
            return day
    return None


def _in_amount(m: _Groups, today: date) -> date:
    count = _amount(m["amount"])
    unit = m["unit"].lower()
    if unit.startswith("month"):
        return _add_months(today, count)
    return today + timedelta(days=count * (7 if unit.startswith("week") else 1))


def _weekday_after_next(m: _Groups, today: date) -> date:
    return _weekday_after(m["weekday"], today, strictly=True) + timedelta(days=7)


def _weekday_next_week(m: _Groups, today: date) -> date:
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    return monday + timedelta(days=WEEKDAYS.index((m["weekday"] or m["weekday2"]).lower()))


def _week_on(m: _Groups, today: date) -> date:
    return _weekday_after(m["weekday"] or m["weekday2"], today, strictly=False) + timedelta(days=7)


def _next_weekday(m: _Groups, today: date) -> date:
    return _weekday_after(m["weekday"], today, strictly=m["which"].lower() == "next")


def _asap(m: _Groups, today: date) -> date:
    return today


def _weekday_and_day(m: _Groups, today: date) -> date | Vague | None:
    """ "Friday the 8th", "Monday 12th January": checked against the calendar."""
    said = WEEKDAYS.index(m["weekday"].lower())
    number = int(m["day"])
    if m["month"]:
        year = int(m["year"]) if m["year"] else None
        first = _next_month_named(_month_number(m["month"]), today, year)
        try:
            day = first.replace(day=number)
        except ValueError:
            return None
        if year is None and day < today:
            day = day.replace(year=day.year + 1)
        if day.weekday() == said:
            return day
        return Vague(f"{day.day} {day:%B}", day, said_weekday=said)
    found = _day_of_month(number, today)
    for _ in range(15):
        if found is None:
            return None
        if found.weekday() == said:
            return found
        found = _day_of_month(number, _add_months(found.replace(day=1), 1))
    return None


_RULES: tuple[tuple[re.Pattern[str], Any], ...] = tuple(
    (re.compile(pattern, re.I), reader)
    for pattern, reader in (
        (_ASAP.pattern, _asap),
        (
            rf"\b(?:the\s+)?(?P<nth>first|1st|second|2nd|third|3rd|fourth|4th|last|final)\s+"
            rf"(?P<weekday>{_WEEKDAY})\s+(?:in|of)\s+(?:(?P<which>next|this)\s+month|"
            rf"(?P<month>{_MONTH})(?:\s+(?P<year>\d{{4}}))?)\b",
            _nth_weekday_in,
        ),
        (
            r"\b(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
            r"(?P<which>next|this|the following)\s+month\b",
            _relative_month_day,
        ),
        (
            r"\b(?P<which>next|this)\s+month\s+on\s+the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b",
            _relative_month_day,
        ),
        (
            rf"\b(?P<weekday>{_WEEKDAY}),?\s+(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
            rf"(?:\s+(?:of\s+)?(?P<month>{_MONTH})(?:\s+(?P<year>\d{{4}}))?)?\b(?![/.:]\d)"
            r"(?!\s*(?:am|pm|sessions?|treatments?|appointments?|visits?|times|x\b|weeks?|days?"
            r"|months?))",
            _weekday_and_day,
        ),
        (r"\bin\s+(?:a\s+)?few\s+(?P<unit>days?|weeks?|months?)\b", _few),
        (
            rf"\b(?:in\s+(?:about\s+|around\s+|roughly\s+)?(?P<amount>{_AMOUNT})\s+"
            rf"(?P<unit>days?|weeks?|months?)(?:'?s?\s+time)?"
            rf"|(?P<amount2>{_AMOUNT})\s+(?P<unit2>days?|weeks?|months?)\s+(?:from\s+)?"
            rf"(?:now|today))\b",
            _in_amount,
        ),
        (rf"\b(?P<weekday>{_WEEKDAY})\s+after\s+next\b", _weekday_after_next),
        (
            rf"\b(?P<weekday>{_WEEKDAY})\s+next\s+week\b|\bnext\s+week\s+(?:on\s+)?"
            rf"(?P<weekday2>{_WEEKDAY})\b",
            _weekday_next_week,
        ),
        (
            rf"\ba\s+week\s+(?:on|from)\s+(?P<weekday>{_WEEKDAY})\b|\b(?P<weekday2>{_WEEKDAY})"
            rf"\s+week\b",
            _week_on,
        ),
        (rf"\b(?P<which>next|this|coming)\s+(?P<weekday>{_WEEKDAY})\b", _next_weekday),
        (
            rf"\b(?P<around>{_AROUND})\s+(?:the\s+)?(?P<holiday>{_HOLIDAY})\b"
            r"|\b(?P<around2>after|over|during)\s+the\s+(?P<holiday2>holidays"
            r"|festive (?:season|period)|christmas holidays|christmas break)\b",
            _around_holiday,
        ),
        (rf"\b(?P<holiday>{_HOLIDAY})\b", _holiday),
        (
            rf"\b(?P<part>{_PART})[\s-]*(?:(?P<which>next|this|the|the following)\s+month|"
            rf"(?P<month>{_MONTH})(?:\s+(?P<year>\d{{4}}))?)\b",
            _part_of_month,
        ),
        (r"\b(?P<which>the\s+week\s+after\s+next)\b", _week),
        (
            r"\b(?:(?:some ?time|early|later|late)\s+)?(?:in\s+)?(?P<which>this|next)\s+week\b",
            _week,
        ),
        (r"\b(?P<which>this|next)\s+weekend\b", _weekend),
        (
            r"\b(?:(?P<which>this|next|in\s+the|over\s+the|during\s+the|by\s+the|in)\s+)"
            r"(?P<season>spring|summer|autumn|winter)\b|\b(?P<which2>this|next|in\s+the)\s+"
            r"(?P<season2>fall)\b",
            _season,
        ),
        (r"\bnext\s+year\b|\blater\s+(?:this|in\s+the)\s+year\b", _year),
        (r"\b(?:some ?time\s+)?soon(?:ish)?\b|\bat some point\b", _soon),
    )
)


# A month named alone: no day number before or after it. "may" and "march" are
# everyday words too, so they need a preposition ("in May") or a year.
_MONTH_ALONE = re.compile(
    rf"(?<![\d\w])(?:(?P<prep>in|during|for|from|around|by|until|till|of|through|throughout)\s+)?"
    rf"(?P<month>{_MONTH})(?:\s+(?P<year>\d{{4}}))?\b",
    re.I,
)
_DAY_BEFORE = re.compile(r"\d{1,2}(?:st|nd|rd|th)?\s*(?:of\s*)?$", re.I)
_DAY_AFTER = re.compile(r"^\s*(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\b(?!\s*(?:am|pm|:|\d))", re.I)
_EVERYDAY = frozenset({"may", "march", "mar", "sat", "sun", "jan", "jun", "jul", "sept"})


def _months_alone(text: str, today: date) -> list[Hit]:
    hits = []
    for m in _MONTH_ALONE.finditer(text):
        month = m["month"].lower()
        if month in _EVERYDAY and not (m["prep"] or m["year"]):
            continue
        if _DAY_BEFORE.search(text[: m.start("month")]) or _DAY_AFTER.match(text[m.end() :]):
            continue
        hits.append(Hit(m.start(), m[0], _month_alone(_Groups(m), today)))
    return hits


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
        return _day_of_month(int(bare[1]), today)
    data = DateDataParser(languages=["en"], settings=_settings(today)).get_date_data(words)
    if data.date_obj is None:
        return None
    found = data.date_obj.date()
    if data.period == "month":
        first = found.replace(day=1)
        return Vague(f"in {_month_name(first, today)}", max(today, first))
    if data.period == "year":
        return Vague(f"in {found.year}", max(today, date(found.year, 1, 1)))
    if data.period == "week":
        monday = found - timedelta(days=found.weekday())
        return Vague(f"in the week of {monday.day} {monday:%B}", max(today, monday))
    named = re.search(rf"\b({_WEEKDAY})\b", lowered)
    if named and found.weekday() != WEEKDAYS.index(named[1]):
        # "Monday, 8 sessions" read as the 8th: a real weekday-and-day phrase was read by
        # the rules above, so this number isn't a day of the month.
        return _weekday_after(named[1], today, strictly=False)
    return _on_or_after_today(found, words, today)


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def dated_phrases(text: str, today: date) -> list[Hit]:
    """Every date phrase in already normalised text, in reading order."""
    found: list[Hit] = []
    blanked = text
    for pattern, reader in _RULES:
        for m in pattern.finditer(blanked):
            value = reader(_Groups(m), today)
            if value is not None:
                found.append(Hit(m.start(), m[0].strip(), value))
                blanked = _blank(blanked, m.start(), m.end())
    for hit in _months_alone(blanked, today):
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
# ("1 March" on 3 March), so the planner can say so; older ones are next year's.
RECENT_PAST_DAYS = 14


def _recent_past(value: date | Vague | None, words: str, today: date) -> date | Vague | None:
    if not isinstance(value, date) or _HAS_YEAR.search(words) or value <= today:
        return value
    try:
        a_year_earlier = value.replace(year=value.year - 1)
    except ValueError:  # 29 February
        return value
    return a_year_earlier if today - timedelta(days=RECENT_PAST_DAYS) <= a_year_earlier else value


def find_past_dates(text: str, today: date) -> list[date]:
    """The days named in a message about something that has happened ("my last session was
    on 20 February"): a day or stretch without a year is the last one before today."""
    found: list[date] = []
    for hit in dated_phrases(normalise(text), today):
        day = hit.value.earliest if isinstance(hit.value, Vague) else hit.value
        while day > today and not _HAS_YEAR.search(hit.words):
            day = (
                day.replace(year=day.year - 1)
                if not (day.month == 2 and day.day == 29)
                else (day - timedelta(days=366))
            )
        found.append(day)
    return found


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

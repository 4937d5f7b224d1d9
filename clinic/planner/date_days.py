"""Phrases that name one day, which dateparser reads wrongly or not at all.

"the 5th of next month", "the first Monday in January", "in three weeks' time",
"Monday after next", "a week on Monday", "next Tuesday", "Friday the 8th",
"asap". Each is read relative to the clinic's today; `DAY_RULES` holds them in
the order clinic/planner/dates.py tries them.
"""

from __future__ import annotations

from datetime import date, timedelta

from clinic.planner.date_words import (
    AMOUNT_PATTERN,
    MONTH_PATTERN,
    WEEKDAY_PATTERN,
    Groups,
    Rule,
    Vague,
    add_months,
    amount,
    day_of_month,
    month_number,
    month_start,
    next_month_named,
    nth_weekday,
    rules,
    weekday_after,
)
from clinic.rules import WEEKDAYS

_NTH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_ASAP = (
    r"\b(?:as soon as (?:possible|poss|you can|i can)|asap|a\.s\.a\.p\.?|straight away|right away"
    r"|first available(?: day| date| slot| appointment)?|next available(?: day| date| slot)?"
    r"|earliest (?:possible|available)(?: day| date| slot)?|the earliest (?:day|date|slot))\b"
)


def _relative_month_day(m: Groups, today: date) -> date | None:
    offset = {"this": 0, "next": 1, "following": 1}[m["which"].lower().split()[-1]]
    first = month_start(today, offset)
    try:
        return first.replace(day=int(m["day"]))
    except ValueError:
        return None


def _nth_weekday_in(m: Groups, today: date) -> date | None:
    nth = _NTH.get(m["nth"].lower())
    weekday = WEEKDAYS.index(m["weekday"].lower())
    if m["which"]:
        firsts = [month_start(today, 0 if m["which"].lower() == "this" else 1)]
    else:
        month = month_number(m["month"])
        year = int(m["year"]) if m["year"] else None
        first = next_month_named(month, today, year)
        firsts = [first] if year else [first, first.replace(year=first.year + 1)]
    for first in firsts:
        day = nth_weekday(first, weekday, nth)
        if day.month == first.month and day >= today:
            return day
    return None


def _in_amount(m: Groups, today: date) -> date:
    count = amount(m["amount"])
    unit = m["unit"].lower()
    if unit.startswith("month"):
        return add_months(today, count)
    return today + timedelta(days=count * (7 if unit.startswith("week") else 1))


def _ago(m: Groups, today: date) -> date:
    """ "two months ago", "a few weeks back", "a fortnight ago": that long before today."""
    if m["fortnight"]:
        return today - timedelta(days=14)
    said = m["amount"].lower()
    count = 3 if said.endswith("few") else amount(said)
    unit = m["unit"].lower()
    if unit.startswith("month"):
        return add_months(today, -count)
    return today - timedelta(days=count * (7 if unit.startswith("week") else 1))


# Where in last week or last month a visitor means: its first day unless they say.
_LAST_STRETCH_PART = {"end": -1, "middle": 15, "mid": 15}


def _last_stretch(m: Groups, today: date) -> date:
    """ "last month", "the end of last month", "last week": a day of that stretch (a last
    session); its first day, as for any stretch read as a day, unless a part is said."""
    part = _LAST_STRETCH_PART.get((m["part"] or "").lower(), 1)
    if m["unit"].lower() == "week":
        monday = today - timedelta(days=today.weekday() + 7)
        return monday + timedelta(days=6) if part == -1 else monday
    if part == -1:
        return month_start(today, 0) - timedelta(days=1)
    return month_start(today, -1).replace(day=part)


def _weekday_after_next(m: Groups, today: date) -> date:
    return weekday_after(m["weekday"], today, strictly=True) + timedelta(days=7)


def _weekday_next_week(m: Groups, today: date) -> date:
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    return monday + timedelta(days=WEEKDAYS.index((m["weekday"] or m["weekday2"]).lower()))


def _week_on(m: Groups, today: date) -> date:
    return weekday_after(m["weekday"] or m["weekday2"], today, strictly=False) + timedelta(days=7)


def _next_weekday(m: Groups, today: date) -> date:
    return weekday_after(m["weekday"], today, strictly=m["which"].lower() == "next")


def _last_weekday(m: Groups, today: date) -> date:
    """ "last Monday": the one before today (a start that has passed, a last session)."""
    said = WEEKDAYS.index(m["weekday"].lower())
    return today - timedelta(days=(today.weekday() - said - 1) % 7 + 1)


def _asap(m: Groups, today: date) -> date:
    return today


def _weekday_and_day(m: Groups, today: date) -> date | Vague | None:
    """ "Friday the 8th", "Monday 12th January": checked against the calendar."""
    said = WEEKDAYS.index(m["weekday"].lower())
    number = int(m["day"])
    if m["month"]:
        year = int(m["year"]) if m["year"] else None
        first = next_month_named(month_number(m["month"]), today, year)
        try:
            day = first.replace(day=number)
        except ValueError:
            return None
        if year is None and day < today:
            day = day.replace(year=day.year + 1)
        if day.weekday() == said:
            return day
        return Vague(f"{day.day} {day:%B}", day, said_weekday=said)
    found = day_of_month(number, today)
    for _ in range(15):
        if found is None:
            return None
        if found.weekday() == said:
            return found
        found = day_of_month(number, add_months(found.replace(day=1), 1))
    return None


DAY_RULES: tuple[Rule, ...] = rules(
    (_ASAP, _asap),
    (
        rf"\b(?:the\s+)?(?P<nth>first|1st|second|2nd|third|3rd|fourth|4th|last|final)\s+"
        rf"(?P<weekday>{WEEKDAY_PATTERN})\s+(?:in|of)\s+(?:(?P<which>next|this)\s+month|"
        rf"(?P<month>{MONTH_PATTERN})(?:\s+(?P<year>\d{{4}}))?)\b",
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
        rf"\b(?P<weekday>{WEEKDAY_PATTERN}),?\s+(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
        rf"(?:\s+(?:of\s+)?(?P<month>{MONTH_PATTERN})(?:\s+(?P<year>\d{{4}}))?)?\b(?![/.:]\d)"
        r"(?!\s*(?:am|pm|sessions?|treatments?|appointments?|visits?|times|x\b|weeks?|days?"
        r"|months?))",
        _weekday_and_day,
    ),
    (
        rf"\b(?:in\s+(?:about\s+|around\s+|roughly\s+)?(?P<amount>{AMOUNT_PATTERN})\s+"
        rf"(?P<unit>days?|weeks?|months?)(?:'?s?\s+time)?"
        rf"|(?P<amount2>{AMOUNT_PATTERN})\s+(?P<unit2>days?|weeks?|months?)\s+(?:from\s+)?"
        rf"(?:now|today))\b",
        _in_amount,
    ),
    (
        rf"\b(?:(?:about|around|roughly|nearly|almost|over|just over|just under)\s+)?"
        rf"(?P<amount>{AMOUNT_PATTERN}|a few|few)\s+(?P<unit>days?|weeks?|months?)\s+(?:ago|back)\b"
        r"|\b(?P<fortnight>a\s+fortnight)\s+ago\b",
        _ago,
    ),
    (
        r"\b(?:(?:the\s+)?(?P<part>start|beginning|end|middle|mid)(?:\s+of|-)?\s+)?"
        r"last\s+(?P<unit>week|month)\b",
        _last_stretch,
    ),
    (rf"\b(?P<weekday>{WEEKDAY_PATTERN})\s+after\s+next\b", _weekday_after_next),
    (
        rf"\b(?P<weekday>{WEEKDAY_PATTERN})\s+next\s+week\b|\bnext\s+week\s+(?:on\s+)?"
        rf"(?P<weekday2>{WEEKDAY_PATTERN})\b",
        _weekday_next_week,
    ),
    (
        rf"\ba\s+week\s+(?:on|from)\s+(?P<weekday>{WEEKDAY_PATTERN})\b"
        rf"|\b(?P<weekday2>{WEEKDAY_PATTERN})\s+week\b",
        _week_on,
    ),
    (rf"\b(?P<which>next|this|coming)\s+(?P<weekday>{WEEKDAY_PATTERN})\b", _next_weekday),
    (rf"\blast\s+(?P<weekday>{WEEKDAY_PATTERN})\b(?!\s+(?:of|in)\b)", _last_weekday),
)

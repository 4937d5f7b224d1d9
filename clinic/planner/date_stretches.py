"""Phrases that name a stretch of time: holidays, parts of a month, weeks, seasons.

"after Christmas", "early February", "next week", "in the spring", "in a few
weeks", "soon", and a month named alone ("in May"). Each becomes a `Vague`
stretch the planner asks about; a holiday that is one day ("Boxing Day") is
that day. `STRETCH_RULES` holds them in the order clinic/planner/dates.py tries
them, after the single days; `months_alone` runs after every rule.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.easter import easter

from clinic.planner.date_words import (
    MONTH_PATTERN,
    Groups,
    Hit,
    Rule,
    Vague,
    month_name,
    month_number,
    month_start,
    next_month_named,
    rules,
)

_HOLIDAY_NAMES = {
    "christmas eve": "Christmas Eve",
    "christmas day": "Christmas",
    "xmas day": "Christmas",
    "christmas": "Christmas",
    "xmas": "Christmas",
    "boxing day": "Boxing Day",
    "new year's eve": "New Year's Eve",
    "new years eve": "New Year's Eve",
    "new year's day": "New Year's Day",
    "new years day": "New Year's Day",
    "new year": "New Year",
    "the new year": "New Year",
    "good friday": "Good Friday",
    "easter sunday": "Easter",
    "easter monday": "Easter Monday",
    "easter": "Easter",
    "valentine's day": "Valentine's Day",
    "valentines day": "Valentine's Day",
    "halloween": "Halloween",
}
_HOLIDAY = "|".join(re.escape(name) for name in sorted(_HOLIDAY_NAMES, key=len, reverse=True))
# Words that turn a holiday into a stretch of time around it.
_AROUND = (
    r"(?:just |right |straight |soon |shortly |not long |the week |the weekend |a few days |"
    r"a week |some ?time )?(?:after|before)|around|over|at|during|near|until|till|by|"
    r"sometime around|in the run up to"
)


def _holiday_date(name: str, today: date) -> date:
    """The next day with that name, today included."""
    for year in (today.year, today.year + 1):
        easter_day: date = easter(year)
        day: date = {
            "Christmas Eve": date(year, 12, 24),
            "Christmas": date(year, 12, 25),
            "Boxing Day": date(year, 12, 26),
            "New Year's Eve": date(year, 12, 31),
            "New Year's Day": date(year, 1, 1),
            "New Year": date(year, 1, 1),
            "Good Friday": easter_day - timedelta(days=2),
            "Easter": easter_day,
            "Easter Monday": easter_day + timedelta(days=1),
            "Valentine's Day": date(year, 2, 14),
            "Halloween": date(year, 10, 31),
        }[name]
        if day >= today:
            return day
    return day


def _around_holiday(m: Groups, today: date) -> Vague:
    around = " ".join(m["around"].lower().split())
    holiday = m["holiday"].lower()
    if holiday not in _HOLIDAY_NAMES:  # "after the holidays", "over the festive period"
        festive = today.month == 12 or (today.month == 1 and today.day <= 6)
        new_year = _holiday_date("New Year's Day", today - timedelta(days=6))
        earliest = new_year + timedelta(days=1) if "after" in around and festive else today
        return Vague(f"{around} the holidays", earliest)
    name = _HOLIDAY_NAMES[holiday]
    day = _holiday_date(name, today)
    if around == "at" and name == "New Year":
        around = "in"
    described = f"{around} {'the ' if name == 'New Year' else ''}{name}"
    earliest = day + timedelta(days=1) if "after" in around else max(today, day - timedelta(7))
    return Vague(described, earliest)


def _holiday(m: Groups, today: date) -> date | Vague:
    name = _HOLIDAY_NAMES[m["holiday"].lower()]
    if name == "New Year" and m["holiday"].lower().startswith("the"):
        return Vague("in the New Year", _holiday_date("New Year", today))
    return _holiday_date(name, today)


_PART_OF_MONTH = {
    "early": ("in early", 1),
    "the start of": ("at the start of", 1),
    "start of": ("at the start of", 1),
    "the beginning of": ("at the beginning of", 1),
    "beginning of": ("at the beginning of", 1),
    "the first half of": ("in the first half of", 1),
    "first half of": ("in the first half of", 1),
    "sometime in": ("in", 1),
    "some time in": ("in", 1),
    "mid": ("in mid-", 10),
    "the middle of": ("in the middle of", 10),
    "middle of": ("in the middle of", 10),
    "the second half of": ("in the second half of", 16),
    "second half of": ("in the second half of", 16),
    "late": ("in late", 20),
    "the end of": ("at the end of", 20),
    "end of": ("at the end of", 20),
    "towards the end of": ("towards the end of", 20),
}
_PART = "|".join(re.escape(part) for part in sorted(_PART_OF_MONTH, key=len, reverse=True))


def _part_of_month(m: Groups, today: date) -> Vague:
    words, from_day = _PART_OF_MONTH[m["part"].lower()]
    if m["which"]:
        which = m["which"].lower()
        first = month_start(today, 1 if which.endswith("next") or "following" in which else 0)
    else:
        first = next_month_named(
            month_number(m["month"]), today, int(m["year"]) if m["year"] else None
        )
    name = month_name(first, today)
    described = f"{words}{name}" if words.endswith("-") else f"{words} {name}"
    month_end = month_start(first, 1) - timedelta(days=1)
    last = first.replace(day=_PART_ENDS[from_day]) if from_day in _PART_ENDS else month_end
    part = m["part"].lower()
    if part in _WHOLE_MONTH:
        last = month_end
    elif part.endswith("first half of"):
        last = first.replace(day=15)
    return Vague(described, max(today, first.replace(day=from_day)), latest=last)


# The last day of a part of a month, by its first day: "early" is the 1st to the 10th.
_PART_ENDS = {1: 10, 10: 20}
_WHOLE_MONTH = frozenset({"sometime in", "some time in"})


def _month_alone(m: Groups, today: date) -> Vague:
    first = next_month_named(month_number(m["month"]), today, int(m["year"]) if m["year"] else None)
    last = month_start(first, 1) - timedelta(days=1)
    return Vague(f"in {month_name(first, today)}", max(today, first), latest=last)


def _week(m: Groups, today: date) -> Vague:
    which = m["which"].lower()
    monday = today - timedelta(days=today.weekday())
    if which == "this":
        return Vague("this week", today, latest=monday + timedelta(days=6))
    if which.startswith("the week"):
        first = monday + timedelta(weeks=2)
        return Vague("the week after next", first, latest=first + timedelta(days=6))
    first = monday + timedelta(weeks=1)
    return Vague("next week", first, latest=first + timedelta(days=6))


def _weekend(m: Groups, today: date) -> Vague:
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    if m["which"].lower() == "next" and today.weekday() < 5:
        saturday += timedelta(weeks=1)
    return Vague(f"{m['which'].lower()} weekend", saturday, latest=saturday + timedelta(days=1))


_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _season(m: Groups, today: date) -> Vague:
    season = m["season"].lower()
    first = next_month_named(_SEASON_START[season], today)
    if m["which"] and m["which"].lower() == "next" and first.year == today.year:
        first = first.replace(year=today.year + 1)
    name = "autumn" if season == "fall" else season
    return Vague(f"in the {name}", max(today, first))


def _year(m: Groups, today: date) -> Vague:
    which = " ".join(m[0].lower().split())
    if "next" in which:
        return Vague("next year", date(today.year + 1, 1, 1))
    return Vague("later this year", today)


def _few(m: Groups, today: date) -> Vague:
    unit = m["unit"].lower().rstrip("s")
    days = {"day": 3, "week": 14, "month": 60}[unit]
    return Vague(f"in a few {unit}s", today + timedelta(days=days))


def _soon(m: Groups, today: date) -> Vague:
    return Vague("in the coming weeks", today)


STRETCH_RULES: tuple[Rule, ...] = rules(
    (r"\bin\s+(?:a\s+)?few\s+(?P<unit>days?|weeks?|months?)\b", _few),
    (
        rf"\b(?P<around>{_AROUND})\s+(?:the\s+)?(?P<holiday>{_HOLIDAY})\b"
        r"|\b(?P<around2>after|over|during)\s+the\s+(?P<holiday2>holidays"
        r"|festive (?:season|period)|christmas holidays|christmas break)\b",
        _around_holiday,
    ),
    (rf"\b(?P<holiday>{_HOLIDAY})\b", _holiday),
    (
        rf"\b(?P<part>{_PART})[\s-]*(?:(?P<which>next|this|the|the following)\s+month|"
        rf"(?P<month>{MONTH_PATTERN})(?:\s+(?P<year>\d{{4}}))?)\b",
        _part_of_month,
    ),
    (r"\b(?P<which>the\s+week\s+after\s+next)\b", _week),
    (
        r"\b(?:(?:some ?time|early|later|late)\s+)?(?:in\s+)?(?P<which>this|next)\s+week\b",
        _week,
    ),
    (r"\b(?P<which>this|next)\s+weekend\b", _weekend),
    (
        r"\b(?:(?:in\s+(?:the\s+)?)?(?:early|late|mid)[\s-]+|(?P<which>this|next|in\s+the|"
        r"over\s+the|during\s+the|by\s+the|for\s+the|in)\s+)"
        r"(?P<season>spring|summer|autumn|winter)\b"
        r"|\b(?P<which2>this|next|in\s+the)\s+(?P<season2>fall)\b",
        _season,
    ),
    (r"\bnext\s+year\b|\blater\s+(?:this|in\s+the)\s+year\b", _year),
    (r"\b(?:some ?time\s+)?soon(?:ish)?\b|\bat some point\b", _soon),
)


# A month named alone: no day number before or after it. "may" and "march" are
# everyday words too, so they need a preposition ("in May") or a year.
_MONTH_ALONE = re.compile(
    rf"(?<![\d\w])(?:(?P<prep>in|during|for|from|around|by|until|till|of|through|throughout)\s+)?"
    rf"(?P<month>{MONTH_PATTERN})(?:\s+(?P<year>\d{{4}}))?\b",
    re.I,
)
_DAY_BEFORE = re.compile(r"\d{1,2}(?:st|nd|rd|th)?\s*(?:of\s*)?$", re.I)
_DAY_AFTER = re.compile(r"^\s*(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\b(?!\s*(?:am|pm|:|\d))", re.I)
_EVERYDAY = frozenset({"may", "march", "mar", "sat", "sun", "jan", "jun", "jul", "sept"})


def months_alone(text: str, today: date) -> list[Hit]:
    """Every month named alone in text the rules have read ("in May", "June 2027")."""
    hits = []
    for m in _MONTH_ALONE.finditer(text):
        month = m["month"].lower()
        if month in _EVERYDAY and not (m["prep"] or m["year"]):
            continue
        if _DAY_BEFORE.search(text[: m.start("month")]) or _DAY_AFTER.match(text[m.end() :]):
            continue
        hits.append(Hit(m.start(), m[0], _month_alone(Groups(m), today)))
    return hits

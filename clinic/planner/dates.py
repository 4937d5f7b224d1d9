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
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from dateparser.date import DateDataParser
from dateparser.search import search_dates
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from clinic.rules import WEEKDAYS

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "half a dozen": 6, "a dozen": 12, "dozen": 12,
    "a couple": 2, "couple": 2,
}  # fmt: skip
MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip

_WEEKDAY = "|".join(WEEKDAYS)
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_AMOUNT = (
    r"a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of"
    r"|couple of|\d{1,2}"
)
_NTH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}

_HAS_MONTH = re.compile(rf"\b({_MONTH})\b|\b\d{{1,2}}[/.-]\d{{1,2}}\b", re.I)
_HAS_YEAR = re.compile(r"\b(19|20)\d{2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_BARE_DAY = re.compile(rf"^(?:on\s+)?(?:the\s+)?{_ORDINAL}$", re.I)
_BARE_NUMBER = re.compile(r"^(?:on\s+|the\s+|at\s+|in\s+)*\d{1,3}$", re.I)
_RANGE = re.compile(
    rf"\b(?:between\s+)?(?:the\s+)?{_ORDINAL}\s*(?:-|–|to|till|until|and)\s*(?:the\s+)?"
    rf"{_ORDINAL}\s+(?:of\s+)?({_MONTH})\b",
    re.I,
)
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
_BARE_DURATION = re.compile(rf"^(?:for\s+)?(?:{_AMOUNT})\s+(?:weeks?|days?|months?)$", re.I)
_ASAP = re.compile(
    r"\b(?:as soon as (?:possible|poss|you can|i can)|asap|a\.s\.a\.p\.?|straight away|right away"
    r"|first available(?: day| date| slot| appointment)?|next available(?: day| date| slot)?"
    r"|earliest (?:possible|available)(?: day| date| slot)?|the earliest (?:day|date|slot))\b",
    re.I,
)
_ASAP_ALONE = re.compile(r"^\s*(?:now|right now|immediately|today if possible)\s*[.!]?\s*$", re.I)


@dataclass(frozen=True)
class Vague:
    """Words that name a stretch of time, or a day that doesn't exist as said.

    `described` is in the bot's own words, never the visitor's, and reads after
    "Which day …": "in early February", "after Christmas", "next week". A
    mismatch ("Monday 12 January", a Tuesday) has `said_weekday` set.
    """

    described: str
    earliest: date
    said_weekday: int | None = None


class Hit(NamedTuple):
    """A date phrase found in a message: where it starts, its words, what it means."""

    start: int
    words: str
    value: date | Vague


# --- Helpers ---------------------------------------------------------------------


def _settings(today: date) -> dict[str, Any]:
    return {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }


def normalise(text: str) -> str:
    """Straight apostrophes, one space, and the ranges dateparser misreads spelled out."""
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"\ba fortnight\b", "two weeks", text, flags=re.I)
    text = re.sub(r"\bfortnight\b", "two weeks", text, flags=re.I)
    text = _RANGE.sub(lambda m: f"{m[1]} {m[3]} to {m[2]} {m[3]}", text)
    return " ".join(text.split())


def _month_number(word: str) -> int:
    word = word.lower()
    return next(i for i, name in enumerate(MONTH_NAMES, start=1) if name.startswith(word[:3]))


def _add_months(day: date, months: int) -> date:
    moved: date = day + relativedelta(months=months)
    return moved


def _month_start(today: date, offset: int) -> date:
    return _add_months(today.replace(day=1), offset)


def _next_month_named(month: int, today: date, year: int | None = None) -> date:
    """The first of that month, this year unless it has passed (or the year given)."""
    if year is not None:
        return date(year, month, 1)
    first = date(today.year, month, 1)
    return first if month >= today.month else date(today.year + 1, month, 1)


def _weekday_after(name: str, today: date, strictly: bool) -> date:
    ahead = (WEEKDAYS.index(name.lower()) - today.weekday()) % 7
    return today + timedelta(days=ahead or (7 if strictly else 0))


def _nth_weekday(first_of_month: date, weekday: int, nth: int | None) -> date:
    """The nth (1–4) or, with None, the last `weekday` of the month."""
    if nth is None:
        last = _add_months(first_of_month, 1) - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = first_of_month + timedelta(days=(weekday - first_of_month.weekday()) % 7)
    return first + timedelta(weeks=nth - 1)


def _amount(word: str) -> int:
    word = word.lower().removesuffix(" of")
    if word.isdigit():
        return int(word)
    return 1 if word in ("a", "an") else NUMBER_WORDS[word]


def _month_name(day: date, today: date) -> str:
    """ "February", or "February 2028" when it isn't within the coming year."""
    name = f"{day:%B}"
    return name if day < _add_months(today.replace(day=1), 12) else f"{name} {day.year}"


def _day_of_month(day: int, today: date) -> date | None:
    """The next date on or after today that falls on this day of the month."""
    year, month = today.year, today.month
    for _ in range(13):
        try:
            found = date(year, month, day)
        except ValueError:
            found = None
        if found is not None and found >= today:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


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


class _Groups:
    """A match whose alternative branches share names: `amount2` read as `amount`."""

    def __init__(self, match: re.Match[str]) -> None:
        self._match = match

    def __getitem__(self, name: str | int) -> Any:
        value = self._match[name]
        if value is None and isinstance(name, str):
            return self._match.groupdict().get(f"{name}2")
        return value

    def start(self) -> int:
        return self._match.start()


# --- The phrases read here, before dateparser ---------------------------------------
# Each rule is (pattern, reader); a reader returns a date, a Vague, or None when the
# words turn out not to be a date. Rules run in order and each match is blanked, so a
# later rule (and dateparser) never reads the same words again.


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


def _around_holiday(m: _Groups, today: date) -> Vague:
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


def _holiday(m: _Groups, today: date) -> date | Vague:
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


def _part_of_month(m: _Groups, today: date) -> Vague:
    words, from_day = _PART_OF_MONTH[m["part"].lower()]
    if m["which"]:
        which = m["which"].lower()
        first = _month_start(today, 1 if which.endswith("next") or "following" in which else 0)
    else:
        first = _next_month_named(
            _month_number(m["month"]), today, int(m["year"]) if m["year"] else None
        )
    name = _month_name(first, today)
    described = f"{words}{name}" if words.endswith("-") else f"{words} {name}"
    return Vague(described, max(today, first.replace(day=from_day)))


def _month_alone(m: _Groups, today: date) -> Vague:
    first = _next_month_named(
        _month_number(m["month"]), today, int(m["year"]) if m["year"] else None
    )
    return Vague(f"in {_month_name(first, today)}", max(today, first))


def _week(m: _Groups, today: date) -> Vague:
    which = m["which"].lower()
    monday = today - timedelta(days=today.weekday())
    if which == "this":
        return Vague("this week", today)
    if which.startswith("the week"):
        return Vague("the week after next", monday + timedelta(weeks=2))
    return Vague("next week", monday + timedelta(weeks=1))


def _weekend(m: _Groups, today: date) -> Vague:
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    if m["which"].lower() == "next" and today.weekday() < 5:
        saturday += timedelta(weeks=1)
    return Vague(f"{m['which'].lower()} weekend", saturday)


_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _season(m: _Groups, today: date) -> Vague:
    season = m["season"].lower()
    first = _next_month_named(_SEASON_START[season], today)
    if m["which"] and m["which"].lower() == "next" and first.year == today.year:
        first = first.replace(year=today.year + 1)
    name = "autumn" if season == "fall" else season
    return Vague(f"in the {name}", max(today, first))


def _year(m: _Groups, today: date) -> Vague:
    which = " ".join(m[0].lower().split())
    if "next" in which:
        return Vague("next year", date(today.year + 1, 1, 1))
    return Vague("later this year", today)


def _few(m: _Groups, today: date) -> Vague:
    unit = m["unit"].lower().rstrip("s")
    days = {"day": 3, "week": 14, "month": 60}[unit]
    return Vague(f"in a few {unit}s", today + timedelta(days=days))


def _soon(m: _Groups, today: date) -> Vague:
    return Vague("in the coming weeks", today)


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
        value = _by_dateparser(words, today)
        # A sanity bound: nobody plans mesotherapy around a date five years away.
        day = value.earliest if isinstance(value, Vague) else value
        if value is not None and day is not None and day.year <= today.year + 5:
            found.append(Hit(max(start, 0), words, value))
    return sorted(found, key=lambda hit: hit.start)


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

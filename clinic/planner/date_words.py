"""The words of dates: names, numbers, month arithmetic, and what a reading returns.

Shared by clinic/planner/dates.py (one day) and clinic/planner/date_stretches.py
(stretches of time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

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
    # The stretch's last day, where the words give one; not part of what it names.
    latest: date | None = field(default=None, compare=False)


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

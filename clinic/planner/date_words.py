"""The vocabulary and arithmetic of dates, shared by everything that reads them.

The words ("three", "a couple of", "Feb", "2nd"), the regular-expression pieces
built from them, the calendar sums a phrase needs ("the last Friday of the
month", "a month from today") and what a reading returns (a day, or a `Vague`
stretch of time, found at a `Hit`). Read by clinic/planner/date_days.py (one
day), clinic/planner/date_stretches.py (stretches of time) and
clinic/planner/dates.py (the reader that combines them with dateparser).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple, TypeAlias

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

# Pieces of patterns (alternations without a group of their own, but ORDINAL_PATTERN,
# whose one group is the day's number).
WEEKDAY_PATTERN = "|".join(WEEKDAYS)
MONTH_PATTERN = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
ORDINAL_PATTERN = r"(\d{1,2})(?:st|nd|rd|th)?"
# How people write each weekday (Monday = 0). "sat" and "sun" are everyday words too
# ("a sun holiday", "I sat"): SHORT_WEEKEND is read only where days are meant.
WEEKDAY_FORMS = {
    0: r"mondays?|mon",
    1: r"tuesdays?|tues?",
    2: r"wednesdays?|weds?",
    3: r"thursdays?|thu|thur|thurs",
    4: r"fridays?|fri",
    5: r"saturdays?",
    6: r"sundays?",
}
SHORT_WEEKEND = {5: r"sats?", 6: r"suns?"}
# Any weekday as people write it, short or long ("tues", "weds", "Saturdays").
DAY_FORM = "(?:" + "|".join([*WEEKDAY_FORMS.values(), *SHORT_WEEKEND.values()]) + ")"
# Two or more weekdays joined ("mon or fri", "Tuesdays and Thursdays", "Tue/Thu"): the
# days that suit, never one date. Not after a comma: "from Monday, Wed/Sat" starts Monday.
WEEKDAY_LIST = re.compile(rf"\b{DAY_FORM}(?:\s*(?:/|&|or|and|nor)\s*{DAY_FORM})+\b", re.I)
# Two weekdays as the ends of a run ("tues to fri", "Monday-Thursday"): the days from one
# to the other, which suit as a list does.
WEEKDAY_RANGE = re.compile(
    rf"\b({DAY_FORM})\s*(?:-|–|to|till|until|thru|through)\s*({DAY_FORM})\b", re.I
)
AMOUNT_PATTERN = (
    r"a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of"
    r"|couple of|\d{1,2}"
)

_RANGE = re.compile(
    rf"\b(?:between\s+)?(?:the\s+)?{ORDINAL_PATTERN}\s*(?:-|–|to|till|until|and)\s*(?:the\s+)?"
    rf"{ORDINAL_PATTERN}\s+(?:of\s+)?({MONTH_PATTERN})\b",
    re.I,
)


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


class Groups:
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


# A rule is a pattern and its reader; the reader returns a day, a Vague, or None when
# the words turn out not to be a date.
Reader: TypeAlias = Callable[[Groups, date], date | Vague | None]
Rule: TypeAlias = tuple[re.Pattern[str], Reader]


def rules(*pairs: tuple[str, Reader]) -> tuple[Rule, ...]:
    """Each pattern compiled, case-insensitive, beside its reader, in the order given."""
    return tuple((re.compile(pattern, re.I), reader) for pattern, reader in pairs)


# "2morrow", "tmrw": tomorrow as it is texted or misspelt.
_TEXTED_TOMORROW = re.compile(r"\b(?:2mor+ow|2moro|tmrw|tmr|tomoz|tom+or+ow)\b", re.I)


def normalise(text: str) -> str:
    """Straight apostrophes, one space, texted "2morrow", and the ranges dateparser
    misreads spelled out."""
    text = text.replace("’", "'").replace("‘", "'")
    text = _TEXTED_TOMORROW.sub("tomorrow", text)
    text = re.sub(r"\ba fortnight\b", "two weeks", text, flags=re.I)
    text = re.sub(r"\bfortnight\b", "two weeks", text, flags=re.I)
    text = _RANGE.sub(lambda m: f"{m[1]} {m[3]} to {m[2]} {m[3]}", text)
    return " ".join(text.split())


def weekdays_in_ranges(text: str) -> set[int]:
    """Every day of each weekday run said ("tues to fri" is Tuesday to Friday; "fri to
    mon" runs over the weekend)."""
    days: set[int] = set()
    for run in WEEKDAY_RANGE.finditer(text):
        first, last = (_weekday_of(word) for word in run.groups())
        days.update((first + step) % 7 for step in range((last - first) % 7 + 1))
    return days


def _weekday_of(word: str) -> int:
    forms = {day: [form, SHORT_WEEKEND.get(day)] for day, form in WEEKDAY_FORMS.items()}
    return next(
        day for day, said in forms.items() if any(f and re.fullmatch(f, word, re.I) for f in said)
    )


def amount(word: str) -> int:
    """ "a", "three", "a couple of", "12" as a number."""
    word = word.lower().removesuffix(" of")
    if word.isdigit():
        return int(word)
    return 1 if word in ("a", "an") else NUMBER_WORDS[word]


def month_number(word: str) -> int:
    """ "feb", "February" as 2."""
    word = word.lower()
    return next(i for i, name in enumerate(MONTH_NAMES, start=1) if name.startswith(word[:3]))


def month_name(day: date, today: date) -> str:
    """ "February", or "February 2028" when it isn't within the coming year."""
    name = f"{day:%B}"
    return name if day < add_months(today.replace(day=1), 12) else f"{name} {day.year}"


def add_months(day: date, months: int) -> date:
    """The same day that many months on, or the month's last day where it has fewer."""
    moved: date = day + relativedelta(months=months)
    return moved


def month_start(today: date, offset: int) -> date:
    """The first of this month (offset 0), next month (1), and so on."""
    return add_months(today.replace(day=1), offset)


def next_month_named(month: int, today: date, year: int | None = None) -> date:
    """The first of that month, this year unless it has passed (or the year given)."""
    if year is not None:
        return date(year, month, 1)
    first = date(today.year, month, 1)
    return first if month >= today.month else date(today.year + 1, month, 1)


def weekday_after(name: str, today: date, strictly: bool) -> date:
    """The next day with that weekday's name: today counts unless `strictly`."""
    ahead = (WEEKDAYS.index(name.lower()) - today.weekday()) % 7
    return today + timedelta(days=ahead or (7 if strictly else 0))


def nth_weekday(first_of_month: date, weekday: int, nth: int | None) -> date:
    """The nth (1–4) or, with None, the last `weekday` of the month."""
    if nth is None:
        last = add_months(first_of_month, 1) - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = first_of_month + timedelta(days=(weekday - first_of_month.weekday()) % 7)
    return first + timedelta(weeks=nth - 1)


def day_of_month(day: int, today: date) -> date | None:
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

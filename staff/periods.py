"""The period a console page reports on: the last day, week or month, or dates staff pick.

Overview, Feedback and Unanswered open on the same default (the last week)
and take the same choices (`?period=day|week|month`, or `?from=YYYY-MM-DD&to=
YYYY-MM-DD`, whole days in UTC, both included), so moving between them
keeps to one period; the template `_period_picker.html` shows the choice. A range
that can't be read is the default, with a line saying why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

DAYS = {"day": 1, "week": 7, "month": 30}
DEFAULT = "week"
CUSTOM = "custom"
LONGEST_DAYS = 366
DAY_S = 86400


@dataclass(frozen=True)
class Period:
    """What a page covers: from `since` to `until` (Unix times), named or picked."""

    name: str  # "day", "week", "month" or "custom"
    since: float
    until: float
    start: str  # the first day, as a date input shows it (YYYY-MM-DD, UTC)
    end: str  # the last day
    problem: str = ""  # why a range asked for was not used

    @property
    def fields(self) -> dict[str, str]:
        """This period as a query's fields, for forms that keep it (`{"period": "week"}`)."""
        if self.name == CUSTOM:
            return {"from": self.start, "to": self.end}
        return {"period": self.name}

    @property
    def query(self) -> str:
        """This period as a query string, for links that keep it (`period=week`)."""
        return urlencode(self.fields)

    @property
    def label(self) -> str:
        """This period in words: "the last week", or "2026-01-01 to 2026-01-31"."""
        if self.name == CUSTOM:
            return self.start if self.start == self.end else f"{self.start} to {self.end}"
        return f"the last {self.name}"

    @property
    def buckets(self) -> str:
        """The chart's buckets: hours for a day or two, else days."""
        return "day" if self.until - self.since <= 2 * DAY_S else "week"


def _day(at: float) -> str:
    return datetime.fromtimestamp(at, tz=timezone.utc).date().isoformat()


def _named(name: str, now: float, problem: str = "") -> Period:
    since = now - DAYS[name] * DAY_S
    return Period(name, since, now, _day(since), _day(now), problem)


def _midnight(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()


def period_from(args: Mapping[str, Any], now: float, default: str = DEFAULT) -> Period:
    """The period a page's query asks for (`args`: the request's arguments)."""
    start, end = args.get("from"), args.get("to")
    if start or end:
        try:
            first = date.fromisoformat(str(start or end)[:10])
            last = date.fromisoformat(str(end or start)[:10])
        except ValueError:
            return _named(default, now, "Dates are written as YYYY-MM-DD.")
        if last < first:
            return _named(default, now, "The first day comes after the last one.")
        if (last - first).days >= LONGEST_DAYS:
            return _named(default, now, f"A range is at most {LONGEST_DAYS} days.")
        since, until = _midnight(first), _midnight(last + timedelta(days=1))
        until = min(until, max(now, since))  # not into the future
        return Period(CUSTOM, since, until, first.isoformat(), last.isoformat())
    name = str(args.get("period") or default)
    return _named(name if name in DAYS else default, now)

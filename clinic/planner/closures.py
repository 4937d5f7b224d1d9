"""The days the clinic is closed beyond its weekly days off: public holidays and closures.

Public holidays come from the `holidays` library for the region in
`clinic.yml` (a maintained list, observed days included: Boxing Day on a
Saturday is observed on the Monday); closures are the clinic's own dates. Each
day maps to the reason a visitor reads when a session moves.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays

from clinic.messages import text
from clinic.settings import ClosedDays


def closed_days(closed: ClosedDays, first: date, last: date) -> dict[date, str]:
    """Every closed day from `first` to `last`, with why, in plain words."""
    found: dict[date, str] = {}
    if closed.country:
        region = holidays.country_holidays(
            closed.country,
            subdiv=closed.subdivision or None,
            years=range(first.year, last.year + 1),
            language="en_US",
        )
        for day, name in sorted(region.items()):
            if first <= day <= last:
                found[day] = text("conflict_public_holiday", holiday=name)
    for closure in closed.closures:
        day = max(first, closure.first)
        while day <= min(last, closure.last):
            found.setdefault(day, text("conflict_closure", reason=closure.reason))
            day += timedelta(days=1)
    return found

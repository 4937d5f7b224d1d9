"""The period a page reports on (staff/periods.py): named, picked, or the default with a reason."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from staff.periods import DAY_S, Period, period_from

NOW = datetime(2027, 1, 15, 9, 30, tzinfo=timezone.utc).timestamp()


def midnight(day: str) -> float:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp()


def test_the_default_is_the_last_week() -> None:
    period = period_from({}, NOW)
    assert (period.name, period.since, period.until) == ("week", NOW - 7 * DAY_S, NOW)
    assert (period.start, period.end) == ("2027-01-08", "2027-01-15")
    assert period.query == "period=week"


@pytest.mark.parametrize(("name", "days"), [("day", 1), ("week", 7), ("month", 30)])
def test_a_named_period(name: str, days: int) -> None:
    period = period_from({"period": name}, NOW)
    assert (period.name, period.until - period.since) == (name, days * DAY_S)


def test_picked_dates_cover_whole_days_both_included() -> None:
    period = period_from({"from": "2027-01-01", "to": "2027-01-03"}, NOW)
    assert period == Period(
        "custom", midnight("2027-01-01"), midnight("2027-01-04"), "2027-01-01", "2027-01-03"
    )
    assert period.query == "from=2027-01-01&to=2027-01-03"
    assert period.buckets == "week"  # days on the chart


def test_one_picked_day_is_that_day_in_hours() -> None:
    period = period_from({"from": "2027-01-10"}, NOW)
    assert (period.since, period.until) == (midnight("2027-01-10"), midnight("2027-01-11"))
    assert period.buckets == "day"


def test_a_range_ending_today_stops_now() -> None:
    assert period_from({"from": "2027-01-14", "to": "2027-01-15"}, NOW).until == NOW


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ({"from": "15/01/2027", "to": "2027-01-15"}, "Dates are written as YYYY-MM-DD."),
        ({"from": "2027-01-15", "to": "2027-01-01"}, "The first day comes after the last one."),
        ({"from": "2020-01-01", "to": "2027-01-01"}, "A range is at most 366 days."),
    ],
)
def test_dates_that_cant_be_used_give_the_default_and_say_why(
    args: dict[str, str], problem: str
) -> None:
    period = period_from(args, NOW)
    assert (period.name, period.problem) == ("week", problem)


def test_an_unknown_period_is_the_default() -> None:
    assert period_from({"period": "year"}, NOW).name == "week"
    assert period_from({"period": "year"}, NOW, default="month").name == "month"


def test_a_period_carries_over_to_forms_and_reads_in_words() -> None:
    named = period_from({"period": "month"}, NOW)
    assert (named.fields, named.label) == ({"period": "month"}, "the last month")
    picked = period_from({"from": "2027-01-01", "to": "2027-01-03"}, NOW)
    assert picked.fields == {"from": "2027-01-01", "to": "2027-01-03"}
    assert picked.label == "2027-01-01 to 2027-01-03"
    assert period_from({"from": "2027-01-10"}, NOW).label == "2027-01-10"

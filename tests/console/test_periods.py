"""Overview, Feedback and Unanswered share one default period and a range of dates staff
pick; the Overview downloads as CSV with the same figures as its JSON."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from tests.console.conftest import FORMULA, PAYLOADS, Staff

PAGES = ("/staff/overview", "/staff/feedback", "/staff/unanswered")


def today() -> str:
    return datetime.now(tz=timezone.utc).date().isoformat()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens_on_the_last_week(staff: Staff, path: str) -> None:
    page = staff.page(path)
    assert '<a href="?period=week" aria-current="true">Last week</a>' in page
    week_ago = (datetime.now(tz=timezone.utc) - timedelta(days=7)).date().isoformat()
    assert f'name="from" value="{week_ago}"' in page
    assert f'name="to" value="{today()}"' in page


@pytest.mark.parametrize("path", PAGES)
def test_every_page_takes_dates(staff: Staff, path: str) -> None:
    page = staff.page(f"{path}?from=2026-01-01&to=2026-01-31")
    assert 'name="from" value="2026-01-01"' in page and 'name="to" value="2026-01-31"' in page
    assert "2026-01-01 00:00 to 2026-02-01 00:00 (UTC)" in page
    assert 'aria-current="true"' not in page.split('aria-label="Period"', 1)[1].split("</nav>")[0]


@pytest.mark.parametrize("path", PAGES)
def test_dates_that_cant_be_read_say_so(staff: Staff, path: str) -> None:
    page = staff.page(f"{path}?from=yesterday&to=2026-01-31")
    assert "Dates are written as YYYY-MM-DD. Showing the last week." in page
    page = staff.page(f"{path}?from=2026-02-01&to=2026-01-01")
    assert "The first day comes after the last one. Showing the last week." in page


def test_a_range_counts_only_its_own_days(staff: Staff) -> None:
    # Yesterday and today: the fixture's messages, seeded minutes ago, may sit before midnight.
    yesterday = (datetime.now(tz=timezone.utc) - timedelta(days=1)).date().isoformat()
    json_today = staff.get(f"/staff/api/overview.json?from={yesterday}&to={today()}").json()
    json_week = staff.get("/staff/api/overview.json").json()
    empty = staff.get("/staff/api/overview.json?from=2001-01-01&to=2001-01-02").json()
    assert json_today["period"] == "custom"
    assert 0 < json_today["counts"]["messages"] <= json_week["counts"]["messages"]
    assert empty["counts"]["messages"] == 0 and empty["counts"]["conversations"] == 0


@pytest.mark.parametrize("query", ["", "?period=month", "?from=2026-11-20&to=2026-12-31"])
def test_the_overview_csv_has_the_pages_figures(staff: Staff, query: str) -> None:
    reply = staff.get(f"/staff/overview.csv{query}")
    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("text/csv")
    assert reply.headers["Content-Disposition"].startswith('attachment; filename="overview-')
    figures = staff.get(f"/staff/api/overview.json{query}").json()
    rows = list(csv.reader(io.StringIO(reply.text)))
    counted = {row[1]: row[2] for row in rows if row and row[0] == "count"}
    assert counted["Visitor messages"] == str(figures["counts"]["messages"])
    assert counted["Safety routes"] == str(figures["counts"]["safety"])
    assert counted["Conversations"] == str(figures["counts"]["conversations"])
    series = [row for row in rows if row and row[0] == "messages over time"]
    assert len(series) == len(figures["series"])
    assert sum(int(row[2]) for row in series) == figures["counts"]["messages"]
    for payload in (*PAYLOADS, FORMULA):
        assert payload not in reply.text, "figures only, no visitor text"


def test_the_overview_links_its_csv_for_the_period_shown(staff: Staff) -> None:
    page = staff.page("/staff/overview?from=2026-11-20&to=2026-12-31")
    assert 'href="/staff/overview.csv?from=2026-11-20&amp;to=2026-12-31"' in page

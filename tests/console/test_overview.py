"""The overview says how its resolution rate is counted, and counts what visitors wrote."""

from __future__ import annotations

import html
import re

from staff.insights import RESOLUTION_DEFINITION
from tests.console.conftest import Staff


def test_the_overview_states_how_the_resolution_rate_is_counted(staff: Staff) -> None:
    """The formula shows; the long definition opens under it (a phone screen's worth)."""
    page = staff.page("/staff/overview?period=week")
    shown = re.search(r'<details class="definition">(.*?)</details>', page, flags=re.S)
    assert shown is not None
    summary = re.search(r"<summary>(.*?)</summary>", shown[1], flags=re.S)
    assert summary is not None
    formula = html.unescape(re.sub(r"<[^>]+>", "", summary[1]))
    assert re.search(r"Resolution rate = resolved ÷ visitor questions \(\d+ ÷ \d+\)", formula)
    assert RESOLUTION_DEFINITION in html.unescape(shown[1].split("</summary>")[1])


def test_the_overview_counts_questions_resolved_within_them(staff: Staff) -> None:
    for period in ("day", "week", "month"):
        counts = staff.http.get(
            f"{staff.console.url}/staff/api/overview.json?period={period}", timeout=30
        ).json()["counts"]
        assert 0 < counts["resolved"] <= counts["questions"]

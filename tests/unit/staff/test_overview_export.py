"""The Overview as CSV (staff/overview_export.py), and callback contacts as links."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from staff.indexer import index_new_events
from staff.insights import overview
from staff.overview_export import COUNT_LABELS, overview_csv
from staff.periods import period_from
from staff.rendering import contact_link
from tests.unit.staff.helpers import DAY, NOW, Visit, store


def test_every_count_series_point_and_topic_has_its_row(engine: sa.engine.Engine) -> None:
    visit = Visit("a", NOW - DAY).start()
    visit.ask("what is it", "faq", "utter_faq/what_is").thumbs(up=True)
    visit.ask("i'm pregnant", "ask_pregnancy", "utter_pregnancy")
    store(engine, visit.take())
    index_new_events(engine)
    period = period_from({"period": "week"}, NOW)
    found = overview(engine, period.buckets, period.until, period.since)

    rows = list(csv.reader(io.StringIO(overview_csv(found, period))))

    counts = {row[1]: row[2] for row in rows if row and row[0] == "count"}
    assert {label: counts[label] for label in COUNT_LABELS.values()} == {
        label: str(found.counts[key]) for key, label in COUNT_LABELS.items()
    }
    assert counts["Safety routes"] == "1" and counts["Answered from the article"] == "1"
    series = [row for row in rows if row and row[0] == "messages over time"]
    assert len(series) == len(found.series) == 8
    assert series[0][1].endswith("T00:00Z")
    assert ["feedback", "What is mesotherapy?", "1", "0", "1.000"] in rows
    assert ["period", "from", "2027-01-08T08:00Z"] in rows


@pytest.mark.parametrize(
    ("contact", "link"),
    [
        ("+447911123456", "tel:+447911123456"),
        ("+44 7911 123456", "tel:+447911123456"),
        ("jane@example.com", "mailto:jane@example.com"),
    ],
)
def test_a_contact_links_to_a_call_or_an_email(contact: str, link: str) -> None:
    assert contact_link(contact) == link

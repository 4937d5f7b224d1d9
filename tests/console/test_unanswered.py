"""Filing unanswered messages as new wording of a topic the article answers.

A topic the article doesn't answer (the price) is refused and nothing is
written; an article topic writes the ticked wordings to review/new-wording.yml,
files only those, and they leave the page. A group's every wording is on its
own page, paged, ticked, for staff to untick; the export has every message
of the period the page shows.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import sqlalchemy as sa
import yaml

from clinic.privacy.personal_data import redact
from staff.db import TURNS
from staff.export import HEADER, no_formula
from staff.rendering import when
from staff.review import ARTICLE_QUESTIONS
from staff.turns import UNANSWERED
from staff.unanswered import key_of
from tests.console.conftest import (
    ACCOUNT,
    EMOJI_ONLY,
    NEVER_FILED,
    SITTINGS,
    VEGAN,
    VEGAN_ASKER,
    WHEELCHAIR,
    Console,
    Staff,
    hidden_input,
)


@dataclass
class Group:
    keys: list[str]
    examples: list[str]
    count: str
    csrf_token: str


def _groups(page: str) -> list[str]:
    return page.split('<section class="card group"')[1:]


_TICKED = re.compile(
    r'<input type="checkbox" name="key" value="([^"]*)"(?: id="[^"]*")? checked>'
    r'(?: ([^<]*)</label>|</td><td[^>]*><label for="[^"]*">([^<]*)</label>)'
)


def ticked(section: str) -> list[tuple[str, str]]:
    """(key, wording as shown) of each ticked checkbox in a form."""
    return [
        (html.unescape(key), html.unescape(listed or row))
        for key, listed, row in _TICKED.findall(section)
    ]


def group_asking(staff: Staff, text: str, path: str = "/staff/unanswered") -> Group | None:
    """The group on the unanswered page with `text` among its examples."""
    for section in _groups(staff.page(path)):
        shown = ticked(section)
        if text in [example for _, example in shown]:
            return Group(
                keys=[key for key, _ in shown],
                examples=[example for _, example in shown],
                count=re.findall(r'data-count="(\d+)"', section)[0],
                csrf_token=hidden_input(section, "csrf_token"),
            )
    return None


def _decide(staff: Staff, group: Group, decision: str, topic: str, **extra: str) -> Any:
    fields = [("csrf_token", group.csrf_token), *extra.items()]
    fields += [("key", key) for key in group.keys]
    fields += [("topic", topic), ("decision", decision)]
    return staff.post("/staff/unanswered/decide", data=fields)


def _snapshot(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def test_only_article_topics_are_offered(staff: Staff) -> None:
    page = staff.page("/staff/unanswered")
    assert '<option value="faq/sessions_needed">' in page
    assert '<option value="faq/price">' not in page


def test_filing_new_wording_writes_the_review_file_and_hides_the_group(
    console: Console, staff: Staff, review_files: Path
) -> None:
    group = group_asking(staff, SITTINGS[0])
    assert group is not None, "the sittings questions are one unanswered group"
    assert set(SITTINGS) <= set(group.examples)
    assert {key_of(text) for text in SITTINGS} <= set(group.keys)
    before = _snapshot(review_files)

    # The price is something the article doesn't say: no new wording for it.
    refused = _decide(staff, group, "new_wording", "faq/price")
    assert refused.status_code == 400
    assert "Choose the topic it asks." in refused.text
    assert _snapshot(review_files) == before
    assert console.decisions_for(*group.keys) == []
    assert group_asking(staff, SITTINGS[0]) is not None

    filed = _decide(staff, group, "new_wording", "faq/sessions_needed")
    assert filed.status_code == 303
    assert filed.headers["Location"] == (
        f"/staff/unanswered?period=week&filed=new_wording&wordings={len(group.keys)}&left_out=0"
    )

    written = yaml.safe_load(review_files.read_text(encoding="utf-8"))
    blocks = {block["intent"]: block["examples"] for block in written["nlu"]}
    examples = [line[2:] for line in blocks["faq/sessions_needed"].splitlines()]
    assert set(SITTINGS) <= set(examples)
    assert "faq/price" not in blocks

    decisions = console.decisions_for(*group.keys)
    assert {row.key for row in decisions} == set(group.keys)
    assert {(row.decision, row.topic, row.account) for row in decisions} == {
        ("new_wording", "faq/sessions_needed", ACCOUNT)
    }
    page = staff.page(filed.headers["Location"])
    assert "Filed: new wording." in page
    assert f"{len(group.keys)} wordings filed." in page
    for text in SITTINGS:
        assert text not in page
    assert group_asking(staff, SITTINGS[0]) is None


def test_a_decision_it_doesnt_know_is_refused(console: Console, staff: Staff) -> None:
    group = group_asking(staff, NEVER_FILED)
    assert group is not None
    for decision, topic in (("publish", "faq/sessions_needed"), ("", ""), ("new_wording", "")):
        reply = _decide(staff, group, decision, topic)
        assert reply.status_code == 400
    assert console.decisions_for(*group.keys) == []


def test_a_message_of_emoji_only_is_shown(staff: Staff) -> None:
    assert group_asking(staff, EMOJI_ONLY) is not None


def test_every_wording_of_a_big_group_is_on_its_pages_and_only_the_ticked_are_filed(
    console: Console, staff: Staff, review_files: Path
) -> None:
    listed = group_asking(staff, VEGAN[-1])  # the most recent wordings are shown first
    assert listed is not None and listed.count == str(len(VEGAN))
    assert len(listed.examples) == 5, "the list shows a few, and links to the rest"
    page = staff.page("/staff/unanswered")
    link = f"/staff/unanswered/group?key={quote_plus(listed.keys[0])}&amp;period=week"
    assert f'<a href="{link}">See and file all {len(VEGAN)} wordings</a>' in page

    path = html.unescape(link)
    first = group_asking(staff, listed.examples[0], path)
    second = group_asking(staff, VEGAN[0], path + "&page=2")
    assert first is not None and second is not None
    assert (len(first.examples), len(second.examples)) == (50, len(VEGAN) - 50)
    assert sorted(first.examples + second.examples) == sorted(VEGAN), "every wording, once"

    kept, kept_text = second.keys[0], second.examples[0]  # unticked: asks something else
    second.keys, second.examples = second.keys[1:], second.examples[1:]
    filed = _decide(staff, second, "article", "", back=listed.keys[0], period="week")
    assert filed.status_code == 303
    assert filed.headers["Location"] == f"{path}&filed=article&wordings=6&left_out=0"

    written = yaml.safe_load((review_files.parent / ARTICLE_QUESTIONS).read_text("utf-8"))
    (question,) = written["questions"]
    assert sorted(question["asked"]) == sorted(second.examples)
    assert question["times"] == len(second.examples) == 6
    filed_keys = {row.key for row in console.decisions_for(*(key_of(t) for t in VEGAN))}
    assert filed_keys == set(second.keys), "only what was written is filed"
    assert kept not in filed_keys
    assert "6 wordings filed." in staff.page(filed.headers["Location"])
    remaining = _all_examples(staff, path) + _all_examples(staff, path + "&page=2")
    assert kept_text in remaining
    assert sorted(remaining) == sorted(t for t in VEGAN if t not in second.examples)


def _all_examples(staff: Staff, path: str) -> list[str]:
    return [example for section in _groups(staff.page(path)) for _, example in ticked(section)]


def _days_ago(days: int) -> str:
    return (datetime.now(tz=timezone.utc) - timedelta(days=days)).date().isoformat()


def _midnight(day: str) -> float:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp()


def _stored_unanswered(console: Console, since: float) -> list[Any]:
    with console.engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(TURNS.c.at, TURNS.c.sender_id, TURNS.c.text).where(
                    TURNS.c.outcome.in_(UNANSWERED),
                    ~TURNS.c.text.startswith("/"),
                    TURNS.c.at >= since,
                )
            ).all()
        )


def _export_rows(staff: Staff, query: str) -> tuple[list[str], list[list[str]]]:
    reply = staff.get(f"/staff/unanswered.csv?{query}")
    assert reply.status_code == 200, reply.text[:300]
    assert reply.headers["Content-Type"].startswith("text/csv")
    (header, *rows) = list(csv.reader(io.StringIO(reply.text)))
    return header, rows


def test_the_export_has_every_unanswered_message_once(console: Console, staff: Staff) -> None:
    first = _days_ago(40)  # before the seeded month: every stored message
    header, rows = _export_rows(staff, f"from={first}&to={_days_ago(0)}")
    assert header == HEADER
    stored = _stored_unanswered(console, _midnight(first))
    expected = sorted(
        (when(at), no_formula(redact(sender)), no_formula(redact(text)))
        for at, sender, text in stored
    )
    assert len(rows) == len(stored) > len(VEGAN)
    assert sorted((row[0], row[3], row[-1]) for row in rows) == expected
    assert "times" not in header and all(row[1] for row in rows), "each row has its group"
    vegan_groups = {row[1] for row in rows if row[3] == VEGAN_ASKER}
    assert len(vegan_groups) == 1


def test_the_export_is_of_the_period_the_page_shows(console: Console, staff: Staff) -> None:
    page = staff.page("/staff/unanswered?from=2026-01-01&to=2026-01-31")
    assert 'href="/staff/unanswered.csv?from=2026-01-01&amp;to=2026-01-31"' in page
    assert 'href="/staff/unanswered.csv?period=week"' in staff.page("/staff/unanswered")

    _, week = _export_rows(staff, "period=week")
    _, month = _export_rows(staff, "period=month")
    _, long_ago = _export_rows(staff, "from=2001-01-01&to=2001-01-31")
    week_ago = datetime.now(tz=timezone.utc) - timedelta(days=7, minutes=1)
    assert long_ago == []
    assert 0 < len(week) < len(month), "the seeded month has more than its last week"
    assert all(row[0] >= week_ago.strftime("%Y-%m-%d %H:%M") for row in week)
    # Groups are numbered within each export: compare the messages themselves.
    messages = [(row[0], row[3], row[-1]) for row in week]
    assert set(messages) <= {(row[0], row[3], row[-1]) for row in month}


def test_an_export_of_dates_that_cant_be_read_says_so(staff: Staff) -> None:
    for query in ("from=yesterday&to=2026-01-31", "from=2026-02-01&to=2026-01-01"):
        reply = staff.get(f"/staff/unanswered.csv?{query}")
        assert reply.status_code == 400
        assert reply.headers["Content-Type"].startswith("text/html")
        assert "Pick the dates again on the Unanswered page." in reply.text


def test_filing_comes_back_to_the_dates_picked(console: Console, staff: Staff) -> None:
    dates = {"from": _days_ago(7), "to": _days_ago(0)}
    query = f"from={dates['from']}&to={dates['to']}"
    page = staff.page(f"/staff/unanswered?{query}")
    for name, value in dates.items():
        assert f'<input type="hidden" name="{name}" value="{value}">' in page
    assert f"&amp;from={dates['from']}&amp;to={dates['to']}" in page, "group links keep them"
    fields = {"csrf_token": staff.csrf_token(), "key": key_of(WHEELCHAIR), **dates}
    filed = staff.post("/staff/unanswered/decide", data={**fields, "decision": "dismissed"})
    assert filed.status_code == 303
    assert filed.headers["Location"] == (
        f"/staff/unanswered?{query}&filed=dismissed&wordings=1&left_out=0"
    )
    assert [row.decision for row in console.decisions_for(key_of(WHEELCHAIR))] == ["dismissed"]
    page = staff.page(filed.headers["Location"])
    assert "Filed: dismissed." in page and WHEELCHAIR not in page
    assert 'name="from" value="{}"'.format(dates["from"]) in page

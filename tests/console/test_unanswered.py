"""Filing a group of unanswered messages as new wording of a topic the article answers.

A topic the article doesn't answer (the price) is refused and nothing is
written; an article topic writes the examples to review/new-wording.yml, files
the group's messages, and the group leaves the page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from staff.unanswered import key_of
from tests.console.conftest import ACCOUNT, NEVER_FILED, SITTINGS, Console, Staff, hidden_input


@dataclass
class Group:
    keys: list[str]
    examples: list[str]
    count: str
    csrf_token: str


def _groups(page: str) -> list[str]:
    return page.split('<section class="card group"')[1:]


def _values(section: str, name: str) -> list[str]:
    found = re.findall(rf'<input type="hidden" name="{name}" value="([^"]*)">', section)
    return [html.unescape(value) for value in found]


def group_asking(staff: Staff, text: str) -> Group | None:
    """The group on the unanswered page with `text` among its examples."""
    for section in _groups(staff.page("/staff/unanswered")):
        examples = _values(section, "example")
        if text in examples:
            return Group(
                keys=_values(section, "key"),
                examples=examples,
                count=_values(section, "count")[0],
                csrf_token=hidden_input(section, "csrf_token"),
            )
    return None


def _decide(staff: Staff, group: Group, decision: str, topic: str) -> Any:
    fields = [("csrf_token", group.csrf_token), ("count", group.count)]
    fields += [("key", key) for key in group.keys]
    fields += [("example", example) for example in group.examples]
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
    assert filed.headers["Location"] == "/staff/unanswered?filed=new_wording"

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
    page = staff.page("/staff/unanswered?filed=new_wording")
    assert "Filed: new wording." in page
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

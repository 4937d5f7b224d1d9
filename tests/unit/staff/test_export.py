"""The unanswered messages' CSV (staff/export.py): every message, safe to open and to share."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any, NamedTuple

import sqlalchemy as sa

from staff.export import HEADER, no_formula, unanswered_csv
from staff.indexer import index_new_events
from staff.unanswered import Group, Wording, decide, messages, unanswered_groups
from tests.unit.staff.helpers import DAY, NOW, Visit, store

JAN_1 = 1_798_761_600.0  # 2027-01-01 00:00 UTC


class Message(NamedTuple):
    at: float
    sender_id: str
    outcome: str
    text: str


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def wording(key: str, text: str, decision: str | None = None) -> Wording:
    return Wording(key, text, 1, JAN_1, JAN_1, Counter(), [], decision)


def test_one_row_per_message_with_its_time_group_and_conversation() -> None:
    groups = [
        Group([wording("how much is it", "how much is it?"), wording("price", "price")]),
        Group([wording("gift vouchers", "gift vouchers", decision="dismissed")]),
    ]
    sent = [
        Message(JAN_1, "v1", "fallback", "how much is it?"),
        Message(JAN_1 + 60, "v2", "not_covered", "How much is it"),
        Message(JAN_1 + 3600, "v2", "out_of_scope", "gift vouchers"),
        Message(JAN_1 + 7200, "v3", "fallback", "price"),
    ]
    assert rows(unanswered_csv(groups, sent)) == [
        HEADER,
        ["2027-01-01 00:00", "1", "how much is it?", "v1", "not understood", "", "how much is it?"],
        [
            "2027-01-01 00:01",
            "1",
            "how much is it?",
            "v2",
            "the article doesn't say",
            "",
            "How much is it",
        ],
        [
            "2027-01-01 01:00",
            "2",
            "gift vouchers",
            "v2",
            "taken as not about mesotherapy",
            "dismissed",
            "gift vouchers",
        ],
        ["2027-01-01 02:00", "1", "how much is it?", "v3", "not understood", "", "price"],
    ]


def test_contact_details_are_replaced_and_formulas_quoted() -> None:
    texts = ["call me on 07700 900123 or jane@example.com", '=HYPERLINK("http://x")', "@SUM(1)"]
    sent = [Message(JAN_1, "whatsapp:+447700900123", "fallback", text) for text in texts]
    (_, *found) = rows(unanswered_csv([], sent))
    assert [row[-1] for row in found] == [
        "call me on [phone] or [email]",
        '\'=HYPERLINK("http://x")',
        "'@SUM(1)",
    ]
    assert {row[3] for row in found} == {"whatsapp:[phone]"}, "a conversation named by a phone"
    assert [row[2] for row in found][1] == '\'=HYPERLINK("http://x")'


def test_only_a_formula_start_is_quoted() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert no_formula(f"{start}1") == f"'{start}1"
    assert no_formula("1+1=2") == "1+1=2"
    assert no_formula("") == ""


def unclear(visit: Visit, text: str) -> Visit:
    return visit.ask(text, "nlu_fallback", None, action="action_default_fallback", confidence=0.2)


def test_the_export_of_a_store_has_every_unanswered_message_once(engine: sa.engine.Engine) -> None:
    sent: list[tuple[str, str]] = []
    rows_written: list[dict[str, Any]] = []
    for number in range(12):
        visit = Visit(f"v{number}", NOW - DAY + number * 600)
        for text in ("does it help rosacea", "is it vegan", "🙂🙂🙂", f"question {number % 4}"):
            unclear(visit, text)
            sent.append((visit.sender, text))
        visit.ask("what is mesotherapy", "faq", "utter_faq/what_is")  # answered: not exported
        rows_written += visit.take()
    store(engine, rows_written)
    index_new_events(engine)
    decide(engine, ["is it vegan"], "dismissed", "alice", NOW)  # filed: still exported

    groups = unanswered_groups(engine, NOW - 30 * DAY, NOW, with_decided=True)
    (_, *found) = rows(unanswered_csv(groups, messages(engine, NOW - 30 * DAY, NOW)))

    assert sorted((row[3], row[-1]) for row in found) == sorted(sent)
    assert all(row[1] for row in found), "every message has its group"
    assert {row[5] for row in found if row[-1] == "is it vegan"} == {"dismissed"}
    by_text = {row[-1]: row[1] for row in found}
    assert by_text["does it help rosacea"] != by_text["is it vegan"]

"""Conversation search takes the words as data: no SQL, and no LIKE wildcards.

Each search's results are compared with the conversations whose visitor
messages really contain the words, read from the database directly.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pytest
import sqlalchemy as sa
from markupsafe import escape

from staff.db import CONVERSATIONS, TURNS
from tests.console.conftest import (
    KEEP,
    PERCENT_WRITER,
    SQL_WRITER,
    Console,
    Staff,
)

RESULT = re.compile(r'<td class="opens"><a href="/staff/conversations/([^"]+)">')


def found(staff: Staff, words: str) -> set[str]:
    page = staff.page(f"/staff/conversations?q={quote(words, safe='')}")
    assert f'value="{escape(words)}"' in page, "the search box keeps the words"
    return {unquote(sender) for sender in RESULT.findall(page)}


def really_containing(console: Console, words: str) -> set[str]:
    with console.engine.connect() as connection:
        rows = connection.execute(sa.select(TURNS.c.sender_id, TURNS.c.text)).all()
    return {sender for sender, text in rows if words.lower() in text.lower()}


def all_conversations(console: Console) -> set[str]:
    with console.engine.connect() as connection:
        return set(connection.execute(sa.select(CONVERSATIONS.c.sender_id)).scalars())


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("' OR 1=1 --", {SQL_WRITER}),
        ("1=1", {SQL_WRITER}),
        ("%", {PERCENT_WRITER}),
        ("100%", {PERCENT_WRITER}),
        ("' OR '1'='1", set()),
        ("x' UNION SELECT sender_id, 1, text FROM staff_turns --", set()),
        ("\\", set()),
        ("%%", set()),
        ("_%", set()),
    ],
)
def test_search_finds_only_what_visitors_wrote(
    console: Console, staff: Staff, words: str, expected: set[str]
) -> None:
    assert really_containing(console, words) == expected, "the test store is as planned"
    assert found(staff, words) == expected


def test_an_underscore_matches_only_messages_with_one(console: Console, staff: Staff) -> None:
    # Button payloads (/feedback_down, /faq/what_is…) have underscores; questions don't.
    expected = really_containing(console, "_")
    assert expected and expected < all_conversations(console)
    assert found(staff, "_") == expected


def test_nothing_found_says_so(staff: Staff) -> None:
    page = staff.page(f"/staff/conversations?q={quote(chr(39) + ' OR 1=1 --x')}")
    assert "No conversations with" in page
    assert not RESULT.findall(page)


def test_a_conversation_id_finds_that_conversation(staff: Staff) -> None:
    assert found(staff, KEEP) == {KEEP}
    assert found(staff, "keep-me") == set(), "ids match whole, not in part"

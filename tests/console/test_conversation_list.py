"""The Conversations page lists by date, channel, first question and how it went, paged and
filtered; the visitor's export has readable times; deleting asks first and says it was done.

Every list is compared with the conversations in the database that the filter describes.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from html import unescape
from urllib.parse import unquote

import sqlalchemy as sa

from staff.db import CONVERSATIONS, TURNS
from staff.turns import SAFETY
from tests.console.conftest import (
    KEEP,
    MARKDOWN_ASKER,
    XSS_SAFETY,
    Console,
    Staff,
)

ROW = re.compile(
    r'<td data-label="Last message">([^<]*)</td>\s*<td data-label="Channel">([^<]*)</td>\s*'
    r'<td class="opens"><a href="/staff/conversations/([^"]+)">([^<]*)</a></td>\s*'
    r'<td data-label="How it went">([^<]*)</td>'
)


def listed(staff: Staff, query: str = "") -> list[tuple[str, str, str, str, str]]:
    """(last message, channel, sender, first question, how it went) of each row shown."""
    page = staff.page(f"/staff/conversations{query}")
    return [
        (when, unescape(channel), unquote(sender), unescape(text), unescape(outcome))
        for when, channel, sender, text, outcome in ROW.findall(page)
    ]


def every_page(staff: Staff, query: str = "?") -> list[str]:
    senders: list[str] = []
    for number in range(1, 50):
        rows = listed(staff, f"{query}&page={number}")
        if not rows or (senders and rows[-1][2] == senders[-1]):
            break
        senders += [row[2] for row in rows]
    return senders


def conversations(console: Console, *where: sa.ColumnElement[bool]) -> list[str]:
    with console.engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(CONVERSATIONS.c.sender_id)
                .where(*where)
                .order_by(CONVERSATIONS.c.last_at.desc(), CONVERSATIONS.c.sender_id)
            ).scalars()
        )


def test_the_list_pages_through_every_conversation_newest_first(
    console: Console, staff: Staff
) -> None:
    expected = conversations(console)
    assert len(expected) > 25, "more than one page"
    assert len(listed(staff)) == 25
    assert every_page(staff) == expected
    assert f"{len(expected)} conversations" in staff.page("/staff/conversations")


def test_a_row_says_when_where_what_and_how_it_went(staff: Staff) -> None:
    rows = {row[2]: row for row in every_page_rows(staff)}
    when, channel, _, first, outcome = rows[MARKDOWN_ASKER]
    assert channel == "Telegram"
    assert first == "can i have a peel after it", "the first question, not the /greet"
    assert outcome == "Not answered"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", when)
    assert rows[XSS_SAFETY][1:] == (
        "the website chat",
        XSS_SAFETY,
        rows[XSS_SAFETY][3],
        "Safety route",
    )
    assert rows[KEEP][4] == "Not answered"


def every_page_rows(staff: Staff) -> list[tuple[str, str, str, str, str]]:
    rows: list[tuple[str, str, str, str, str]] = []
    for number in range(1, 50):
        found = listed(staff, f"?page={number}")
        if not found or (rows and found[-1] == rows[-1]):
            break
        rows += found
    return rows


def test_filters_by_channel(console: Console, staff: Staff) -> None:
    on_telegram = conversations(console, CONVERSATIONS.c.channel == "telegram")
    assert on_telegram == [MARKDOWN_ASKER]
    assert [row[2] for row in listed(staff, "?channel=telegram")] == on_telegram
    assert listed(staff, "?channel=nowhere") == []


def test_filters_by_how_it_went(console: Console, staff: Staff) -> None:
    with_safety = sa.exists().where(
        TURNS.c.sender_id == CONVERSATIONS.c.sender_id, TURNS.c.outcome == SAFETY
    )
    expected = conversations(console, with_safety)
    assert expected
    assert every_page(staff, "?outcome=safety") == expected
    assert all(row[4] == "Safety route" for row in listed(staff, "?outcome=safety"))


def test_filters_by_dates(console: Console, staff: Staff) -> None:
    today = datetime.now(tz=timezone.utc).date().isoformat()
    since = datetime.fromisoformat(today).replace(tzinfo=timezone.utc).timestamp()
    expected = conversations(console, CONVERSATIONS.c.last_at >= since)
    assert every_page(staff, f"?from={today}&to={today}") == expected
    assert listed(staff, "?from=2001-01-01&to=2001-01-31") == []
    page = staff.page("/staff/conversations?from=2027-02-01&to=2027-01-01")
    assert "The first day comes after the last one." in page


def test_words_and_filters_together(staff: Staff) -> None:
    rows = listed(staff, "?q=peel&channel=telegram")
    assert [row[2] for row in rows] == [MARKDOWN_ASKER]
    assert listed(staff, "?q=peel&channel=socketio") == []


def test_the_export_has_readable_times(staff: Staff) -> None:
    exported = staff.get(f"/staff/conversations/{KEEP}/export.json").json()
    assert exported["conversation"] == KEEP and exported["times"] == "UTC"
    for line in exported["lines"]:
        stamp = datetime.fromtimestamp(line["at"], tz=timezone.utc)
        assert line["time"] == stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert any(line["text"] == "what is mesotherapy" for line in exported["lines"])


def test_deleting_asks_first_and_keeps_the_conversation_until_confirmed(
    console: Console, admin: Staff
) -> None:
    page = admin.page(f"/staff/conversations/{KEEP}")
    assert 'name="confirm" value="yes" required' in page
    reply = admin.post(
        f"/staff/conversations/{KEEP}/delete", data={"csrf_token": admin.csrf_token()}
    )
    assert reply.status_code == 200
    assert "Delete this conversation?" in reply.text
    assert 'name="confirm" value="yes"' in reply.text
    assert f'action="/staff/conversations/{KEEP}/delete"' in reply.text
    assert f'<a href="/staff/conversations/{KEEP}">No, keep it</a>' in reply.text
    assert console.events_of(KEEP) > 0, "nothing is deleted before the confirmation"


def test_a_deleted_conversation_is_said_to_be_deleted(staff: Staff) -> None:
    page = staff.page("/staff/conversations?deleted=1")
    assert '<p class="notice" role="status">The conversation was deleted.</p>' in page
    assert "was deleted" not in staff.page("/staff/conversations")

"""Conversations whose ids aren't plain letters open, export and delete like any other.

The REST channel takes any short sender id without spaces or control
characters (clinic/guard/input_checks.py), so ids like `ann@example.org` or
`whatsapp:+44…` are stored. The console links to a conversation with its id
URL-encoded; following that link must open that conversation, and deleting a
conversation on a visitor's request must delete it.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import pytest
from markupsafe import escape

from tests.console.conftest import (
    DELETE_ODD,
    ODD_QUESTION,
    ODD_SENDERS,
    XSS_SENDER,
    Console,
    Staff,
)


def link_to(staff: Staff, sender: str) -> str:
    """The link the search page gives for the conversation with this id."""
    page = staff.page(f"/staff/conversations?q={quote(sender, safe='')}")
    links = set(re.findall(r'<td class="opens"><a href="(/staff/conversations/[^"]+)">', page))
    assert len(links) == 1, links
    return html.unescape(links.pop())


@pytest.mark.parametrize("sender", ODD_SENDERS)
def test_the_conversation_opens_from_its_link(staff: Staff, sender: str) -> None:
    reply = staff.get(link_to(staff, sender))
    assert reply.status_code == 200, f"{sender!r}: {reply.status_code}"
    assert ODD_QUESTION in reply.text
    assert f"<code>{escape(sender)}</code>" in reply.text
    assert "<svg" not in reply.text


@pytest.mark.parametrize("sender", ODD_SENDERS)
def test_the_conversation_exports_from_its_link(staff: Staff, sender: str) -> None:
    reply = staff.get(link_to(staff, sender) + "/export.json")
    assert reply.status_code == 200, f"{sender!r}: {reply.status_code}"
    assert reply.json()["conversation"] == sender


def test_the_conversation_is_deleted_on_request(console: Console, admin: Staff) -> None:
    assert console.events_of(DELETE_ODD) > 0
    link = link_to(admin, DELETE_ODD)
    reply = admin.post(link + "/delete", data={"csrf_token": admin.csrf_token(), "confirm": "yes"})
    assert reply.status_code == 303
    assert console.events_of(DELETE_ODD) == 0, "the console said deleted; the events are there"
    assert console.turns_of(DELETE_ODD) == 0


def test_an_id_with_markup_is_shown_as_text(staff: Staff) -> None:
    listed = staff.page(f"/staff/conversations?q={quote(XSS_SENDER, safe='')}")
    assert f'href="/staff/conversations/{quote(XSS_SENDER)}"' in listed
    assert f'value="{escape(XSS_SENDER)}"' in listed
    logged = staff.page("/staff/safety")
    assert f'href="/staff/conversations/{quote(XSS_SENDER)}"' in logged
    for page in (listed, logged):
        assert "<svg" not in page

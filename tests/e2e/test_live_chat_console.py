"""Live chat in the console over HTTP: display names, missed chats and the Overview's
figures, canned replies, typing both ways, sign-out, and email alerts.

Real servers on loopback (Rasa, the action server, the web app with the console, one
SQLite tracker store) and a real SMTP server (aiosmtpd) receiving the clinic's alerts.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import html
import time
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import requests
from aiosmtpd.controller import Controller

from clinic.guard.session_tokens import issue_token
from staff.live import SENT_WITH_MESSAGE_S
from tests.support.live_chat import (
    ACCOUNT,
    ASK_FOR_A_PERSON,
    PASSWORD,
    VISITOR_GONE_S,
    LiveSite,
    SocketVisitor,
    hand_back,
    live_site,
    new_visitor,
    post_live,
    say,
    take,
    wait_until,
)
from tests.support.servers import free_port

WAIT_MINUTES = 0.25  # a visitor nobody takes is offered a callback after 15 s
DISPLAY_NAME = "Anna"


class Inbox:
    """aiosmtpd's handler: every message the clinic's alerts send, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def with_subject(self, part: str) -> list[EmailMessage]:
        return [m for m in self.messages if part in str(m["Subject"])]


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, inbox: tuple[Inbox, int]) -> Iterator[LiveSite]:
    _, port = inbox
    alerts = {
        "email_to": "team@clinic.example",
        "email_from": "assistant@clinic.example",
        "console_url": "https://console.clinic.example/staff",
        "smtp": {"host": "127.0.0.1", "port": port, "security": "none"},
    }
    workdir = Path(tmp_path_factory.mktemp("live-console"))
    with live_site(workdir, WAIT_MINUTES, clinic_extra={"alerts": alerts}) as running:
        yield running


@pytest.mark.e2e
def test_the_visitor_reads_the_display_name_never_the_login(site: LiveSite) -> None:
    staff = site.staff()
    saved = post_live(staff, "/staff/live/name", {"name": f"  {DISPLAY_NAME} "})
    assert saved.status_code == 303
    assert f'value="{DISPLAY_NAME}"' in staff.page("/staff/live")
    visitor = new_visitor("name")
    token = site.ask_for_person(visitor)["token"]
    take(staff, visitor)
    assert say(staff, visitor, "Hello, how can I help?").status_code == 200
    messages = site.poll(token)["messages"]
    joined, said = messages[-2], messages[-1]
    assert f"You're now chatting with {DISPLAY_NAME}" in joined["text"]
    assert (said["from"], said["name"], said["text"]) == (
        "staff",
        DISPLAY_NAME,
        "Hello, how can I help?",
    )
    assert ACCOUNT not in str(messages)
    hand_back(staff, visitor)
    refused = post_live(staff, "/staff/live/name", {"name": "x" * 41})
    assert refused.status_code == 400 and "1–40 characters" in html.unescape(refused.text)


@pytest.mark.e2e
def test_missed_chats_are_listed_and_the_overview_counts_live_chat(site: LiveSite) -> None:
    staff = site.staff()
    post_live(staff, "/staff/live/name", {"name": DISPLAY_NAME})
    nobody = new_visitor("missed")
    left = new_visitor("left")
    handled = new_visitor("handled")
    site.ask_for_person(nobody)
    site.ask_for_person(left)
    assert site.bot.say(left, "/restart") is not None  # the visitor starts over: they left
    site.ask_for_person(handled)
    take(staff, handled)
    say(staff, handled, "Happy to help.")
    hand_back(staff, handled)
    # Nobody takes `nobody`: after WAIT_MINUTES the console hands it back to the bot.
    page = wait_until(
        lambda: (lambda p: p if nobody in p and left in p else None)(staff.page("/staff/live")),
        "both missed chats on the Live page",
        timeout=60,
    )
    assert page.count("nobody took it") >= 1 and page.count("the visitor left") >= 1
    assert handled not in page.split("Missed chats")[1]

    overview = html.unescape(staff.page("/staff/overview?period=day"))
    figures = overview.split('id="live-figures-heading"')[1]
    assert "live chats asked for" in figures and "median wait before taken" in figures
    assert f"<td>{DISPLAY_NAME}</td>" in figures and ACCOUNT not in figures
    chats = int(figures.split("<b>")[1].split("</b>")[0])
    missed = int(figures.split("<b>")[3].split("</b>")[0])
    assert chats >= 3 and missed >= 2


@pytest.mark.e2e
def test_canned_replies_are_added_edited_and_deleted(site: LiveSite) -> None:
    staff = site.staff()
    title = f"Prices {uuid.uuid4().hex[:6]}"
    added = post_live(
        staff, "/staff/live/replies", {"title": title, "text": "A session costs <b>£150</b>."}
    )
    assert added.status_code == 303
    page = staff.page("/staff/live/replies")
    assert title in page and "&lt;b&gt;£150&lt;/b&gt;" in page and "<b>£150</b>" not in page
    reply_id = page.split('id="reply-')[1].split("-heading")[0]
    edited = post_live(
        staff, f"/staff/live/replies/{reply_id}", {"title": title, "text": "From £150 a session."}
    )
    assert edited.status_code == 303
    assert "From £150 a session." in staff.page("/staff/live/replies")
    visitor = new_visitor("canned")
    site.ask_for_person(visitor)
    take(staff, visitor)
    chat = staff.page(f"/staff/live/{visitor}")
    assert 'data-text="From £150 a session."' in chat and title in chat
    hand_back(staff, visitor)
    # Delete asks first: the reply stays until the question is answered yes.
    asked = post_live(staff, f"/staff/live/replies/{reply_id}/delete")
    assert asked.status_code == 200 and "Delete this canned reply?" in asked.text
    assert "From £150 a session." in asked.text
    assert f'action="/staff/live/replies/{reply_id}/delete"' in asked.text
    assert title in staff.page("/staff/live/replies")
    deleted = post_live(staff, f"/staff/live/replies/{reply_id}/delete", {"confirm": "yes"})
    assert deleted.status_code == 303
    page = staff.page("/staff/live/replies?deleted=1")
    assert title not in page and "The reply was deleted." in page
    assert staff.post("/staff/live/replies", {"title": "t", "text": "x"}).status_code == 403  # CSRF


@pytest.mark.e2e
def test_typing_is_shown_both_ways_during_a_live_chat(site: LiveSite) -> None:
    key = site.bot.env["CHAT_SESSION_KEY"]
    staff = site.staff()
    post_live(staff, "/staff/live/name", {"name": DISPLAY_NAME})
    session = f"typing{uuid.uuid4().hex[:8]}"
    cookie = {"clinic_chat": issue_token(key, session)}
    typing_url = site.web_url + "/chat/typing"

    async def chat() -> list[Any]:
        widget = SocketVisitor(site.bot.url, key, session)
        got: list[Any] = []
        widget.client.on("staff_typing", got.append)
        await widget.connect()
        await widget.say(ASK_FOR_A_PERSON)
        await widget.next_text("connecting you with the team")
        await asyncio.to_thread(take, staff, session)
        await widget.next_text("chatting with")
        lines = f"/staff/api/live/{session}/lines"
        assert (await asyncio.to_thread(staff.get, lines)).json()["visitor_typing"] is False
        # The visitor reads the greeting, then types: a signal within SENT_WITH_MESSAGE_S of
        # their last message is the one sent with it (tests/unit/staff/test_live.py).
        await asyncio.sleep(SENT_WITH_MESSAGE_S + 0.1)
        typed = await asyncio.to_thread(requests.post, typing_url, cookies=cookie, timeout=10)
        assert typed.status_code == 204
        assert (await asyncio.to_thread(staff.get, lines)).json()["visitor_typing"] is True
        sent = await asyncio.to_thread(
            staff.post,
            f"/staff/live/{session}/typing",
            headers={"X-CSRF-Token": staff.csrf_token("/staff/live")},
        )
        assert sent.status_code == 200, sent.text
        deadline = time.monotonic() + 10
        while not got and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await widget.close()
        return got

    assert asyncio.run(chat()) == [{"name": DISPLAY_NAME}]
    # A stranger's cookie names no conversation: nothing is stored.
    assert (
        requests.post(typing_url, cookies={"clinic_chat": "forged"}, timeout=10).status_code == 401
    )
    hand_back(staff, session)


@pytest.mark.e2e
def test_signing_out_ends_availability_and_signing_in_does_not_restore_it(site: LiveSite) -> None:
    availability = site.web_url + "/live-chat/availability"
    staff = site.staff()
    assert requests.get(availability, timeout=10).json() == {"available": True}
    assert post_live(staff, "/staff/logout").status_code == 303
    assert requests.get(availability, timeout=10).json() == {"available": False}
    again = site.console.sign_in(ACCOUNT, PASSWORD)
    assert "not taking" in again.page("/staff/live")
    assert requests.get(availability, timeout=10).json() == {"available": False}


def _settled(received: Inbox) -> int:
    """How many chat alerts have arrived, once none has come for three seconds."""
    count, quiet_since = -1, time.monotonic()
    while time.monotonic() - quiet_since < 3:
        now = len(received.with_subject("a visitor is waiting"))
        if now != count:
            count, quiet_since = now, time.monotonic()
        time.sleep(0.3)
    return count


@pytest.mark.e2e
def test_the_clinic_gets_an_email_for_a_waiting_chat_without_what_the_visitor_wrote(
    site: LiveSite, inbox: tuple[Inbox, int]
) -> None:
    received, _ = inbox
    staff = site.staff()
    before = _settled(received)  # the earlier tests' chats were alerted too
    visitor = new_visitor("email")
    site.bot.say(visitor, "my private question about my skin")
    site.ask_for_person(visitor)
    found = wait_until(
        lambda: received.with_subject("a visitor is waiting for a live chat")[before:],
        "the email alert",
    )
    alert = found[-1]
    assert alert["To"] == "team@clinic.example" and alert["From"] == "assistant@clinic.example"
    body = alert.get_content()
    assert "https://console.clinic.example/staff/live" in body
    assert "private question" not in body and visitor not in body
    time.sleep(5)  # several background rounds later: still one email for this chat
    assert len(received.with_subject("a visitor is waiting")) == before + 1
    take(staff, visitor)
    hand_back(staff, visitor)

    site.bot.say(visitor, "I'm pregnant, can I have mesotherapy?")
    safety = wait_until(lambda: received.with_subject("a new safety route"), "the safety alert")
    assert "https://console.clinic.example/staff/safety" in safety[-1].get_content()
    assert "pregnant" not in safety[-1].get_content()


@pytest.mark.e2e
def test_a_widget_visitor_who_leaves_while_waiting_is_a_missed_chat(site: LiveSite) -> None:
    key = site.bot.env["CHAT_SESSION_KEY"]
    staff = site.staff()  # someone is available, so the chat waits
    back, gone = f"back{uuid.uuid4().hex[:8]}", f"gone{uuid.uuid4().hex[:8]}"

    async def ask_then_close(session: str, come_back: bool) -> None:
        widget = SocketVisitor(site.bot.url, key, session)
        await widget.connect()
        await widget.say(ASK_FOR_A_PERSON)
        await widget.next_text("connecting you with the team")
        await widget.close()
        if come_back:  # a reload: the page is back within a second
            again = SocketVisitor(site.bot.url, key, session)
            await again.connect()
            await asyncio.sleep(VISITOR_GONE_S + 4)
            queue = await asyncio.to_thread(staff.get, "/staff/api/live.json")
            assert session in [c["sender"] for c in queue.json()["waiting"]]  # not leaving
            await again.close()

    asyncio.run(ask_then_close(back, come_back=True))
    asyncio.run(ask_then_close(gone, come_back=False))

    def missed() -> str | None:
        page = staff.page("/staff/live").split("Missed chats")[1]
        return page if gone in page else None

    row = wait_until(missed, "the visitor who left among the missed chats").split(gone)[0]
    assert "the visitor left" in row.rsplit("<tr>", 1)[-1]
    waiting = [c["sender"] for c in staff.get("/staff/api/live.json").json()["waiting"]]
    assert gone not in waiting

"""Live chat end to end over HTTP: a REST visitor, a member of staff in the console.

Real servers on loopback (Rasa, the action server, the web app with the
console, one SQLite tracker store). The visitor asks for a person while staff
are available, is connected, and the bot then says nothing at all until staff
hand the conversation back; staff read the visitor's messages in the console
and their replies reach the visitor through the signed polling route.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
import sqlalchemy as sa

from clinic.handoff.secret import HEADER
from staff.db import HANDOFFS, TURNS
from tests.support.live_chat import (
    LiveSite,
    hand_back,
    live_queue,
    live_site,
    new_visitor,
    say,
    take,
    wait_in_queue,
    wait_until,
)

WAIT_MINUTES = 0.25  # a visitor nobody takes is offered a callback after 15 s


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    with live_site(Path(tmp_path_factory.mktemp("live")), WAIT_MINUTES) as running:
        yield running


@pytest.mark.e2e
def test_a_visitor_and_staff_chat_while_the_bot_is_silent_then_the_bot_is_back(
    site: LiveSite,
) -> None:
    staff = site.staff()
    visitor = new_visitor()
    handoff = site.ask_for_person(visitor)
    assert wait_in_queue(staff, visitor)[0]["channel"] == "rest"
    assert site.poll(handoff["token"])["state"] == "waiting"

    took = take(staff, visitor)
    assert took.headers["Location"] == f"/staff/live/{visitor}"
    polled = site.poll(handoff["token"])
    assert polled["state"] == "with_staff"
    # No display name chosen: the visitor reads "the clinic team", never the login.
    assert "You're now chatting with the clinic team" in polled["messages"][-1]["text"]
    assert "anna.reception" not in str(polled)

    # While a person has the chat, the bot answers nothing, not even an FAQ or a date.
    for text in ("what is mesotherapy?", "next monday works for me", "hi"):
        assert site.bot.say(visitor, text) == [], text
    lines = wait_until(
        lambda: [
            line
            for line in staff.get(f"/staff/api/live/{quote(visitor, safe='')}/lines").json()[
                "lines"
            ]
            if line["who"] == "visitor"
        ][-1:],
        "the visitor's message in the console",
    )
    assert lines[0]["text"] == "hi"

    since = polled["messages"][-1]["at"]
    sent = say(staff, visitor, "Hello! I'm Anna. How can I help?")
    assert sent.status_code == 200, sent.text
    fresh = site.poll(handoff["token"], after=since)["messages"]
    assert [(m["from"], m["text"]) for m in fresh] == [
        ("staff", "Hello! I'm Anna. How can I help?")
    ]

    hand_back(staff, visitor)
    after_back = site.poll(handoff["token"], after=fresh[-1]["at"])
    assert after_back["state"] == "bot"
    assert "I'm back" in after_back["messages"][-1]["text"]
    answer = site.bot.text_of(visitor, "what is mesotherapy?")
    assert "mesotherapy" in answer.lower() and "injected into the middle layer" in answer, answer
    # The rules and the planner work as before the chat.
    assert "When would you like to start" in site.bot.text_of(visitor, "plan my sessions")

    site.console.wait_until_indexed()
    with site.engine.connect() as connection:
        ended = connection.execute(sa.select(HANDOFFS).where(HANDOFFS.c.sender_id == visitor)).one()
        outcomes = dict(
            connection.execute(
                sa.select(TURNS.c.text, TURNS.c.outcome).where(TURNS.c.sender_id == visitor)
            ).all()
        )
    assert ended.taken_by == "anna.reception" and ended.end_reason == "back"
    assert outcomes["hi"] == "with_staff" and outcomes["next monday works for me"] == "with_staff"


@pytest.mark.e2e
def test_nobody_available_means_the_callback_offer_and_no_pause(site: LiveSite) -> None:
    staff = site.staff(available=False)
    visitor = new_visitor()
    reply = site.bot.say(visitor, "can I speak to someone?")
    assert "Nobody from the team can chat live just now" in reply[-1]["text"]
    assert [b["payload"] for b in reply[-1]["buttons"]] == ["/request_callback"]
    assert not [m for m in reply if "custom" in m]
    assert "mesotherapy" in site.bot.text_of(visitor, "what is mesotherapy?").lower()
    assert live_queue(staff)["waiting"] == []


@pytest.mark.e2e
def test_a_chat_nobody_takes_times_out_to_a_callback_offer(site: LiveSite) -> None:
    staff = site.staff()
    visitor = new_visitor()
    handoff = site.ask_for_person(visitor)

    def offered() -> list[dict[str, Any]]:
        live_queue(staff)  # the live page stays open: staff are there, just busy
        found = site.poll(handoff["token"])
        return [m for m in found["messages"] if "nobody from the team could take" in m["text"]]

    wait_until(offered, "the callback offer", timeout=WAIT_MINUTES * 60 + 20)
    assert site.poll(handoff["token"])["state"] == "bot"
    assert "What name" in site.bot.text_of(visitor, "/request_callback")


@pytest.mark.e2e
def test_restart_while_paused_ends_the_chat_in_the_console(site: LiveSite) -> None:
    staff = site.staff()
    visitor = new_visitor()
    site.ask_for_person(visitor)
    wait_in_queue(staff, visitor)
    site.bot.say(visitor, "/restart")
    wait_until(
        lambda: not [c for c in live_queue(staff)["waiting"] if c["sender"] == visitor],
        "the chat to leave the queue",
    )
    with site.engine.connect() as connection:
        reason = connection.execute(
            sa.select(HANDOFFS.c.end_reason).where(HANDOFFS.c.sender_id == visitor)
        ).scalar()
    assert reason == "restarted"
    assert "mesotherapy" in site.bot.text_of(visitor, "what is mesotherapy?").lower()


@pytest.mark.e2e
def test_the_handoff_route_refuses_callers_without_the_secret_or_the_token(
    site: LiveSite,
) -> None:
    visitor = new_visitor()
    handoff = site.ask_for_person(visitor)
    route = f"{site.bot.url}/webhooks/handoff/staff/say"
    body = {"sender": visitor, "account": "mallory", "text": "click this link"}
    assert requests.post(route, json=body, timeout=10).status_code == 403
    wrong = {HEADER: "not-the-secret-not-the-secret-not-the-secret"}
    assert requests.post(route, json=body, headers=wrong, timeout=10).status_code == 403
    polling = f"{site.bot.url}/webhooks/handoff/messages"
    assert requests.get(polling, timeout=10).status_code == 401
    forged = {"Authorization": "Bearer " + handoff["token"][:-4] + "abcd"}
    assert requests.get(polling, headers=forged, timeout=10).status_code == 401
    # Staff can only write in a chat they took; the bot's own chats are not writable.
    staff = site.staff()
    refused = say(staff, visitor, "hello?")
    assert refused.status_code == 409 and "Take this chat" in refused.json()["message"]
    assert say(staff, visitor, "").status_code == 400


@pytest.mark.e2e
def test_asking_for_a_person_while_planning_pauses_the_planner_too(site: LiveSite) -> None:
    staff = site.staff()
    visitor = new_visitor()
    assert "When would you like to start" in site.bot.text_of(visitor, "plan my sessions")
    handoff = site.ask_for_person(visitor)
    take(staff, visitor)
    # A date said to the staff member is not taken as the planner's answer.
    assert site.bot.say(visitor, "next monday, but can I bring my sister?") == []
    hand_back(staff, visitor)
    assert "I'm back" in site.poll(handoff["token"])["messages"][-1]["text"]
    assert "When would you like to start" in site.bot.text_of(visitor, "plan my sessions")

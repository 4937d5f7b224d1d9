"""The public input path against the running Rasa server and web app.

Bad requests get a clear answer (never a 500), over-long messages a friendly
reply, a visitor sending too fast is asked to wait, oversized bodies are cut
off by size, and a socket.io connection can use only the conversation its
token was issued for.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import uuid
from typing import Any

import jwt
import pytest
import requests
import socketio

from clinic.messages import message
from clinic.settings import load_clinic_settings
from tests.security.conftest import VISITOR_BURST, Site

NORMAL_QUESTION = "what is mesotherapy?"
NORMAL_ANSWER = "minimally invasive"


def _visitor() -> str:
    return f"visitor-{uuid.uuid4().hex[:12]}"


def _post(site: Site, body: bytes, **headers: str) -> requests.Response:
    return requests.post(
        f"{site.bot.url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json", **headers},
        timeout=30,
    )


def _user_texts(site: Site, sender: str) -> list[str]:
    with sqlite3.connect(site.workdir / "trackers.db") as database:
        rows = database.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
            (sender,),
        ).fetchall()
    return [json.loads(data).get("text") or "" for (data,) in rows]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "malformed_json"),
        (b"\xc3\x28 invalid utf-8", "malformed_json"),
        (b"null", "not_an_object"),
        (b'["sender", "message"]', "not_an_object"),
        (b'{"message": "hi"}', "missing_sender"),
        (b'{"sender": 12345, "message": "hi"}', "invalid_sender"),
        (b'{"sender": {"id": 1}, "message": "hi"}', "invalid_sender"),
        (b'{"sender": "ann"}', "missing_message"),
        (b'{"sender": "ann", "message": ["hi"]}', "invalid_message"),
        (b'{"sender": "ann", "message": false}', "invalid_message"),
        (b'{"sender": "ann", "message": "   "}', "empty_message"),
        (b'{"sender": "ann", "message": "\\u0000\\u001b\\n"}', "empty_message"),
        (b"", "missing_body"),
    ],
)
def test_a_bad_request_gets_a_clear_400(site: Site, body: bytes, reason: str) -> None:
    reply = _post(site, body)
    assert reply.status_code == 400
    assert reply.json()["error"] == reason and reply.json()["message"]


def test_a_body_over_the_size_limit_gets_413_and_the_server_answers_on(site: Site) -> None:
    limit = load_clinic_settings(str(site.workdir / "clinic.yml")).input_limits.max_request_kb
    huge = json.dumps({"sender": _visitor(), "message": "a" * (limit * 1024 + 10)}).encode()
    assert _post(site, huge).status_code == 413
    assert NORMAL_ANSWER in site.bot.text_of(_visitor(), NORMAL_QUESTION)


def test_the_web_app_also_refuses_a_huge_body(site: Site) -> None:
    reply = requests.post(f"{site.web_url}/chat/session", data=b"x" * (65 * 1024), timeout=10)
    assert reply.status_code == 413


def test_an_over_long_message_gets_a_friendly_reply_and_is_not_read(site: Site) -> None:
    visitor = _visitor()
    reply = site.bot.say(visitor, "please help " * 100)  # 1,200 characters
    assert [entry["text"] for entry in reply] == [message("input_too_long")["text"]]
    assert "1000 characters" in reply[0]["text"]
    assert _user_texts(site, visitor) == []  # never reached NLU or the tracker


@pytest.mark.parametrize(
    "text",
    [
        "ما هو الميزوثيرابي؟",  # Arabic
        "האם זה כואב?",  # Hebrew
        "👩🏽‍⚕️💉 is it safe?",
        "what\x00 is\x1b meso\u200ftherapy?\x7f",
        "\u202ewhat is mesotherapy?",
    ],
)
def test_emoji_right_to_left_and_control_characters_get_a_normal_answer(
    site: Site, text: str
) -> None:
    visitor = _visitor()
    reply = site.bot.say(visitor, text)
    assert reply and all(entry.get("text") or entry.get("buttons") for entry in reply)
    stored = _user_texts(site, visitor)
    assert len(stored) == 1 and not any(ord(char) < 32 or ord(char) == 127 for char in stored[0])


def test_a_visitor_sending_too_fast_is_asked_to_wait_and_others_are_not(site: Site) -> None:
    visitor = _visitor()
    too_long = "a" * 1200  # answered without NLU, so the burst is sent in well under a second
    statuses = [
        _post(site, json.dumps({"sender": visitor, "message": too_long}).encode()).status_code
        for _ in range(VISITOR_BURST + 2)
    ]
    assert statuses[:VISITOR_BURST] == [200] * VISITOR_BURST
    assert statuses[-1] == 429
    refused = _post(site, json.dumps({"sender": visitor, "message": "hi"}).encode())
    assert refused.status_code == 429
    assert refused.json()["message"] == message("input_rate_limited")["text"]
    assert int(refused.headers["Retry-After"]) >= 1
    assert NORMAL_ANSWER in site.bot.text_of(_visitor(), NORMAL_QUESTION)


def test_the_web_app_gives_a_browser_the_same_session_on_reload(site: Site) -> None:
    browser = requests.Session()
    first = browser.post(f"{site.web_url}/chat/session", timeout=10)
    cookie = first.headers["Set-Cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/chat" in cookie
    again = browser.post(f"{site.web_url}/chat/session", timeout=10).json()
    assert again["session_id"] == first.json()["session_id"]
    assert site.new_chat()["session_id"] != first.json()["session_id"]  # another browser


class Visitor:
    """A socket.io client as the widget talks to Rasa: connect with a token, ask for a session."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = socketio.AsyncClient(reconnection=False)
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.confirmed: asyncio.Queue[str] = asyncio.Queue()
        self.client.on("bot_uttered", self.inbox.put_nowait)
        self.client.on("session_confirm", self.confirmed.put_nowait)

    async def join(self, token: str | None, session_id: str | None) -> str:
        auth = {"token": token} if token is not None else None
        await self.client.connect(self.url, transports=["websocket"], auth=auth)
        await self.client.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.confirmed.get(), 10)

    async def say(self, text: str, session_id: str) -> None:
        await self.client.emit("user_uttered", {"message": text, "session_id": session_id})

    async def replies(self, wait: float) -> list[str]:
        texts = []
        try:
            while True:
                texts.append((await asyncio.wait_for(self.inbox.get(), wait)).get("text", ""))
                wait = 2.0
        except asyncio.TimeoutError:
            return texts


async def test_a_connection_without_a_valid_token_is_refused(site: Site) -> None:
    forged = jwt.encode(
        {"sub": "someone", "aud": "clinic-chat", "exp": 9_999_999_999},
        "not-the-key-" * 4,
        algorithm="HS256",
    )
    for token in (None, "", "garbage", forged):
        visitor = Visitor(site.bot.url)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await visitor.join(token, "someone")
        await visitor.client.disconnect()


async def test_knowing_a_session_id_does_not_let_a_second_client_read_or_write_it(
    site: Site,
) -> None:
    victim_chat, intruder_chat = site.new_chat(), site.new_chat()
    victim, intruder = Visitor(site.bot.url), Visitor(site.bot.url)
    try:
        victim_id = await victim.join(victim_chat["token"], None)
        assert victim_id == victim_chat["session_id"]

        # The intruder knows the victim's id (not their token) and asks for it.
        given = await intruder.join(intruder_chat["token"], victim_id)
        assert given == intruder_chat["session_id"] != victim_id

        await victim.say(NORMAL_QUESTION, victim_id)
        assert any(NORMAL_ANSWER in text for text in await victim.replies(30))
        assert await intruder.replies(3) == []  # cannot read the victim's answers

        await intruder.say("i want to cancel everything", victim_id)  # cannot write either
        assert await victim.replies(5) == []
        assert _user_texts(site, victim_id) == [NORMAL_QUESTION]

        await intruder.say(NORMAL_QUESTION, given)  # its own conversation works as usual
        assert any(NORMAL_ANSWER in text for text in await intruder.replies(30))
        assert await victim.replies(3) == []
    finally:
        await victim.client.disconnect()
        await intruder.client.disconnect()


async def test_socketio_input_is_checked_like_rest(site: Site) -> None:
    chat = site.new_chat()
    visitor = Visitor(site.bot.url)
    try:
        session = await visitor.join(chat["token"], chat["session_id"])
        await visitor.client.emit("user_uttered", "not a mapping")
        assert await visitor.replies(10) == [message("input_empty")["text"]]
        await visitor.say("   \x00 ", session)
        assert await visitor.replies(10) == [message("input_empty")["text"]]
        await visitor.say("x" * 1500, session)
        assert await visitor.replies(10) == [message("input_too_long")["text"]]
        await visitor.say("هل الميزوثيرابي آمن؟ 🙂", session)
        assert await visitor.replies(30)  # a normal answer
        assert _user_texts(site, session) == ["هل الميزوثيرابي آمن؟ 🙂"]
    finally:
        await visitor.client.disconnect()

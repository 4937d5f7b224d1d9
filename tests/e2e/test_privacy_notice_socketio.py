"""The privacy notice over socket.io (the widget's channel), opening with a question.

On the session's shared bot (tests/e2e/conftest.py), whose widget sessions it signs.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
import socketio

from clinic.guard.session_tokens import issue_token
from tests.e2e.conftest import CHAT_SESSION_KEY
from tests.support.servers import RunningBot


async def _conversation(url: str, messages: list[str]) -> list[list[str]]:
    """What the bot sent after each message, over one socket.io connection."""
    session = f"widget-{uuid.uuid4().hex[:12]}"
    client = socketio.AsyncClient(reconnection=False)
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    confirmed: asyncio.Queue[Any] = asyncio.Queue()
    client.on("bot_uttered", inbox.put_nowait)
    client.on("session_confirm", confirmed.put_nowait)
    await client.connect(
        url, transports=["websocket"], auth={"token": issue_token(CHAT_SESSION_KEY, session)}
    )
    await client.emit("session_request", {"session_id": session})
    await asyncio.wait_for(confirmed.get(), 10)
    replies = []
    for text in messages:
        await client.emit("user_uttered", {"message": text, "session_id": session})
        texts = [(await asyncio.wait_for(inbox.get(), 30)).get("text", "")]
        try:
            while True:
                texts.append((await asyncio.wait_for(inbox.get(), 2.0)).get("text", ""))
        except asyncio.TimeoutError:
            pass
        replies.append(texts)
    await client.disconnect()
    return replies


@pytest.mark.e2e
def test_a_widget_conversation_opened_with_a_question_starts_with_the_notice(
    bot: RunningBot,
) -> None:
    first, second = asyncio.run(
        _conversation(bot.url, ["how many sessions will i need?", "what is mesotherapy?"])
    )
    assert "not medical advice" in first[0]
    assert any("between 3 and 15" in text for text in first[1:])
    assert not any("not medical advice" in text for text in second)
    assert any("minimally invasive" in text for text in second)

"""The action server dies or hangs: visitors hear planning is unavailable, FAQ keeps working."""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from clinic.settings import load_clinic_settings
from tests.support.servers import RunningBot, running_bot

TIMEOUT_SECONDS = 3
UNAVAILABLE = "can't plan your schedule right now"


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    env = {"ACTION_SERVER_TIMEOUT": str(TIMEOUT_SECONDS)}
    with running_bot(Path(tmp_path_factory.mktemp("faults-actions")), extra_env=env) as running:
        yield running


def _visitor() -> str:
    return f"visitor-{uuid.uuid4().hex[:10]}"


def _health(bot: RunningBot) -> requests.Response:
    return requests.get(f"{bot.url}/webhooks/health/", timeout=10)


def test_action_server_killed_then_back(bot: RunningBot) -> None:
    assert _health(bot).status_code == 200
    planning = _visitor()
    assert "When would you like to start" in bot.text_of(planning, "plan my sessions")

    bot.stop_actions()
    try:
        settings = load_clinic_settings()
        # In the middle of planning: the answer can't be checked without the action server.
        reply = bot.text_of(planning, "next monday")
        assert UNAVAILABLE in reply and settings.phone in reply
        # Starting afresh: the same polite reply, once.
        fresh = _visitor()
        reply = bot.text_of(fresh, "plan my sessions")
        assert reply.count(UNAVAILABLE) == 1 and settings.email in reply
        # The conversation goes on: FAQ answers need no action server.
        assert "7 to 10 days" in bot.text_of(fresh, "how often are the sessions?")
        assert "between 3 and" in bot.text_of(planning, "how many sessions will I need?")
        health = _health(bot)
        assert health.status_code == 503
        assert health.json()["actions"]["ok"] is False
    finally:
        bot.start_actions()

    assert "When would you like to start" in bot.text_of(planning, "plan my sessions")
    assert _health(bot).status_code == 200


def test_a_hung_action_server_gets_a_polite_reply_in_bounded_time(bot: RunningBot) -> None:
    process = bot.processes["actions"]
    os.kill(process.pid, signal.SIGSTOP)
    try:
        visitor = _visitor()
        began = time.monotonic()
        messages = bot.say(visitor, "plan my sessions", timeout=60)
        reply = "\n".join(message.get("text", "") for message in messages)
        took = time.monotonic() - began
        assert UNAVAILABLE in reply
        assert took < TIMEOUT_SECONDS + 5, f"the visitor waited {took:.1f} s"
        began = time.monotonic()
        assert "7 to 10 days" in bot.text_of(visitor, "how often are the sessions?")
        assert time.monotonic() - began < 5
    finally:
        os.kill(process.pid, signal.SIGCONT)
    assert "When would you like to start" in bot.text_of(_visitor(), "plan my sessions")

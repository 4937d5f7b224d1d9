"""Redis (the lock store) goes away while visitors chat, and comes back.

A private redis-server on a free port (the shared one on 6379 is never
touched) serves Rasa's lock store. While it is down, every visitor gets the
polite apology with the clinic's contact within a few seconds (not silence,
not a hang) and the log says clearly what failed; once it is back, the same
conversation goes on normally.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import socketio

from clinic.guard.session_tokens import KEY_FILE_ENV, issue_token, load_key
from clinic.messages import message
from clinic.settings import load_clinic_settings
from tests.support.servers import ROOT, RunningBot, free_port, running_bot

QUESTION = "what is mesotherapy?"
ANSWER = "minimally invasive"
MAX_REPLY_S = 5.0


def lock_store_endpoint(port: int) -> dict[str, Any]:
    """The lock store section of endpoints.yml: the production profile's (atomic) one on `port`."""
    return {
        "type": "rasa_ext.stores.lock_store.AtomicRedisLockStore",
        "url": "127.0.0.1",
        "port": port,
        "db": 0,
    }


class PrivateRedis:
    """A throw-away redis-server: no persistence, loopback only, stopped by its own pid."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.log = workdir / "redis.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        with self.log.open("ab") as handle:
            self.process = subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT)
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise TimeoutError(f"redis-server did not start:\n{self.log.read_text()}")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="module")
def redis_and_bot(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[PrivateRedis, RunningBot]]:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("No trained model in models/: run `make train` first.")
    workdir = Path(tmp_path_factory.mktemp("redis-down"))
    server = PrivateRedis(workdir)
    server.start()
    try:
        extra = {"lock_store": lock_store_endpoint(server.port)}
        env = {KEY_FILE_ENV: str(workdir / "chat-session.key")}
        with running_bot(workdir, with_actions=False, extra_env=env, endpoints_extra=extra) as bot:
            yield server, bot
    finally:
        server.kill()


def _timed(bot: RunningBot, sender: str, text: str) -> tuple[str, float]:
    began = time.monotonic()
    reply = bot.text_of(sender, text)
    return reply, time.monotonic() - began


async def _widget_reply(bot: RunningBot, session: str, text: str) -> tuple[str, float]:
    """What a website visitor sees over socket.io for one message, and how long it took.

    Every message of the reply, joined (a conversation's first reply starts with the
    privacy notice); the time is to the first one.
    """
    client = socketio.AsyncClient(reconnection=False)
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    client.on("bot_uttered", inbox.put_nowait)
    token = issue_token(load_key({KEY_FILE_ENV: str(bot.workdir / "chat-session.key")}), session)
    await client.connect(bot.url, transports=["websocket"], auth={"token": token})
    try:
        await client.emit("session_request", {"session_id": session})
        began = time.monotonic()
        await client.emit("user_uttered", {"message": text, "session_id": session})
        texts = [str((await asyncio.wait_for(inbox.get(), 15)).get("text", ""))]
        took = time.monotonic() - began
        while True:
            try:
                texts.append(str((await asyncio.wait_for(inbox.get(), 1.0)).get("text", "")))
            except asyncio.TimeoutError:
                return "\n".join(texts), took
    finally:
        await client.disconnect()


def test_redis_down_gets_an_apology_and_a_clear_error_then_the_chat_goes_on(
    redis_and_bot: tuple[PrivateRedis, RunningBot],
) -> None:
    server, bot = redis_and_bot
    log = bot.workdir / f"rasa-{bot.port}.log"
    settings = load_clinic_settings()
    apology = message("input_failed")["text"]

    assert ANSWER in bot.text_of("ann", QUESTION)
    errors_before = log.read_text(encoding="utf-8").count("Could not answer conversation")

    server.kill()
    for sender in ("ann", "bob", "ann"):  # the server keeps answering everyone
        reply, took = _timed(bot, sender, QUESTION)
        assert reply == apology, reply
        assert settings.phone in reply and settings.email in reply
        assert took < MAX_REPLY_S, f"the apology took {took:.1f} s"

    logged = log.read_text(encoding="utf-8")
    failures = [line for line in logged.splitlines() if "Could not answer conversation" in line]
    assert len(failures) == errors_before + 3
    assert all("ERROR" in line and "ConnectionError" in line for line in failures[-3:]), failures
    assert "Could not answer conversation ann on rest" in logged

    widget_reply, took = asyncio.run(_widget_reply(bot, "carol-widget", QUESTION))
    assert widget_reply == apology and took < MAX_REPLY_S
    assert "Could not answer conversation carol-widget on socket.io" in log.read_text("utf-8")

    server.start()
    reply, took = _timed(bot, "ann", "how many sessions will I need?")
    assert "between 3 and" in reply and apology not in reply
    assert ANSWER in bot.text_of("bob", QUESTION)
    widget_reply, _ = asyncio.run(_widget_reply(bot, "carol-widget", QUESTION))
    assert ANSWER in widget_reply

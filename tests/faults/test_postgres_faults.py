"""PostgreSQL restarts while visitors chat, and Rasa restarts: nothing acknowledged is lost.

Runs against a private PostgreSQL server (tests/support/postgres.py) that the
test really stops and starts; the shared one on 5432 is never touched.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from tests.support.postgres import PrivatePostgres, private_postgres
from tests.support.servers import RunningBot, running_bot

QUESTIONS = [
    "what is mesotherapy?",
    "how often are the sessions?",
    "how many sessions will I need?",
    "how do I prepare?",
    "what about aftercare?",
]


@pytest.fixture(scope="module")
def database() -> Iterator[PrivatePostgres]:
    with private_postgres() as server:
        yield server


@pytest.fixture(scope="module")
def bot(
    database: PrivatePostgres, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningBot]:
    store = {
        "type": "rasa_ext.stores.tracker_store.WindowedSQLTrackerStore",
        "dialect": "postgresql",
        "url": "127.0.0.1",
        "port": database.port,
        "db": "test",
        "username": "postgres",
        "password": "",
    }
    workdir = Path(tmp_path_factory.mktemp("faults-postgres"))
    with running_bot(workdir, endpoints_extra={"tracker_store": store}) as running:
        yield running


def _health(bot: RunningBot) -> requests.Response:
    return requests.get(f"{bot.url}/webhooks/health/", timeout=15)


def _fewest(acknowledged: dict[str, list[str]]) -> int:
    return min(len(texts) for texts in acknowledged.values())


def _wait_until(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the visitors made no progress"
        time.sleep(0.1)


def _stored_user_texts(database: PrivatePostgres, sender: str) -> list[str]:
    rows = database.query(
        "SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' ORDER BY id",
        sender=sender,
    )
    return [json.loads(str(data))["text"] for (data,) in rows]


def test_postgres_restart_while_visitors_chat_loses_no_acknowledged_message(
    bot: RunningBot, database: PrivatePostgres
) -> None:
    assert _health(bot).status_code == 200
    visitors = [f"pg-visitor-{n}-{uuid.uuid4().hex[:6]}" for n in range(3)]
    acknowledged: dict[str, list[str]] = {visitor: [] for visitor in visitors}
    # (visitor, sent at, answered at) of every acknowledged message
    timings: list[tuple[str, float, float]] = []
    failures: list[str] = []
    stop = threading.Event()

    def chat(visitor: str) -> None:
        turn = 0
        while not stop.is_set():
            # Plain questions the bot answers outright. A turn number in the text
            # ("what is mesotherapy? (0)") can make the answer unsure; the
            # "did you mean…?" that follows re-logs the visitor's next message
            # (Rasa's rephrase step), which is a second user event by design.
            # Repeats are fine: the stored list must equal the acknowledged one.
            text = QUESTIONS[turn % len(QUESTIONS)]
            sent_at = time.monotonic()
            try:
                reply = bot.say(visitor, text, timeout=60)
            except requests.RequestException as error:
                failures.append(f"{visitor}: {type(error).__name__}")
            else:
                if reply:
                    acknowledged[visitor].append(text)
                    timings.append((visitor, sent_at, time.monotonic()))
            turn += 1
            time.sleep(0.2)

    threads = [threading.Thread(target=chat, args=(visitor,)) for visitor in visitors]
    for thread in threads:
        thread.start()
    try:
        _wait_until(lambda: _fewest(acknowledged) >= 2)
        database.stop()
        down_at = time.monotonic()
        time.sleep(1)
        degraded = _health(bot)
        time.sleep(2)
        database.start()
        up_at = time.monotonic()
        at_restart = {visitor: len(texts) for visitor, texts in acknowledged.items()}
        _wait_until(
            lambda: all(len(acknowledged[v]) >= at_restart[v] + 2 for v in visitors), timeout=120
        )
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=90)

    assert degraded.status_code == 503
    assert degraded.json()["tracker_store"]["database"].startswith("unreachable")
    recovered = _health(bot)
    assert recovered.status_code == 200, recovered.text
    assert recovered.json()["tracker_store"]["fell_back_to_memory"] is False
    assert not failures, failures
    waited = {visitor for visitor, sent, answered in timings if sent < up_at and answered > down_at}
    assert waited == set(visitors), "each visitor had a message waiting through the outage"
    for visitor in visitors:
        assert len(acknowledged[visitor]) >= 4
        stored = _stored_user_texts(database, visitor)
        assert stored == acknowledged[visitor], f"{visitor}: stored {stored}"


def test_rasa_restart_resumes_conversations_from_postgres(
    bot: RunningBot, database: PrivatePostgres
) -> None:
    visitor = f"returning-{uuid.uuid4().hex[:8]}"
    assert "not medical advice" in bot.text_of(visitor, "hello")
    assert "When would you like to start" in bot.text_of(visitor, "plan my sessions")
    bot.restart_rasa()
    # The form is still running: the answer is taken as the start date.
    reply = bot.text_of(visitor, "next monday")
    assert "How many sessions has your clinician" in reply
    assert "not medical advice" not in bot.text_of(visitor, "hello")
    assert _stored_user_texts(database, visitor) == [
        "hello",
        "plan my sessions",
        "next monday",
        "hello",
    ]

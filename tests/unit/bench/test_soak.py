"""The soak's arithmetic and its visitors' conversations (no server: the client is a stand-in)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any, ClassVar

import pytest

from bench import soak


def _series(*rss: float, every: float = 30.0) -> list[dict[str, Any]]:
    return [{"at_s": n * every, "rss_mb": value} for n, value in enumerate(rss)]


def test_growth_is_the_end_against_the_rss_after_start_up() -> None:
    summary = soak.summarize(_series(822.0, 900.0, 1180.0, 1175.0, 1180.0))
    assert (summary["start_rss_mb"], summary["end_rss_mb"]) == (822.0, 1180.0)
    assert summary["growth_mb"] == 358.0
    assert summary["largest_rss_mb"] == 1180.0
    assert summary["second_half_growth_mb"] == 0.0  # flat once full, but too high
    assert summary["verdict"] == "FAIL"


def test_a_server_that_stays_within_100_mb_passes() -> None:
    summary = soak.summarize(_series(822.0, 860.0, 880.0, 890.0, 900.0))
    assert summary["growth_mb"] == 78.0
    assert summary["second_half_growth_mb"] == 20.0  # from the sample nearest the middle
    assert summary["verdict"] == "pass"
    with pytest.raises(ValueError):
        soak.summarize([])


def test_a_conversation_is_the_first_turns_of_a_script() -> None:
    assert soak.conversation_turns(["hi", "what is it?", "bye"], 2) == ["hi", "what is it?"]
    assert soak.conversation_turns(["hi", "bye"], 5) == ["hi", "bye", "hi", "bye", "hi"]


class _Visitor:
    """Stands in for load.RestVisitor: answers every message at once and notes it."""

    said: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, http: object, url: str) -> None:
        self.sender = ""

    async def start(self, sender: str) -> None:
        self.sender = sender

    async def say(self, text: str, expected: int | None) -> int:
        self.said.append((self.sender, text))
        await asyncio.sleep(0.001)
        return 1


def test_a_visitor_starts_a_new_conversation_every_few_messages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(soak.load, "RestVisitor", _Visitor)
    _Visitor.said = []
    scripts = [["hi", "a?", "b?", "c?"], ["hello", "x?", "y?", "z?"]]
    tally = soak.Tally()
    until = time.monotonic() + 0.2
    http: Any = None  # the stand-in needs no session
    asyncio.run(soak.visitor(http, "", 1, "bench-soak-rest-t", scripts, 3, until, tally))

    by_conversation: dict[str, list[str]] = {}
    for sender, text in _Visitor.said:
        by_conversation.setdefault(sender, []).append(text)
    senders = list(by_conversation)
    assert len(senders) == tally.conversations > 3
    assert tally.messages == len(_Visitor.said) and not tally.errors
    assert senders[:2] == ["bench-soak-rest-t-1-0", "bench-soak-rest-t-1-1"]
    assert by_conversation[senders[0]] == ["hello", "x?", "y?"]  # visitor 1 starts one script on
    assert by_conversation[senders[1]] == ["hi", "a?", "b?"]
    assert all(len(texts) == 3 for texts in list(by_conversation.values())[:-1])


def test_the_cache_figures_replay_only_this_runs_conversations(tmp_path: Path) -> None:
    db = tmp_path / "trackers.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id, type_name)")
        order = ["bench-startup-1", "run-0-0", "run-1-0", "run-0-0", "run-2-0", "run-1-0"]
        connection.executemany(
            "INSERT INTO events (sender_id, type_name) VALUES (?, 'user')",
            [(sender,) for sender in order],
        )
    figures = soak.cache_figures(db, "run", cache_size=2)
    assert figures == {"size": 2, "next_message_hit_rate": 0.5, "largest_distance": 2}

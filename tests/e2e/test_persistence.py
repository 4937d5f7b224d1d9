"""Conversations live in the SQLite tracker store and survive a restart of the Rasa server."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.support.servers import running_bot


@pytest.mark.e2e
def test_conversation_resumes_after_a_rasa_restart(tmp_path: Path) -> None:
    with running_bot(tmp_path, with_actions=False) as bot:
        first = bot.text_of("returning-visitor", "hello")
        assert "not medical advice" in first
        bot.restart_rasa()
        # The tracker was loaded from SQLite: this is no longer a first contact.
        again = bot.text_of("returning-visitor", "hello")
        assert "not medical advice" not in again

    with sqlite3.connect(tmp_path / "trackers.db") as database:
        rows = database.execute(
            "SELECT type_name FROM events WHERE sender_id = ? ORDER BY id", ("returning-visitor",)
        ).fetchall()
    kinds = [kind for (kind,) in rows]
    assert kinds.count("user") == 2
    assert kinds.count("bot") == 2

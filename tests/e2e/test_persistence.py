"""Conversations live in the SQLite tracker store and survive a restart of the Rasa server."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bench.systems import without_rate_limits
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
    assert kinds.count("bot") == 3  # the privacy notice, then a greeting each time


@pytest.mark.e2e
def test_a_long_conversation_outlives_the_tracker_window(tmp_path: Path) -> None:
    """Past the served window (rasa_ext/stores/tracker_store.py), it goes on as before."""
    sender = "long-talker"
    questions = ["how many sessions do I need?", "what vitamins are in it?", "can I do sport?"]
    # 27 messages at once: more than a visitor's burst allowance in clinic.yml.
    unlimited = {"CLINIC_CONFIG": str(without_rate_limits(tmp_path))}
    with running_bot(tmp_path, with_actions=True, extra_env=unlimited) as bot:
        assert "not medical advice" in bot.text_of(sender, "hello")
        for turn in range(24):  # about 100 events: the served tracker is cut back at least once
            assert bot.text_of(sender, questions[turn % len(questions)])
        again = bot.text_of(sender, "hello")
        assert "not medical advice" not in again  # not a first contact, 24 turns later
        assert "start" in bot.text_of(sender, "I'd like to plan my sessions").lower()

    with sqlite3.connect(tmp_path / "trackers.db") as database:
        (users,) = database.execute(
            "SELECT count(*) FROM events WHERE sender_id = ? AND type_name = 'user'", (sender,)
        ).fetchone()
    assert users == 27  # every message is stored, not only the window

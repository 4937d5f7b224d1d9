"""Where an answer comes from, and rating it, over REST with the real servers."""

from __future__ import annotations

import re
import sqlite3
import uuid

import pytest

from clinic.content import article_text, fact_sources
from tests.support.servers import RunningBot


def _visitor() -> str:
    return f"source-{uuid.uuid4().hex[:8]}"


def _spaced(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.e2e
@pytest.mark.parametrize("ask", ["/ask_source", "where does it say that?"])
def test_an_answer_offers_its_source_and_the_source_is_the_articles_words(
    bot: RunningBot, ask: str
) -> None:
    visitor = _visitor()
    replies = bot.say(visitor, "how often are the sessions?")
    answer = replies[-1]
    assert "/ask_source" in [b["payload"] for b in answer.get("buttons", [])]
    source = bot.text_of(visitor, ask)
    quoted = [line[2:] for line in source.splitlines() if line.startswith("> ")]
    assert quoted, source
    article = _spaced(article_text())
    assert all(_spaced(line) in article for line in quoted)
    assert fact_sources()["F27"][0] in quoted  # "every 7 to 10 days", what the answer said


@pytest.mark.e2e
def test_a_thumbs_down_asks_what_was_missing_and_keeps_it(bot: RunningBot) -> None:
    visitor = _visitor()
    answer = bot.say(visitor, "can i exercise after the treatment?")[-1]
    assert {"/feedback_up", "/feedback_down"} <= {b["payload"] for b in answer["buttons"]}
    assert "What was missing" in bot.text_of(visitor, "/feedback_down")
    thanks = bot.text_of(visitor, "whether swimming counts as exercise")
    assert "Thank you" in thanks
    with sqlite3.connect(bot.workdir / "trackers.db") as database:
        slots = database.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'slot'", (visitor,)
        ).fetchall()
    assert any("whether swimming counts as exercise" in data for (data,) in slots)
    # The bot is itself again: the next question is answered.
    assert "minimally invasive" in bot.text_of(visitor, "what is mesotherapy?")


@pytest.mark.e2e
def test_a_thumbs_up_is_thanked(bot: RunningBot) -> None:
    visitor = _visitor()
    bot.say(visitor, "how do i prepare for a session?")
    assert "Thanks" in bot.text_of(visitor, "/feedback_up")

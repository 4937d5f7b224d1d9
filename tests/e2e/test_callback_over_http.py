"""A callback request over REST with the real servers, read back by the console's index.

Asked for a person, the bot gives the clinic's details and offers a callback
request; the form re-asks for an invalid phone number or email with an
example, keeps the request only after the visitor agrees to the consent
sentence, and says nothing was kept when they stop or refuse.
"""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from staff.db import CALLBACKS, console_engine
from staff.indexer import index_new_events
from tests.support.servers import RunningBot


def _visitor() -> str:
    return f"callback-{uuid.uuid4().hex[:8]}"


def _kept(bot: RunningBot, visitor: str) -> list[sa.Row]:
    engine = console_engine(bot.endpoints)
    try:
        index_new_events(engine)
        with engine.connect() as connection:
            return list(
                connection.execute(
                    sa.select(CALLBACKS).where(CALLBACKS.c.sender_id == visitor)
                ).all()
            )
    finally:
        engine.dispose()


def _start(bot: RunningBot, visitor: str) -> None:
    offer = bot.say(visitor, "can I speak to someone at the clinic?")[-1]
    assert "/request_callback" in [b["payload"] for b in offer.get("buttons", [])], offer
    assert "What name" in bot.text_of(visitor, "/request_callback")


@pytest.mark.e2e
def test_a_callback_request_is_kept_with_consent(bot: RunningBot) -> None:
    visitor = _visitor()
    _start(bot, visitor)
    assert "phone number or email" in bot.text_of(visitor, "Jane Doe")
    again = bot.text_of(visitor, "0791112345")
    assert "doesn't look like a phone number" in again and "phone number or email" in again
    assert "When suits you" in bot.text_of(visitor, "07911 123456")
    consent = bot.text_of(visitor, "weekday mornings")
    assert "180 days" in consent and "Is that OK?" in consent
    saved = bot.text_of(visitor, "/affirm")
    assert "Thank you, Jane Doe" in saved and "weekday mornings" in saved
    (row,) = _kept(bot, visitor)
    assert (row.name, row.contact, row.preferred_time) == (
        "Jane Doe",
        "+447911123456",
        "weekday mornings",
    )
    # The bot is itself again.
    assert "minimally invasive" in bot.text_of(visitor, "what is mesotherapy?")


@pytest.mark.e2e
def test_an_invalid_email_is_asked_again_and_a_valid_one_kept(bot: RunningBot) -> None:
    visitor = _visitor()
    _start(bot, visitor)
    bot.say(visitor, "Sam")
    assert "doesn't look like" in bot.text_of(visitor, "sam@example")
    assert "When suits you" in bot.text_of(visitor, "it's Sam@Example.org")
    bot.say(visitor, "any time")
    bot.say(visitor, "/affirm")
    assert [row.contact for row in _kept(bot, visitor)] == ["Sam@example.org"]


@pytest.mark.e2e
def test_consent_refused_keeps_nothing(bot: RunningBot) -> None:
    visitor = _visitor()
    _start(bot, visitor)
    for answer in ("Alex", "alex@example.org", "evenings"):
        bot.say(visitor, answer)
    assert "haven't kept your details" in bot.text_of(visitor, "/deny")
    assert _kept(bot, visitor) == []


@pytest.mark.e2e
def test_stopping_halfway_keeps_nothing(bot: RunningBot) -> None:
    visitor = _visitor()
    _start(bot, visitor)
    bot.say(visitor, "Robin")
    assert "haven't kept your details" in bot.text_of(visitor, "stop")
    assert _kept(bot, visitor) == []
    assert "between 3 and" in bot.text_of(visitor, "how many sessions will I need?")

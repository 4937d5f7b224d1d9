"""A visitor asks the running bot about each fact of the article and gets it back, over HTTP."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from clinic.settings import load_clinic_settings
from tests.support.servers import RunningBot

FACT_QUESTIONS: dict[str, dict[str, Any]] = yaml.safe_load(
    (Path(__file__).with_name("fact_questions.yml")).read_text(encoding="utf-8")
)["facts"]


def _visitor() -> str:
    return f"visitor-{uuid.uuid4().hex[:12]}"


@pytest.mark.e2e
@pytest.mark.parametrize("fact_id", sorted(FACT_QUESTIONS, key=lambda fact: int(fact[1:])))
def test_each_fact_is_answered_with_its_key_words(bot: RunningBot, fact_id: str) -> None:
    case = FACT_QUESTIONS[fact_id]
    reply = bot.text_of(_visitor(), case["question"]).lower()
    for group in case["all_of"]:
        assert any(str(word).lower() in reply for word in group), (
            f"{fact_id}: {case['question']!r} -> {reply!r} lacks any of {group}"
        )


@pytest.mark.e2e
def test_a_question_about_one_condition_gets_an_answer_about_that_condition(
    bot: RunningBot,
) -> None:
    visitor = _visitor()
    hair = bot.text_of(visitor, "does mesotherapy help with thinning hair?").lower()
    assert "hair thinning" in hair and "stretch marks" not in hair
    marks = bot.text_of(visitor, "what about stretch marks?").lower()
    assert "stretch marks" in marks and "hair" not in marks


@pytest.mark.e2e
def test_a_question_the_article_does_not_answer_gets_the_clinic_contact(bot: RunningBot) -> None:
    reply = bot.text_of(_visitor(), "how much does mesotherapy cost?")
    assert "article doesn't cover prices" in reply
    assert "between 3 and 15" in reply  # the nearest thing it does say
    assert load_clinic_settings().phone in reply


@pytest.mark.e2e
def test_a_reaction_after_treatment_is_sent_straight_to_the_clinic(bot: RunningBot) -> None:
    reply = bot.text_of(
        _visitor(), "my face is really swollen and hot since my treatment yesterday"
    )
    settings = load_clinic_settings()
    assert settings.phone in reply and settings.emergency_number in reply


@pytest.mark.e2e
def test_first_greeting_carries_the_privacy_notice_and_the_second_does_not(
    bot: RunningBot,
) -> None:
    visitor = _visitor()
    first = bot.say(visitor, "hello")
    assert "not medical advice" in first[0]["text"]
    assert first[1]["buttons"], "quick replies come with the greeting"
    assert "not medical advice" not in bot.text_of(visitor, "hi again")


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("opening", "answer"),
    [
        ("how many sessions will I need?", "between 3 and 15"),
        ("my face is swollen since the treatment", load_clinic_settings().phone),
        ("plan my sessions", "When would you like to start"),
        ("asdfgh qwerty", ""),
    ],
)
def test_a_conversation_opened_with_anything_starts_with_the_privacy_notice(
    bot: RunningBot, opening: str, answer: str
) -> None:
    visitor = _visitor()
    replies = bot.say(visitor, opening)
    assert "not medical advice" in replies[0]["text"]
    assert "automated assistant" in replies[0]["text"]
    assert len(replies) >= 2 and answer in "\n".join(r.get("text", "") for r in replies[1:])
    later = bot.text_of(visitor, "what is mesotherapy?")
    assert "not medical advice" not in later and "minimally invasive" in later


@pytest.mark.e2e
def test_weather_gets_a_polite_decline(bot: RunningBot) -> None:
    reply = bot.text_of(_visitor(), "what's the weather like in London tomorrow?")
    assert "can't help with that" in reply


@pytest.mark.e2e
def test_a_follow_up_button_payload_gets_that_answer(bot: RunningBot) -> None:
    reply = bot.text_of(_visitor(), "/faq/session_frequency")
    assert "7 to 10 days" in reply

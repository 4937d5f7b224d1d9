"""The "did you mean…?" buttons offer the likeliest questions with readable titles."""

from __future__ import annotations

from typing import Any

import yaml

from clinic.clarification import best_guesses, load_question_titles
from tests.support.servers import ROOT

TITLES = load_question_titles()


def _parse(intents: list[tuple[str, float]], answers: list[tuple[str, float]]) -> dict[str, Any]:
    return {
        "intent": {"name": "nlu_fallback", "confidence": 0.4},
        "intent_ranking": [{"name": name, "confidence": score} for name, score in intents],
        "response_selector": {
            "faq": {
                "ranking": [
                    {"intent_response_key": key, "confidence": score} for key, score in answers
                ]
            }
        },
    }


def test_unsure_faq_answer_offers_the_top_answers_as_buttons() -> None:
    parse = _parse(
        [("nlu_fallback", 0.45), ("faq", 0.9), ("greet", 0.05)],
        [("faq/sessions_needed", 0.48), ("faq/session_frequency", 0.44), ("faq/price", 0.05)],
    )
    guesses = best_guesses(parse, TITLES)
    assert [guess.payload for guess in guesses] == [
        "/faq/sessions_needed",
        "/faq/session_frequency",
        "/faq/price",
    ]
    assert guesses[0].title == "How many sessions will I need?"


def test_a_strong_plain_intent_outranks_a_weak_faq_answer() -> None:
    parse = _parse(
        [("faq", 0.5), ("request_schedule", 0.4)],
        [("faq/session_frequency", 0.6), ("faq/sessions_needed", 0.3)],
    )
    payloads = [guess.payload for guess in best_guesses(parse, TITLES)]
    assert payloads[0] == "/request_schedule"
    assert "/faq/session_frequency" in payloads


def test_intents_without_a_title_are_never_offered() -> None:
    parse = _parse([("nlu_fallback", 0.4), ("affirm", 0.3), ("inform", 0.2)], [])
    assert best_guesses(parse, TITLES) == []


def test_every_title_key_is_a_known_intent_or_faq_topic() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    faq_file = ROOT / "data" / "responses" / "faq.yml"
    responses = yaml.safe_load(faq_file.read_text(encoding="utf-8"))["responses"]
    topics = {name.removeprefix("utter_") for name in responses}
    for key in TITLES:
        assert key in domain["intents"] or key in topics, key

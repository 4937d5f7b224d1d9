"""Which questions to offer when the bot is unsure what a visitor meant.

The NLU's intent ranking and, for `faq`, the ranking of answers (in Rasa's
ResponseSelector format) are merged into one list of guesses, each with a readable title.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clinic.content import load_topics
from clinic.names import FAQ

RETRIEVAL_INTENT = FAQ
SOMETHING_ELSE_PAYLOAD = "/out_of_scope"  # Rasa's two-stage fallback reads it as "no"


@dataclass(frozen=True)
class Guess:
    """One question the visitor may have meant, as a button."""

    title: str
    payload: str
    score: float


def load_question_titles() -> dict[str, str]:
    """Readable titles keyed by intent or `faq/<topic>` (content/topics.yml)."""
    return {name: topic.title for name, topic in load_topics().items() if topic.title}


def _faq_ranking(parse_data: Mapping[str, Any]) -> list[tuple[str, float]]:
    selectors = parse_data.get("response_selector") or {}
    selector = selectors.get(RETRIEVAL_INTENT) or selectors.get("default") or {}
    return [
        (str(entry.get("intent_response_key")), float(entry.get("confidence") or 0.0))
        for entry in selector.get("ranking") or []
    ]


def best_guesses(
    parse_data: Mapping[str, Any], titles: Mapping[str, str], limit: int = 3
) -> list[Guess]:
    """Up to `limit` distinct guesses, most likely first.

    An FAQ answer scores the FAQ intent's confidence times the answer's
    confidence, so a strong second intent can outrank a weak FAQ answer.
    """
    intent_scores: dict[str, float] = {}
    for entry in parse_data.get("intent_ranking") or []:
        name = entry.get("name")
        if name and name not in intent_scores:
            intent_scores[name] = float(entry.get("confidence") or 0.0)

    scored: dict[str, float] = {}
    for name, score in intent_scores.items():
        if name == RETRIEVAL_INTENT:
            for key, answer_score in _faq_ranking(parse_data)[:limit]:
                scored[key] = max(scored.get(key, 0.0), score * answer_score)
        else:
            scored[name] = max(scored.get(name, 0.0), score)

    guesses = [
        Guess(title=titles[key], payload=f"/{key}", score=score)
        for key, score in scored.items()
        if key in titles
    ]
    guesses.sort(key=lambda guess: guess.score, reverse=True)
    return guesses[:limit]

"""Sends an unsure FAQ answer to "did you mean…?" instead of answering wrongly."""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from clinic.content import load_topics
from rasa_ext.nlu.classifier import RESPONSE_SELECTOR
from rasa_ext.nlu.untrained import UntrainedComponent

DEFAULT_SELECTOR = "default"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FaqAnswerGuard(UntrainedComponent):
    """Sends an unsure FAQ answer to clarification instead of answering wrongly.

    Rasa's FallbackClassifier only looks at the intent. A confident `faq` intent
    can still come with an unsure choice of *which* answer; then this component
    turns the prediction into `nlu_fallback`, and the "did you mean…?" step
    offers the candidate answers. It also reads the payload `/faq/<topic>` of
    those buttons as a certain choice of that answer.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"retrieval_intent": "faq", "threshold": 0.5, "ambiguity_threshold": 0.1}

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._payload = re.compile(rf"^/{re.escape(config['retrieval_intent'])}/(\w+)$")

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            selectors = message.get(RESPONSE_SELECTOR) or {}
            selector = selectors.get(self._config["retrieval_intent"]) or selectors.get(
                DEFAULT_SELECTOR
            )
            if not selector:
                continue
            payload = self._payload.match((message.get(TEXT) or "").strip())
            if payload:  # a button's payload names its answer
                self._choose_answer(message, selector, payload.group(1))
            elif self._is_unsure(message, selector):
                self._fall_back(message, selector)
        return messages

    def _choose_answer(self, message: Message, selector: dict[str, Any], topic: str) -> None:
        key = f"{self._config['retrieval_intent']}/{topic}"
        known = {candidate.get("intent_response_key") for candidate in selector.get("ranking", [])}
        if key not in known:
            return
        selector["response"] = {
            **selector.get("response", {}),
            "intent_response_key": key,
            "utter_action": f"utter_{key}",
            "confidence": 1.0,
            "responses": None,
        }
        message.set(
            INTENT,
            {INTENT_NAME_KEY: self._config["retrieval_intent"], PREDICTED_CONFIDENCE_KEY: 1.0},
            add_to_output=True,
        )

    def _is_unsure(self, message: Message, selector: dict[str, Any]) -> bool:
        intent = message.get(INTENT) or {}
        if intent.get(INTENT_NAME_KEY) != self._config["retrieval_intent"]:
            return False
        scores = _pooled_scores(selector.get("ranking", []))
        if not scores:
            return False
        best = scores[0]
        runner_up = scores[1] if len(scores) > 1 else 0.0
        return bool(
            best < self._config["threshold"]
            or best - runner_up < self._config["ambiguity_threshold"]
        )

    def _fall_back(self, message: Message, selector: dict[str, Any]) -> None:
        confidence = float(selector.get("response", {}).get("confidence", 0.0))
        fallback: dict[str, Any] = {
            INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
            PREDICTED_CONFIDENCE_KEY: confidence,
        }
        message.set(INTENT, fallback, add_to_output=True)
        ranking = message.get(INTENT_RANKING_KEY) or []
        message.set(INTENT_RANKING_KEY, [fallback, *ranking], add_to_output=True)


def _pooled_scores(ranking: list[dict[str, Any]]) -> list[float]:
    """The candidates' confidences, best first, the runner-up's added to the best's when
    either answers the question (content/topics.yml `overlaps`: "what's it good for?",
    what it treats or its benefits): a doubt between them is no doubt about the answer."""
    ranked = sorted(ranking, key=lambda candidate: candidate.get("confidence", 0.0), reverse=True)
    scores = [float(candidate.get("confidence", 0.0)) for candidate in ranked]
    if len(ranked) >= 2:
        topic = load_topics().get(str(ranked[0].get("intent_response_key")))
        if topic and ranked[1].get("intent_response_key") in topic.overlaps:
            return [scores[0] + scores[1], *scores[2:]]
    return scores

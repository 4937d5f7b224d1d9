"""Answers each question of a message that asks several, in order, and details of an answer.

Rules answer one question a turn; a visitor who asks "what is it and how many
sessions do I need?" gets both answers from this policy, and one who asks a
detail of the last answer ("which country?") gets that detail's response
(content/details.yml). The NLU's reader
(rasa_ext/nlu/readings.py) lists the questions under `understanding`; this
policy predicts the responses for each in turn (clinic/understanding/
decision.py: `actions_for`), then listens. For anything else, and inside the
planner's form, it predicts nothing and the rules decide. Its priority is above
RulePolicy's, so its plan wins where it has one.

It also restarts a paused conversation (a person has it) when the visitor
sends `/restart`: Rasa lets that message through the pause, but its own
restart rule needs an `action_listen` before the message, which a paused
conversation never has, so the rules would otherwise answer with the fallback.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import (
    ACTION_LISTEN_NAME,
    ACTION_RESTART_NAME,
    USER_INTENT_RESTART,
)
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from clinic.understanding.answers import QUESTIONS, UNDERSTANDING, actions_for

# Rasa runs these itself after a message; they are not part of an answer.
NOT_ANSWERS = frozenset({"action_extract_slots", ACTION_LISTEN_NAME, "action_session_start"})
DEFAULT_PRIORITY = 7  # RulePolicy's is 6


def planned_actions(tracker: DialogueStateTracker) -> list[str] | None:
    """What answers the latest message's questions (several, or one detail), or None."""
    if tracker.active_loop_name:
        return None
    parse = tracker.latest_message.parse_data if tracker.latest_message else {}
    questions = (parse.get(UNDERSTANDING) or {}).get(QUESTIONS) or []
    if not questions:
        return None
    return [action for label in questions for action in actions_for(str(label))]


def restarts_a_paused_conversation(tracker: DialogueStateTracker) -> bool:
    """The visitor sent `/restart` while a person had the conversation, and nothing ran yet."""
    latest = tracker.events[-1] if tracker.events else None
    return (
        tracker.is_paused()
        and isinstance(latest, UserUttered)
        and latest.intent_name == USER_INTENT_RESTART
    )


def actions_since_message(tracker: DialogueStateTracker) -> list[str]:
    done: list[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name not in NOT_ANSWERS:
            done.append(str(event.action_name))
    return list(reversed(done))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class QuestionsPolicy(Policy):
    """Predicts the answers to a message's several questions, one after the other."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": DEFAULT_PRIORITY}

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource  # nothing to learn: the plan comes from the NLU

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        if restarts_a_paused_conversation(tracker):
            probabilities = self._default_predictions(domain)
            probabilities[domain.index_for_action(ACTION_RESTART_NAME)] = 1.0
            return self._prediction(probabilities)
        plan = planned_actions(tracker)
        done = actions_since_message(tracker)
        if plan is None or done != plan[: len(done)]:
            return self._prediction(self._default_predictions(domain))
        following = plan[len(done)] if len(done) < len(plan) else ACTION_LISTEN_NAME
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(following)] = 1.0
        return self._prediction(probabilities)

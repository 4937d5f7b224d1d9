"""Labels of the held-out sets that only a conversation gives, and the events they follow.

Shared by tests/nlu/test_heldout.py and `make eval` (bench/eval_nlu.py), so both
read such an example in the same context.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.loading import load_data

IN_CONTEXT: dict[str, list[Event]] = {
    "safety_followup": [
        ActionExecuted("action_listen"),
        UserUttered(
            "my cheek is really swollen since the session", {"name": "report_adverse_reaction"}
        ),
        BotUttered("(the reaction answer)", metadata={"utter_action": "utter_adverse_reaction"}),
        ActionExecuted("action_listen"),
    ],
}


def predict(agent: Agent, path: Path) -> list[tuple[str, str, str]]:
    """(text, expected label, predicted label) for each example; FAQs as `faq/<topic>`."""
    results = []
    for example in load_data(str(path)).intent_examples:
        label = str(example.get_full_intent())
        tracker = None
        if label in IN_CONTEXT:
            tracker = DialogueStateTracker.from_events(
                "heldout", IN_CONTEXT[label], slots=agent.domain.slots
            )
        message = UserMessage(example.get("text"), sender_id="heldout")
        parsed: dict[str, Any] = asyncio.run(agent.processor.parse_message(message, tracker))
        predicted = parsed["intent"]["name"]
        if predicted == "faq":
            selectors = parsed["response_selector"]
            selector = selectors.get("faq") or selectors["default"]
            predicted = selector["response"]["intent_response_key"]
        results.append((str(example.get("text")), label, str(predicted)))
    return results

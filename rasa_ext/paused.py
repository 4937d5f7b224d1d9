"""While a person has the conversation, the bot does nothing at all.

Rasa predicts no action for a paused conversation (`ConversationPaused`), but
it still runs `action_extract_slots` on each visitor message: slot mappings
would fill the planner's slots from what the visitor tells the staff member,
and a custom mapping or a form's validation on the action server could send
messages. Installed by rasa_ext/patches.py: a paused tracker gets no slot
extraction; a `/restart` still restarts, as Rasa lets it through.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.actions.action import ActionExtractSlots
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

Run = Callable[..., Awaitable[list[Event]]]


def silent_while_paused(original: Run) -> Run:
    async def run(
        self: ActionExtractSlots,
        output_channel: Any,
        nlg: Any,
        tracker: DialogueStateTracker,
        domain: Any,
    ) -> list[Event]:
        if tracker.is_paused():
            return []
        return await original(self, output_channel, nlg, tracker, domain)

    return run

"""The privacy notice on the first reply of every conversation, on every channel.

Rasa runs `action_session_start` inside the Rasa server at the first message
of every conversation (and after a session expires), whatever that message is
and whichever channel it came on, and sends the bot messages among its events
with the reply. Adding the notice there, rather than in a greeting rule or on
the action server, means it reaches a visitor who opens with a question, and
still reaches them when the action server is down. Installed by
rasa_ext/patches.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.actions.action import ActionBotResponse, ActionSessionStart
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, Event

PRIVACY_NOTICE = "utter_privacy_notice"

Run = Callable[..., Awaitable[list[Event]]]


def with_privacy_notice(original: Run) -> Run:
    async def run(
        self: ActionSessionStart, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> list[Event]:
        events = await original(self, output_channel, nlg, tracker, domain)
        notice = await ActionBotResponse(PRIVACY_NOTICE, silent_fail=True).run(
            output_channel, nlg, tracker, domain
        )
        listening = [
            index
            for index, event in enumerate(events)
            if isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME
        ]
        at = listening[-1] if listening else len(events)
        return [*events[:at], *notice, *events[at:]]

    return run

"""A visitor asked for a person: connect them to the team, or offer a callback request.

Whether someone can chat now (signed in, marked available, within the live-chat
hours of clinic.yml) is the staff console's to say (`GET /live-chat/availability`
on the web app, `STAFF_CONSOLE_URL`). When they can, the bot says so and pauses
the conversation with Rasa's own `ConversationPaused`: from then on it says
nothing until staff hand it back (rasa_ext/channels/handoff.py). When nobody
can, or the console does not answer within a second or two, the visitor gets
the clinic's details and the callback offer, as before live chat existed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.error
import urllib.request
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher

from clinic import environment

logger = logging.getLogger(__name__)

AVAILABILITY_PATH = "/live-chat/availability"
TIMEOUT_S = 2.0


def _ask_console(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as reply:
            found = json.loads(reply.read(4096) or b"{}")
    except (urllib.error.URLError, OSError, ValueError) as error:
        logger.info("Staff console not reachable for live chat: %s", type(error).__name__)
        return False
    return isinstance(found, dict) and found.get("available") is True


async def staff_available() -> bool:
    """Whether a member of staff can take a chat now (False when the console can't say)."""
    base = environment.STAFF_CONSOLE_URL.get().rstrip("/")
    return await asyncio.to_thread(_ask_console, base + AVAILABILITY_PATH)


class ActionOfferPerson(Action):
    def name(self) -> str:
        return "action_offer_person"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not await staff_available():
            dispatcher.utter_message(response="utter_request_human")
            return []
        dispatcher.utter_message(response="utter_handoff_connecting")
        if tracker.get_latest_input_channel() == "rest":
            # The REST channel adds where and how to poll for the team's messages.
            dispatcher.utter_message(json_message={"handoff": "waiting"})
        return [ConversationPaused()]

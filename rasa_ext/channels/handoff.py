"""The one route by which staff reach a visitor, and by which REST visitors read them.

`/webhooks/handoff/staff/<step>` takes the console's calls (web app only: each
carries the shared secret of clinic/handoff/secret.py; nginx does not pass
the path on from outside). It is not Rasa's HTTP API, which stays off:
its admin token would also open model upload. Rasa's own tracker events are
the one record of a handoff: `ConversationPaused` (written by the action that
connects the visitor) means a person has the conversation, and Rasa's
processor then predicts nothing. The steps:

- `take`: tell the visitor who has joined (by the display name the console sends);
- `say`: store a staff message as a bot event (metadata `staff`, the account, and
  `staff_name`, the name the visitor sees) and deliver it on the visitor's
  channel: socket.io (through the Redis client manager when replicas share
  one, rasa_ext/channels/guarded.py) with the name, so the widget shows it as
  the staff member's and at once, Telegram, Slack, Messenger or Twilio; REST
  visitors poll for it;
- `typing`: tell a widget visitor that the staff member is typing (a socket.io
  signal only: nothing is stored);
- `back`: `ConversationResumed`; the bot says it is back (`utter_handoff_back`)
  or, when nobody took the chat, apologises and offers a callback request
  (`utter_handoff_unanswered`); then `action_listen`, so rules match again.

A widget visitor who leaves while waiting (their page gone for clinic.yml's
`visitor_gone_seconds`, rasa_ext/channels/guarded.py) ends the chat with
`end_waiting_chat`: `ConversationResumed` (reason `visitor_left`), nothing said.

`GET /webhooks/handoff/messages?after=T` gives a REST visitor the messages
sent since T, with the signed token their handoff reply carried (bearer).
Each call holds the conversation's lock, as a visitor message does.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from rasa.core.actions.action import ActionBotResponse
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic.guard.session_tokens import load_key, session_of
from clinic.handoff.secret import HEADER, load_secret, matches
from clinic.messages import text as message_text
from rasa_ext.channels import outputs

logger = logging.getLogger(__name__)

STAFF = "staff"  # bot-event metadata: the account that wrote it
STAFF_NAME = "staff_name"  # bot-event metadata: the name the visitor saw
STEPS = ("take", "say", "back", "typing")
HISTORY_LIMIT = 200
BACK_RESPONSES = {"back": "utter_handoff_back", "unanswered": "utter_handoff_unanswered"}
MAX_STAFF_CHARS = 2000
MAX_NAME_CHARS = 64


def handoff_state(tracker: DialogueStateTracker) -> str:
    """`bot`, `waiting` (paused, nobody has joined) or `with_staff`, from the events."""
    if not tracker.is_paused():
        return "bot"
    for event in reversed(tracker.events):
        if isinstance(event, ConversationPaused):
            return "waiting"
        if isinstance(event, BotUttered) and (event.metadata or {}).get(STAFF):
            return "with_staff"
    return "waiting"


def _name_of(event: BotUttered) -> dict[str, str]:
    """`{"name": …}` for a staff message (the name the visitor saw), else nothing."""
    name = (event.metadata or {}).get(STAFF_NAME)
    return {"name": str(name)} if name else {}


def visible_history(tracker: DialogueStateTracker | None) -> list[dict[str, Any]]:
    """What the widget shows of a conversation when it (re)connects: the visitor's and the
    bot's or staff's messages, latest `HISTORY_LIMIT`, without button payloads typed for
    the visitor (`/greet`, `/feedback_up`). Only the last message keeps its buttons."""
    if tracker is None:
        return []
    shown: list[dict[str, Any]] = []
    for event in tracker.events:
        if isinstance(event, UserUttered) and event.text and not event.text.startswith("/"):
            shown.append({"from": "visitor", "text": event.text})
        elif isinstance(event, BotUttered) and event.text:
            if (event.metadata or {}).get(STAFF):
                shown.append({"from": STAFF, "text": event.text, **_name_of(event)})
                continue
            parts = [part for part in event.text.strip().split("\n\n") if part.strip()]
            shown.extend({"from": "bot", "text": part} for part in parts)
            buttons = (event.data or {}).get("buttons") or []
            if parts and buttons:
                shown[-1]["buttons"] = [
                    {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                    for b in buttons
                    if isinstance(b, dict)
                ]
    for message in shown[:-1]:
        message.pop("buttons", None)
    return shown[-HISTORY_LIMIT:]


async def end_waiting_chat(agent: Any, sender: str, reason: str = "visitor_left") -> bool:
    """End a live chat nobody has taken yet, saying nothing (nobody is there to read it);
    the console counts it as missed. False if staff have it, or it is not paused."""
    tracker = await agent.tracker_store.retrieve(sender)
    if tracker is None or handoff_state(tracker) != "waiting":
        return False  # most visitors who close the page: no lock taken
    async with agent.lock_store.lock(sender):
        tracker = await agent.tracker_store.retrieve(sender)
        if tracker is None or handoff_state(tracker) != "waiting":
            return False
        tracker.update(ConversationResumed(metadata={STAFF: "assistant", "handoff": reason}))
        if tracker.active_loop_name:
            tracker.update(ActiveLoop(None))
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        await agent.processor.save_tracker(tracker)
    return True


def _body(request: Request) -> dict[str, Any]:
    try:
        body = request.json
    except Exception:  # Sanic raises InvalidUsage for a body that is not JSON
        return {}
    return body if isinstance(body, dict) else {}


def _field(body: dict[str, Any], key: str, limit: int) -> str:
    value = body.get(key)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _error(status: int, code: str, message: str) -> HTTPResponse:
    return response.json({"error": code, "message": message}, status=status)


class HandoffChannel(InputChannel):
    """Staff replies into a paused conversation, and REST polling for them."""

    @classmethod
    def name(cls) -> str:
        return "handoff"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls((credentials or {}).get("channels") or {})

    def __init__(self, messaging: dict[str, Any] | None = None) -> None:
        self.messaging = messaging or {}
        self.secret = load_secret()
        self.session_key = load_key()

    def _output(self, tracker: DialogueStateTracker) -> OutputChannel | str:
        """The visitor's channel to write to, or why nothing can be sent there."""
        return outputs.output_for(tracker, self.messaging)

    def blueprint(self, on_new_message: Any) -> Blueprint:
        webhook = Blueprint("handoff_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/staff/<step>", methods=["POST"])
        async def staff_step(request: Request, step: str) -> HTTPResponse:
            if not matches(request.headers.get(HEADER), self.secret):
                return _error(403, "forbidden", "This route is for the staff console only.")
            body = _body(request)
            sender = _field(body, "sender", 255)
            account = _field(body, "account", MAX_NAME_CHARS)
            if not sender or not account:
                return _error(400, "bad_request", "Send a sender and the staff account.")
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or agent.processor is None:
                return _error(503, "not_ready", "The assistant is still starting.")
            if step not in STEPS:
                return _error(404, "no_step", "Unknown step.")
            if step == "typing":
                name = _field(body, "name", MAX_NAME_CHARS) or account
                await outputs.tell_widget(sender, "staff_typing", {"name": name})
                return response.json({"sent": True})
            try:
                return await self._step(agent, step, sender, account, body)
            except Exception as error:  # lock store or tracker store unreachable
                logger.error("Handoff %s failed: %s", step, type(error).__name__)
                return _error(503, "unavailable", "The assistant can't reach its store; try again.")

        @webhook.route("/messages", methods=["GET"])
        async def messages(request: Request) -> HTTPResponse:
            auth = request.headers.get("Authorization", "")
            token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
            sender = session_of(token, self.session_key)
            if sender is None:
                return _error(401, "unauthorised", "Send the token of your conversation.")
            try:
                after = float(request.args.get("after", "0"))
            except ValueError:
                return _error(400, "bad_request", "'after' must be a time in seconds.")
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None:
                return _error(503, "not_ready", "The assistant is still starting.")
            try:
                tracker = await agent.tracker_store.retrieve(sender)
            except Exception as error:  # the tracker store unreachable
                logger.error("Handoff polling failed: %s", type(error).__name__)
                return _error(503, "unavailable", "Please try again in a moment.")
            if tracker is None:
                return _error(404, "no_conversation", "No such conversation.")
            found = [
                {
                    "at": event.timestamp,
                    "text": event.text,
                    "from": STAFF if (event.metadata or {}).get(STAFF) else "bot",
                    **_name_of(event),
                }
                for event in tracker.events
                if isinstance(event, BotUttered) and event.timestamp > after and event.text
            ]
            return response.json(
                {"state": handoff_state(tracker), "messages": found},
                headers={"Cache-Control": "no-store"},
            )

        return webhook

    async def _step(
        self, agent: Any, step: str, sender: str, account: str, body: dict[str, Any]
    ) -> HTTPResponse:
        async with agent.lock_store.lock(sender):
            tracker = await agent.tracker_store.retrieve(sender)
            if tracker is None or not tracker.events:
                return _error(404, "no_conversation", "No such conversation.")
            if step == "take":
                return await self._take(agent, tracker, account, body)
            if step == "say":
                return await self._say(agent, tracker, account, body)
            return await self._back(agent, tracker, account, body)

    async def _deliver(
        self, agent: Any, tracker: DialogueStateTracker, event: BotUttered
    ) -> HTTPResponse:
        output = self._output(tracker)
        if isinstance(output, str):
            return _error(409, output, outputs.WHY[output])
        tracker.update(event)
        await agent.processor.save_tracker(tracker)
        if not isinstance(output, CollectingOutputChannel):
            name = str((event.metadata or {}).get(STAFF_NAME) or "")
            try:
                await outputs.send_staff_message(output, tracker.sender_id, event.text or "", name)
            except Exception as error:  # the platform's API refused or was unreachable
                logger.warning("Staff message stored but not delivered: %s", type(error).__name__)
                return response.json(
                    {
                        "error": "not_delivered",
                        "message": "Saved in the conversation, but the visitor's app refused it.",
                    },
                    status=502,
                )
        return response.json({"stored": True, "delivered": True, "at": event.timestamp})

    async def _take(
        self, agent: Any, tracker: DialogueStateTracker, account: str, body: dict[str, Any]
    ) -> HTTPResponse:
        if not tracker.is_paused():
            return _error(409, "not_paused", "The assistant has this conversation.")
        name = _field(body, "name", MAX_NAME_CHARS) or account
        joined = message_text("handoff_staff_joined", staff_name=name)
        metadata = {STAFF: account, STAFF_NAME: name, "handoff": "taken"}
        delivered = await self._deliver(agent, tracker, BotUttered(joined, metadata=metadata))
        await outputs.tell_widget(tracker.sender_id, "handoff_state", {"state": "with_staff"})
        return delivered

    async def _say(
        self, agent: Any, tracker: DialogueStateTracker, account: str, body: dict[str, Any]
    ) -> HTTPResponse:
        said = _field(body, "text", MAX_STAFF_CHARS)
        if not said:
            return _error(400, "bad_request", "Type a message first.")
        if not tracker.is_paused():
            return _error(409, "not_paused", "The assistant has this conversation again.")
        name = _field(body, "name", MAX_NAME_CHARS) or account
        metadata = {STAFF: account, STAFF_NAME: name}
        return await self._deliver(agent, tracker, BotUttered(said, metadata=metadata))

    async def _back(
        self, agent: Any, tracker: DialogueStateTracker, account: str, body: dict[str, Any]
    ) -> HTTPResponse:
        reason = _field(body, "reason", 16) or "back"
        if reason not in BACK_RESPONSES:
            return _error(400, "bad_request", "reason must be 'back' or 'unanswered'.")
        if not tracker.is_paused():
            return _error(409, "not_paused", "The assistant has this conversation already.")
        output = self._output(tracker)
        if isinstance(output, str):
            output = CollectingOutputChannel()  # kept for the console; the window is shut
        processor = agent.processor
        resumed: list[Event] = [ConversationResumed(metadata={STAFF: account, "handoff": reason})]
        if tracker.active_loop_name:
            resumed.append(ActiveLoop(None))  # the planner restarts from what it already has
        for event in resumed:
            tracker.update(event)
        name = BACK_RESPONSES[reason]
        said = await ActionBotResponse(name).run(output, processor.nlg, tracker, processor.domain)
        tracker.update(ActionExecuted(name))
        for event in said:
            tracker.update(event)
            if isinstance(event, BotUttered):
                await output.send_response(tracker.sender_id, event.message())
        # Rules match again from a listening state, as after any bot turn.
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        await processor.save_tracker(tracker)
        await outputs.tell_widget(tracker.sender_id, "handoff_state", {"state": "bot"})
        return response.json({"resumed": True, "at": time.time()})

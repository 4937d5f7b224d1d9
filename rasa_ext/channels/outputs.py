"""A visitor's channel to write to outside a reply: what a staff message goes out on.

Rasa builds a channel's output only while it answers that channel's webhook.
A staff message comes later, on the console's route, so it is built here from
the conversation's latest input channel and the messaging credentials
(rasa_ext/channels/credentials.py hands them to the handoff channel):

- socket.io: the server of this process's widget channel; with the Redis client
  manager (production) an emit reaches the visitor's socket on any replica;
- REST: a collecting channel (nothing to push; the visitor polls);
- Telegram, Slack, Messenger, Twilio: each connector's own output class, built
  directly. (Rasa 3.6's `TelegramInput.get_output_channel()` calls
  `asyncio.run()` inside the running loop and re-sets the webhook, so it is
  not used.) Messenger and WhatsApp accept a business's message only within
  24 hours of the visitor's last one: past that, the reason is returned.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel
from rasa.core.channels.socketio import SocketIOOutput
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)
REPLY_WINDOW_S = 24 * 3600
WHY = {
    "window_closed": (
        "This visitor's app only accepts replies within 24 hours of their last message, "
        "and that has passed: contact them another way, or wait for them to write."
    ),
    "no_channel": "The channel this visitor wrote on is not configured on this server.",
}


class SocketServers:
    """The widget channel's socket.io server, once Rasa has built its blueprint."""

    server: Any = None
    bot_message_evt: str = "bot_uttered"


SOCKETS = SocketServers()


def _window_closed(channel: str, sender: str, tracker: DialogueStateTracker, now: float) -> bool:
    limited = channel == "facebook" or (channel == "twilio" and sender.startswith("whatsapp:"))
    if not limited:
        return False
    said = tracker.get_last_event_for(UserUttered)
    return now - (said.timestamp if said else 0.0) > REPLY_WINDOW_S


def _messaging_output(
    channel: str, credentials: dict[str, Any], tracker: DialogueStateTracker
) -> OutputChannel:
    if channel == "telegram":
        from rasa.core.channels.telegram import TelegramOutput

        return TelegramOutput(credentials["access_token"])
    if channel == "slack":
        from rasa.core.channels.slack import SlackBot

        metadata = (tracker.latest_message.metadata if tracker.latest_message else None) or {}
        return SlackBot(
            credentials["slack_token"],
            slack_channel=metadata.get("out_channel"),
            thread_id=metadata.get("thread_id"),
        )
    if channel == "facebook":
        from fbmessenger import MessengerClient
        from rasa.core.channels.facebook import MessengerBot

        return MessengerBot(MessengerClient(credentials["page-access-token"]))
    from rasa.core.channels.twilio import TwilioOutput

    return TwilioOutput(
        credentials["account_sid"], credentials["auth_token"], credentials["twilio_number"]
    )


MESSAGING = ("telegram", "slack", "facebook", "twilio")


def output_for(
    tracker: DialogueStateTracker, messaging: dict[str, Any], now: float | None = None
) -> OutputChannel | str:
    """The output for this conversation's channel, or a key of WHY saying why there is none."""
    channel = str(tracker.get_latest_input_channel() or "rest")
    if channel == "socketio":
        if SOCKETS.server is None:
            return "no_channel"
        return SocketIOOutput(SOCKETS.server, SOCKETS.bot_message_evt)
    if channel in MESSAGING:
        credentials = messaging.get(channel)
        if not credentials:
            return "no_channel"
        if _window_closed(channel, tracker.sender_id, tracker, now or time.time()):
            return "window_closed"
        return _messaging_output(channel, credentials, tracker)
    return CollectingOutputChannel()


async def send_staff_message(output: OutputChannel, recipient: str, text: str, name: str) -> None:
    """A staff message on the visitor's channel: on the widget with the sender's name, as
    one bubble (Rasa's socket.io output would split it at blank lines), elsewhere as text."""
    if isinstance(output, SocketIOOutput):
        message = {"text": text, "metadata": {"from": "staff", "name": name}}
        await output.sio.emit(output.bot_message_evt, message, room=recipient)
        return
    await output.send_text_message(recipient, text)


async def tell_widget(sender: str, event: str, data: dict[str, Any]) -> None:
    """A signal (not a message) to the widget's sockets in `sender`'s room, on any replica:
    who has the chat, and whether staff are typing. Other channels have no such signal.

    Only a hint: if it can't be sent (Redis restarting), the step it follows still counts.
    """
    if SOCKETS.server is None:
        return
    try:
        await SOCKETS.server.emit(event, data, room=sender)
    except Exception as error:  # the Redis client manager unreachable
        logger.warning("Widget signal %s not sent: %s", event, type(error).__name__)

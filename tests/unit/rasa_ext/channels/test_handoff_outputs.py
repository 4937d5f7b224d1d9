"""Which channel a staff message goes out on, and when it can't (rasa_ext/channels/outputs.py)."""

from __future__ import annotations

import time

from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.channels.telegram import TelegramOutput
from rasa.core.channels.twilio import TwilioOutput
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext.channels import outputs

TWILIO = {"account_sid": "AC1", "auth_token": "t", "twilio_number": "whatsapp:+441234567890"}
MESSAGING = {"telegram": {"access_token": "123:abc"}, "twilio": TWILIO}


def tracker(sender: str, channel: str, hours_ago: float, now: float) -> DialogueStateTracker:
    said = UserUttered(
        "hi", {"name": "greet"}, input_channel=channel, timestamp=now - hours_ago * 3600
    )
    later = BotUttered("hello", timestamp=now)  # the bot's messages don't reopen the window
    return DialogueStateTracker.from_events(sender, [said, later])


def test_each_channel_gets_its_own_output() -> None:
    now = time.time()
    assert isinstance(
        outputs.output_for(tracker("4242", "telegram", 1, now), MESSAGING, now), TelegramOutput
    )
    assert isinstance(
        outputs.output_for(tracker("r", "rest", 1, now), MESSAGING, now), CollectingOutputChannel
    )
    sms = tracker("+447700900123", "twilio", 30, now)  # SMS has no reply window
    assert isinstance(outputs.output_for(sms, MESSAGING, now), TwilioOutput)


def test_whatsapp_and_messenger_refuse_after_24_hours() -> None:
    now = time.time()
    fresh = tracker("whatsapp:+447700900123", "twilio", 23.5, now)
    stale = tracker("whatsapp:+447700900123", "twilio", 24.5, now)
    assert isinstance(outputs.output_for(fresh, MESSAGING, now), TwilioOutput)
    assert outputs.output_for(stale, MESSAGING, now) == "window_closed"
    messenger = tracker("psid-1", "facebook", 25, now)
    assert (
        outputs.output_for(messenger, {"facebook": {"page-access-token": "x"}}, now)
        == "window_closed"
    )
    assert "24 hours" in outputs.WHY["window_closed"]


def test_a_channel_without_credentials_or_server_says_so() -> None:
    now = time.time()
    assert outputs.output_for(tracker("s", "slack", 1, now), MESSAGING, now) == "no_channel"
    saved = outputs.SOCKETS.server
    outputs.SOCKETS.server = None
    try:
        assert outputs.output_for(tracker("w", "socketio", 1, now), {}, now) == "no_channel"
    finally:
        outputs.SOCKETS.server = saved

"""Loaded by the test's Rasa process only (via PYTHONPATH): the platforms' clients
record what they would send to `$OUTBOUND_LOG` instead of calling the internet.

The patches sit at the client boundary (aiogram's Bot, slack_sdk's client,
fbmessenger's client, twilio's message list), so Rasa's own connectors run
unchanged up to the point where a request would leave the machine.
"""

import json
import os
import types

LOG = os.environ.get("OUTBOUND_LOG")


def _record(channel, **data):
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps({"channel": channel, **data}, default=str) + "\n")


if LOG:
    from aiogram import Bot

    async def _set_webhook(self, url, *args, **kwargs):  # Rasa calls it for every reply
        _record("telegram.set_webhook", url=url)
        return True

    async def _send_message(self, chat_id, text, *args, **kwargs):
        _record("telegram", to=chat_id, text=text, markup=str(kwargs.get("reply_markup")))

    async def _get_me(self, *args, **kwargs):  # Rasa compares the bot's name on every update
        return types.SimpleNamespace(username=os.environ.get("STUB_TELEGRAM_BOT_NAME"))

    Bot.set_webhook = _set_webhook
    Bot.get_me = _get_me
    Bot.send_message = _send_message

    from slack_sdk.web.async_client import AsyncWebClient

    async def _chat_post_message(self, *args, **kwargs):
        _record(
            "slack", to=kwargs.get("channel"), text=kwargs.get("text"), blocks=kwargs.get("blocks")
        )
        return {"ok": True}

    AsyncWebClient.chat_postMessage = _chat_post_message

    from fbmessenger import MessengerClient

    def _fb_send(self, payload, recipient_id, messaging_type="RESPONSE", *args, **kwargs):
        _record("facebook", to=recipient_id, payload=payload)
        return {"recipient_id": recipient_id}

    def _fb_send_action(self, *args, **kwargs):  # "mark seen" and typing indicators
        _record("facebook.action", args=args)
        return {}

    MessengerClient.send = _fb_send
    MessengerClient.send_action = _fb_send_action

    from twilio.rest.api.v2010.account.message import MessageList

    def _twilio_create(self, *args, **kwargs):
        _record("twilio", to=kwargs.get("to"), text=kwargs.get("body"))
        return types.SimpleNamespace(sid="SM0000", error_code=None)

    MessageList.create = _twilio_create

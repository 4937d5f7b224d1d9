"""Which channels the Rasa server opens, built from environment variables.

REST and socket.io (the website widget) are always on, as this project's
guarded versions of Rasa's channels (`rasa_ext/channels/guarded.py`: checked
input, rate limits, the widget's conversation bound to its browser). Telegram, Slack,
Facebook Messenger and Twilio (SMS or WhatsApp) are added only when all of
their variables are set, so the bot starts cleanly with none of them.
`python -m rasa_ext.channels.credentials OUT.yml` writes the credentials file Rasa reads;
docs/channels.md says what to create on each platform.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from clinic import environment
from clinic.environment import Variable

REST = "rasa_ext.channels.guarded.GuardedRestInput"
SOCKETIO = "rasa_ext.channels.guarded.BoundSocketIOInput"
HANDOFF = "rasa_ext.channels.handoff.HandoffChannel"
ALWAYS_ON: dict[str, Any] = {
    REST: None,
    SOCKETIO: {
        "user_message_evt": "user_uttered",
        "bot_message_evt": "bot_uttered",
        "session_persistence": True,
    },
    # GET /webhooks/health/: tracker store and action server state (rasa_ext/channels/health.py).
    "rasa_ext.channels.health.HealthChannel": None,
    # Staff messages during a live chat, and REST polling for them (rasa_ext/channels/handoff.py).
    HANDOFF: None,
}

# Rasa connector name -> {credential key: environment variable}.
CHANNEL_VARIABLES: dict[str, dict[str, Variable[str]]] = {
    "telegram": {
        "access_token": environment.TELEGRAM_TOKEN,
        "verify": environment.TELEGRAM_BOT_NAME,
        "webhook_url": environment.TELEGRAM_WEBHOOK_URL,
    },
    "slack": {
        "slack_token": environment.SLACK_TOKEN,
        "slack_signing_secret": environment.SLACK_SIGNING_SECRET,
    },
    "facebook": {
        "verify": environment.FACEBOOK_VERIFY_TOKEN,
        "secret": environment.FACEBOOK_APP_SECRET,
        "page-access-token": environment.FACEBOOK_PAGE_ACCESS_TOKEN,
    },
    "twilio": {
        "account_sid": environment.TWILIO_ACCOUNT_SID,
        "auth_token": environment.TWILIO_AUTH_TOKEN,
        "twilio_number": environment.TWILIO_NUMBER,
    },
}


def build_credentials(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The credentials mapping: always-on channels plus every fully configured one.

    The handoff channel gets the messaging channels' credentials too: a staff
    message goes out on the visitor's channel outside Rasa's reply to it.
    """
    credentials: dict[str, Any] = dict(ALWAYS_ON)
    messaging: dict[str, Any] = {}
    for channel, variables in CHANNEL_VARIABLES.items():
        values = {key: variable.get(env) for key, variable in variables.items()}
        if all(values.values()):
            credentials[channel] = messaging[channel] = values
    if messaging:
        credentials[HANDOFF] = {"channels": messaging}
    return credentials


def missing_variables(env: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """For half-configured channels, the variables still missing (to warn staff)."""
    missing = {}
    for channel, variables in CHANNEL_VARIABLES.items():
        unset = [variable.name for variable in variables.values() if not variable.get(env)]
        if unset and len(unset) < len(variables):
            missing[channel] = unset
    return missing


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else Path("var/credentials.yml")
    target.parent.mkdir(parents=True, exist_ok=True)
    credentials = build_credentials()
    target.write_text(yaml.safe_dump(credentials, sort_keys=False), encoding="utf-8")
    for channel, unset in missing_variables().items():
        print(f"{channel} left out: set {', '.join(unset)}", file=sys.stderr)
    print(f"Channels: {', '.join(credentials)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

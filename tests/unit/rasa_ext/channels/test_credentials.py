"""Channels open only when all their variables are set, so the bot starts with none."""

from __future__ import annotations

import yaml

from rasa_ext.channels.credentials import (
    ALWAYS_ON,
    HANDOFF,
    REST,
    SOCKETIO,
    build_credentials,
    missing_variables,
)
from tests.support.servers import ROOT


def test_with_no_variables_only_rest_socketio_health_and_handoff_are_open() -> None:
    assert set(build_credentials({})) == {
        REST,
        SOCKETIO,
        HANDOFF,
        "rasa_ext.channels.health.HealthChannel",
    }
    assert build_credentials({})[HANDOFF] is None  # no messaging channel to deliver on


def test_the_guarded_channels_keep_rasas_urls_and_match_credentials_yml() -> None:
    from rasa_ext.channels.guarded import BoundSocketIOInput, GuardedRestInput

    assert GuardedRestInput.name() == "rest" and BoundSocketIOInput.name() == "socketio"
    assert yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8")) == ALWAYS_ON


def test_a_fully_configured_channel_is_added_with_its_values() -> None:
    env = {"SLACK_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret"}
    credentials = build_credentials(env)
    assert credentials["slack"] == {"slack_token": "xoxb-1", "slack_signing_secret": "s3cret"}
    assert "telegram" not in credentials
    # Staff replies in a live chat go out on the same channel, with the same credentials.
    assert credentials[HANDOFF] == {"channels": {"slack": credentials["slack"]}}


def test_a_half_configured_channel_is_left_out_and_named() -> None:
    env = {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": " "}
    assert "twilio" not in build_credentials(env)
    assert missing_variables(env) == {"twilio": ["TWILIO_AUTH_TOKEN", "TWILIO_NUMBER"]}

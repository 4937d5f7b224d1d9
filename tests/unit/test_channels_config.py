"""Channels open only when all their variables are set, so the bot starts with none."""

from __future__ import annotations

from clinicbot.channels import build_credentials, missing_variables


def test_with_no_variables_only_rest_and_socketio_are_open() -> None:
    assert set(build_credentials({})) == {"rest", "socketio"}


def test_a_fully_configured_channel_is_added_with_its_values() -> None:
    env = {"SLACK_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret"}
    credentials = build_credentials(env)
    assert credentials["slack"] == {"slack_token": "xoxb-1", "slack_signing_secret": "s3cret"}
    assert "telegram" not in credentials


def test_a_half_configured_channel_is_left_out_and_named() -> None:
    env = {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": " "}
    assert "twilio" not in build_credentials(env)
    assert missing_variables(env) == {"twilio": ["TWILIO_AUTH_TOKEN", "TWILIO_NUMBER"]}

"""The guarded channels: what a REST visitor gets for each kind of input, called directly,
and which socket.io settings Rasa starts with."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.core.channels.channel import UserMessage
from rasa.core.run import create_http_input_channels
from rasa.shared.exceptions import InvalidConfigException

from clinic.messages import message
from clinic.settings import AddressRate, InputLimits, VisitorRate, load_clinic_settings
from rasa_ext.channels.guarded import BoundSocketIOInput, GuardedRestInput
from tests.support.servers import ROOT


@dataclass
class FakeRequest:
    body: bytes
    ip: str = "203.0.113.7"
    remote_addr: str = ""


class Bot:
    """Stands in for Rasa: answers "echo: <text>", or raises what it is given."""

    def __init__(self, error: Exception | None = None) -> None:
        self.heard: list[UserMessage] = []
        self.error = error

    async def __call__(self, incoming: UserMessage) -> None:
        self.heard.append(incoming)
        if self.error:
            raise self.error
        await incoming.output_channel.send_text_message(
            incoming.sender_id, f"echo: {incoming.text}"
        )


def _body(**fields: Any) -> bytes:
    return json.dumps(fields).encode("utf-8")


LIMITS = InputLimits(
    max_message_chars=50,
    per_visitor=VisitorRate(burst=3, per_minute=1),
    per_address=AddressRate(burst=6),
)


async def _post(channel: GuardedRestInput, bot: Bot, body: bytes, ip: str = "203.0.113.7") -> Any:
    reply = await channel.handle(FakeRequest(body=body, ip=ip), bot)  # type: ignore[arg-type]
    return reply.status, json.loads(reply.body)


async def test_a_normal_message_reaches_the_bot_cleaned() -> None:
    bot = Bot()
    status, body = await _post(
        GuardedRestInput(LIMITS), bot, _body(sender="ann", message="hi\x00 👋")
    )
    assert status == 200 and body == [{"recipient_id": "ann", "text": "echo: hi 👋"}]
    assert bot.heard[0].input_channel == "rest"
    assert bot.heard[0].metadata is None


async def test_the_clients_metadata_reaches_the_bot_with_the_message() -> None:
    bot = Bot()
    body = _body(sender="ann", message="hi", metadata={"page": "/hair", "probe": "ann/0"})
    status, _ = await _post(GuardedRestInput(LIMITS), bot, body)
    assert status == 200 and bot.heard[0].metadata == {"page": "/hair", "probe": "ann/0"}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{oops", "malformed_json"),
        (b"[1, 2]", "not_an_object"),
        (_body(message="hi"), "missing_sender"),
        (_body(sender=["ann"], message="hi"), "invalid_sender"),
        (_body(sender="ann", message=None), "missing_message"),
        (_body(sender="ann", message=12), "invalid_message"),
        (_body(sender="ann", message=" \u0007 "), "empty_message"),
    ],
)
async def test_a_bad_request_gets_400_with_the_reason_and_never_reaches_the_bot(
    body: bytes, reason: str
) -> None:
    bot = Bot()
    status, reply = await _post(GuardedRestInput(LIMITS), bot, body)
    assert status == 400 and reply["error"] == reason and reply["message"]
    assert bot.heard == []


async def test_an_over_long_message_gets_the_keep_it_short_reply_without_the_bot() -> None:
    bot = Bot()
    status, body = await _post(GuardedRestInput(LIMITS), bot, _body(sender="ann", message="a" * 51))
    assert status == 200
    assert body == [
        {
            "recipient_id": "ann",
            "text": message("input_too_long", max_message_chars=50)["text"],
        }
    ]
    assert "50 characters" in body[0]["text"]
    assert bot.heard == []


async def test_a_visitor_sending_too_fast_is_asked_to_wait_and_others_are_not() -> None:
    channel, bot = GuardedRestInput(LIMITS), Bot()
    statuses = [(await _post(channel, bot, _body(sender="ann", message="hi")))[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    status, body = await _post(channel, bot, _body(sender="ann", message="hi"))
    assert status == 429 and body["error"] == "rate_limited"
    assert body["message"] == message("input_rate_limited")["text"] and body["retry_after"] >= 1
    assert (await _post(channel, bot, _body(sender="bob", message="hi")))[0] == 200


async def test_one_address_flooding_is_refused_before_its_body_is_read() -> None:
    channel, bot = GuardedRestInput(LIMITS), Bot()
    statuses = [(await _post(channel, bot, b"{oops", ip="198.51.100.1"))[0] for _ in range(7)]
    assert statuses == [400] * 6 + [429]
    assert (await _post(channel, bot, _body(sender="bob", message="hi"), ip="198.51.100.2"))[
        0
    ] == 200


async def test_when_answering_fails_the_visitor_gets_an_apology_and_the_log_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = Bot(error=ConnectionError("Error 111 connecting to 127.0.0.1:6399. Connection refused."))
    with caplog.at_level(logging.ERROR, logger="rasa_ext.channels.guarded"):
        status, body = await _post(
            GuardedRestInput(LIMITS), bot, _body(sender="ann", message="my phone is 07700 900123")
        )
    settings = load_clinic_settings()
    assert status == 200 and len(body) == 1
    assert settings.phone in body[0]["text"] and settings.email in body[0]["text"]
    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(errors) == 1
    logged = errors[0].getMessage()
    assert "ann" in logged and "ConnectionError" in logged and "Connection refused" in logged
    assert "07700" not in caplog.text  # the visitor's words stay out of the log


def _start_channels(tmp_path: Path, socketio: dict[str, Any]) -> list[Any]:
    """The channels Rasa builds at start-up from a credentials file with these settings."""
    credentials = tmp_path / "credentials.yml"
    credentials.write_text(
        yaml.safe_dump({"rasa_ext.channels.guarded.BoundSocketIOInput": socketio}),
        encoding="utf-8",
    )
    return create_http_input_channels(None, str(credentials))


@pytest.fixture()
def session_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAT_SESSION_KEY", "k" * 40)


@pytest.mark.usefixtures("session_key")
def test_the_widget_channel_starts_with_the_projects_credentials(tmp_path: Path) -> None:
    settings = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    socketio = settings["rasa_ext.channels.guarded.BoundSocketIOInput"]
    (channel,) = _start_channels(tmp_path, socketio)
    assert isinstance(channel, BoundSocketIOInput)
    assert channel.session_persistence is True and channel.jwt_algorithm == "HS256"
    (channel,) = _start_channels(tmp_path, {"jwt_method": "HS256", "session_persistence": "true"})
    assert isinstance(channel, BoundSocketIOInput)


@pytest.mark.usefixtures("session_key")
@pytest.mark.parametrize(
    ("setting", "refused"),
    [
        ({"session_persistence": False}, "session_persistence: False"),
        ({"session_persistence": "no"}, "session_persistence: 'no'"),
        ({"jwt_method": "RS256"}, "jwt_method: 'RS256'"),
    ],
)
def test_a_socketio_setting_the_channel_would_ignore_stops_the_start(
    tmp_path: Path, setting: dict[str, Any], refused: str
) -> None:
    with pytest.raises(InvalidConfigException, match=refused) as stopped:
        _start_channels(tmp_path, {"user_message_evt": "user_uttered", **setting})
    assert "is not supported" in str(stopped.value)

"""Messaging channels: real-shaped webhook calls to the running Rasa server.

Each platform's outbound client is replaced at its boundary (see
stubs/sitecustomize.py, loaded only by this test's Rasa process), so a reply
is produced by Rasa's own connector and captured instead of leaving the machine.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from rasa_ext.channels.credentials import build_credentials
from tests.support.servers import RunningBot, running_bot

STUBS = Path(__file__).with_name("stubs")
ENV = {
    "TELEGRAM_TOKEN": "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",
    "TELEGRAM_BOT_NAME": "clinic_test_bot",
    "TELEGRAM_WEBHOOK_URL": "https://bot.clinic.example/webhooks/telegram/webhook",
    "SLACK_TOKEN": "xoxb-test-token",
    "SLACK_SIGNING_SECRET": "slack-signing-secret",
    "FACEBOOK_VERIFY_TOKEN": "fb-verify",
    "FACEBOOK_APP_SECRET": "fb-app-secret",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "fb-page-token",
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
    "TWILIO_AUTH_TOKEN": "twilio-auth-token",
    "TWILIO_NUMBER": "whatsapp:+441234567890",
}


HANDOFF_SECRET = "handoff-secret-for-the-channel-tests-0123456789"


class _StaffAvailable(BaseHTTPRequestHandler):
    """The console's availability route, answering "someone is free" (actions/handoff.py)."""

    def do_GET(self) -> None:
        body = json.dumps({"available": self.path == "/live-chat/availability"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def console_stub() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StaffAvailable)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def bot(
    tmp_path_factory: pytest.TempPathFactory, console_stub: str
) -> Iterator[tuple[RunningBot, Path]]:
    workdir = tmp_path_factory.mktemp("channels")
    credentials = workdir / "credentials.yml"
    credentials.write_text(yaml.safe_dump(build_credentials(ENV)), encoding="utf-8")
    outbound = workdir / "outbound.jsonl"
    env = {
        "PYTHONPATH": str(STUBS),
        "OUTBOUND_LOG": str(outbound),
        "STUB_TELEGRAM_BOT_NAME": ENV["TELEGRAM_BOT_NAME"],
        "STAFF_CONSOLE_URL": console_stub,
        "HANDOFF_SECRET": HANDOFF_SECRET,
    }
    with running_bot(workdir, extra_env=env, rasa_args=("--credentials", str(credentials))) as run:
        yield run, outbound


def _sent(
    outbound: Path, channel: str, timeout: float = 20, until: str | None = None
) -> list[dict[str, Any]]:
    """What the bot sent on `channel` so far: once anything was, or once a message holds
    `until` (a webhook is answered before every reply is sent: the notice comes first)."""
    deadline = time.monotonic() + timeout
    found: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        if outbound.exists():
            lines = [json.loads(line) for line in outbound.read_text().splitlines()]
            found = [line for line in lines if line["channel"] == channel]
            if found and (until is None or any(until in json.dumps(line) for line in found)):
                return found
        time.sleep(0.3)
    return found if until is not None else []


def test_telegram_update_gets_a_reply_with_buttons(bot: tuple[RunningBot, Path]) -> None:
    run, outbound = bot
    update = {
        "update_id": 10001,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": 4242, "type": "private", "first_name": "Ann"},
            "from": {"id": 4242, "is_bot": False, "first_name": "Ann"},
            "text": "what is mesotherapy?",
        },
    }
    reply = requests.post(f"{run.url}/webhooks/telegram/webhook", json=update, timeout=30)
    assert reply.status_code == 200
    sent = _sent(outbound, "telegram", until="minimally invasive")
    assert sent and str(sent[-1]["to"]) == "4242" and "minimally invasive" in sent[-1]["text"]
    assert "How many sessions will I need?" in sent[-1]["markup"]  # buttons kept as a keyboard


def test_a_telegram_conversation_opened_with_a_question_starts_with_the_notice(
    bot: tuple[RunningBot, Path],
) -> None:
    run, outbound = bot
    chat = 5151
    update = {
        "update_id": 10002,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private", "first_name": "Bea"},
            "from": {"id": chat, "is_bot": False, "first_name": "Bea"},
            "text": "how many sessions will i need?",
        },
    }
    reply = requests.post(f"{run.url}/webhooks/telegram/webhook", json=update, timeout=30)
    assert reply.status_code == 200
    deadline = time.monotonic() + 20
    mine: list[dict[str, Any]] = []
    while time.monotonic() < deadline and len(mine) < 2:
        mine = [m for m in _sent(outbound, "telegram") if str(m["to"]) == str(chat)]
        time.sleep(0.2)
    assert "not medical advice" in mine[0]["text"]
    assert "between 3 and 15" in mine[1]["text"]
    # The next message in the same chat gets its answer without the notice again.
    update = {**update, "update_id": 10003}
    update["message"] = {**update["message"], "message_id": 2, "text": "what is mesotherapy?"}
    requests.post(f"{run.url}/webhooks/telegram/webhook", json=update, timeout=30)
    deadline = time.monotonic() + 20
    later: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not later:
        later = [m for m in _sent(outbound, "telegram") if str(m["to"]) == str(chat)][len(mine) :]
        time.sleep(0.2)
    assert later and "minimally invasive" in later[0]["text"]
    assert not any("not medical advice" in m["text"] for m in later)


def _slack_headers(body: bytes, secret: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256)
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
    }


def _slack_event(text: str, user: str = "U0001", channel: str = "D0001") -> bytes:
    event = {
        "token": "unused",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": f"Ev{time.time_ns()}",
        "event_time": int(time.time()),
        "event": {
            "type": "message",
            "channel_type": "im",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": f"{time.time():.6f}",
        },
    }
    return json.dumps(event).encode()


def test_signed_slack_event_gets_a_reply(bot: tuple[RunningBot, Path]) -> None:
    run, outbound = bot
    body = _slack_event("how many sessions will I need?")
    headers = _slack_headers(body, ENV["SLACK_SIGNING_SECRET"])
    reply = requests.post(
        f"{run.url}/webhooks/slack/webhook", data=body, headers=headers, timeout=30
    )
    assert reply.status_code == 200
    sent = _sent(outbound, "slack", until="between 3 and")
    assert sent and sent[-1]["to"] == "D0001"
    assert any("between 3 and" in json.dumps(line) for line in sent)


def test_slack_event_with_a_bad_signature_is_rejected(bot: tuple[RunningBot, Path]) -> None:
    run, _ = bot
    body = _slack_event("hello")
    headers = _slack_headers(body, "not-the-secret")
    reply = requests.post(
        f"{run.url}/webhooks/slack/webhook", data=body, headers=headers, timeout=30
    )
    assert reply.status_code == 400


def _messenger_body(text: str, sender: str = "PSID42") -> bytes:
    body = {
        "object": "page",
        "entry": [
            {
                "id": "PAGE1",
                "time": int(time.time() * 1000),
                "messaging": [
                    {
                        "sender": {"id": sender},
                        "recipient": {"id": "PAGE1"},
                        "timestamp": int(time.time() * 1000),
                        "message": {"mid": f"m{time.time_ns()}", "text": text},
                    }
                ],
            }
        ],
    }
    return json.dumps(body).encode()


def _hub_signature(body: bytes, secret: str) -> str:
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def test_signed_messenger_message_gets_a_reply(bot: tuple[RunningBot, Path]) -> None:
    run, outbound = bot
    body = _messenger_body("can I go to the gym after mesotherapy?")
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature": _hub_signature(body, ENV["FACEBOOK_APP_SECRET"]),
    }
    reply = requests.post(
        f"{run.url}/webhooks/facebook/webhook", data=body, headers=headers, timeout=30
    )
    assert reply.text == "success"
    sent = _sent(outbound, "facebook", until="24 hours")
    assert sent and sent[-1]["to"] == "PSID42"
    assert "24 hours" in json.dumps(sent[-1]["payload"])


def test_messenger_message_with_a_bad_signature_is_not_processed(
    bot: tuple[RunningBot, Path],
) -> None:
    run, outbound = bot
    before = len(_sent(outbound, "facebook", timeout=0.1))
    body = _messenger_body("hello")
    headers = {"Content-Type": "application/json", "X-Hub-Signature": _hub_signature(body, "wrong")}
    reply = requests.post(
        f"{run.url}/webhooks/facebook/webhook", data=body, headers=headers, timeout=30
    )
    assert reply.text == "not validated"
    time.sleep(2)
    assert len(_sent(outbound, "facebook", timeout=0.1)) == before


def test_twilio_whatsapp_message_gets_a_text_reply(bot: tuple[RunningBot, Path]) -> None:
    run, outbound = bot
    form = {"From": "whatsapp:+447700900123", "To": ENV["TWILIO_NUMBER"], "Body": "hello"}
    reply = requests.post(f"{run.url}/webhooks/twilio/webhook", data=form, timeout=30)
    assert reply.status_code in (200, 204)
    time.sleep(2)  # the greeting and each numbered option arrive as separate messages
    sent = _sent(outbound, "twilio")
    assert sent and {line["to"] for line in sent} == {"whatsapp:+447700900123"}
    texts = [line["text"] or "" for line in sent]
    assert any("not medical advice" in text for text in texts)
    # No buttons on SMS/WhatsApp: the options arrive as numbered text.
    assert any(text.startswith("1: What is mesotherapy?") for text in texts)


def _telegram(run: RunningBot, chat: int, update_id: int, text: str) -> None:
    update = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private", "first_name": "Cy"},
            "from": {"id": chat, "is_bot": False, "first_name": "Cy"},
            "text": text,
        },
    }
    reply = requests.post(f"{run.url}/webhooks/telegram/webhook", json=update, timeout=30)
    assert reply.status_code == 200


def _to(outbound: Path, chat: int) -> list[str]:
    return [m["text"] for m in _sent(outbound, "telegram") if str(m["to"]) == str(chat)]


def _staff_step(run: RunningBot, step: str, sender: str, **fields: str) -> requests.Response:
    return requests.post(
        f"{run.url}/webhooks/handoff/staff/{step}",
        json={"sender": sender, "account": "anna", **fields},
        headers={"X-Handoff-Secret": HANDOFF_SECRET},
        timeout=30,
    )


def _until(found: Any, timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := found():
            return result
        time.sleep(0.2)
    return found()


def test_a_telegram_visitor_gets_the_staff_members_replies_through_telegram(
    bot: tuple[RunningBot, Path],
) -> None:
    """Live chat on Telegram: staff messages go out through the Bot API (the stub)."""
    run, outbound = bot
    chat = 7373
    _telegram(run, chat, 20001, "can I talk to a person please?")
    assert _until(lambda: [t for t in _to(outbound, chat) if "connecting you" in t])
    took = _staff_step(run, "take", str(chat), name="Anna")
    assert took.status_code == 200, took.text
    assert _until(lambda: [t for t in _to(outbound, chat) if "chatting with Anna" in t])
    said = _staff_step(run, "say", str(chat), text="Hi! Anna from the clinic here.")
    assert said.status_code == 200 and said.json()["delivered"], said.text
    assert _until(lambda: "Hi! Anna from the clinic here." in _to(outbound, chat))

    before = len(_to(outbound, chat))
    _telegram(run, chat, 20002, "what is mesotherapy?")
    time.sleep(3)
    assert len(_to(outbound, chat)) == before, "the bot answered during the live chat"
    assert _staff_step(run, "back", str(chat)).status_code == 200
    assert _until(lambda: [t for t in _to(outbound, chat)[before:] if "I'm back" in t])
    _telegram(run, chat, 20003, "what is mesotherapy?")
    assert _until(lambda: [t for t in _to(outbound, chat) if "minimally invasive" in t])


def _visitor_writes(run: RunningBot, channel: str, visitor: str, text: str) -> None:
    """One message from a Slack, Messenger or Twilio (WhatsApp) visitor, as its platform posts."""
    if channel == "slack":
        body = _slack_event(text, user=visitor, channel=f"D{visitor}")
        headers = _slack_headers(body, ENV["SLACK_SIGNING_SECRET"])
        url, data = f"{run.url}/webhooks/slack/webhook", body
    elif channel == "facebook":
        body = _messenger_body(text, sender=visitor)
        signature = _hub_signature(body, ENV["FACEBOOK_APP_SECRET"])
        headers = {"Content-Type": "application/json", "X-Hub-Signature": signature}
        url, data = f"{run.url}/webhooks/facebook/webhook", body
    else:
        headers = {}
        url = f"{run.url}/webhooks/twilio/webhook"
        data = {"From": visitor, "To": ENV["TWILIO_NUMBER"], "Body": text}  # type: ignore[assignment]
    assert requests.post(url, data=data, headers=headers, timeout=30).status_code < 300


def _texts_to(outbound: Path, channel: str, recipient: str) -> list[str]:
    found = [m for m in _sent(outbound, channel, timeout=0.5) if str(m["to"]) == recipient]
    return [
        json.dumps(m.get("payload")) if channel == "facebook" else str(m["text"]) for m in found
    ]


@pytest.mark.parametrize(
    ("channel", "visitor", "recipient"),
    [
        ("slack", "U0777", "DU0777"),  # Slack replies in the channel the visitor wrote in
        ("facebook", "PSID777", "PSID777"),
        ("twilio", "whatsapp:+447700900777", "whatsapp:+447700900777"),
    ],
)
def test_staff_replies_go_out_on_slack_messenger_and_twilio(
    bot: tuple[RunningBot, Path], channel: str, visitor: str, recipient: str
) -> None:
    run, outbound = bot
    _visitor_writes(run, channel, visitor, "can I talk to a person please?")
    assert _until(lambda: [t for t in _texts_to(outbound, channel, recipient) if "connecting" in t])
    assert _staff_step(run, "take", visitor, name="Anna").status_code == 200
    said = _staff_step(run, "say", visitor, text="Hello from Anna at the clinic.")
    assert said.status_code == 200 and said.json()["delivered"], said.text
    assert _until(
        lambda: [t for t in _texts_to(outbound, channel, recipient) if "Hello from Anna" in t]
    )
    before = len(_texts_to(outbound, channel, recipient))
    _visitor_writes(run, channel, visitor, "what is mesotherapy?")
    time.sleep(3)
    assert len(_texts_to(outbound, channel, recipient)) == before, "the bot spoke while paused"
    assert _staff_step(run, "back", visitor).status_code == 200
    assert _until(lambda: [t for t in _texts_to(outbound, channel, recipient) if "back!" in t])

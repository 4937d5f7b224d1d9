"""A bot, its action server and the web app with the console, set up for live chat.

The web app reads the bot's own tracker store (its `--endpoints`) and reaches
Rasa's handoff route; the action server asks the web app whether staff are
free (`STAFF_CONSOLE_URL`). All three share the handoff secret and the chat
session key. Live-chat hours are open all week (a copy of clinic.yml), so the
tests do not depend on the time they run at.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import requests
import socketio
import sqlalchemy as sa
import yaml

from clinic.guard.session_tokens import issue_token
from clinic.rules import WEEKDAYS
from staff.accounts import add_account
from staff.db import console_engine
from tests.console.conftest import Console, Staff
from tests.support.servers import ROOT, RunningBot, free_port, running_bot, spawn, stop, wait_for

ACCOUNT = "anna.reception"
PASSWORD = "a long password for the front desk"
VISITOR_GONE_S = 5  # a waiting widget visitor whose page has gone this long has left
ASK_FOR_A_PERSON = "can I talk to a real person please?"

Found = TypeVar("Found")


def wait_until(check: Callable[[], Found | None], what: str, timeout: float = 30) -> Found:
    """`check()`'s first answer that is not empty, asked every 0.3 s for `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def new_visitor(prefix: str = "live") -> str:
    """A conversation id no earlier test has used."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def clinic_config(
    workdir: Path,
    wait_minutes: float,
    staff_timeout_s: float = 30,
    extra: dict[str, Any] | None = None,
) -> Path:
    """clinic.yml with live chat open at every hour of every day (and `extra` sections)."""
    raw = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))
    raw.update(extra or {})
    raw["live_chat"] = {
        "time_zone": "Europe/London",
        "hours": {day: "00:00-23:59:59" for day in WEEKDAYS},
        "wait_minutes": wait_minutes,
        "staff_timeout_seconds": staff_timeout_s,
        "visitor_gone_seconds": VISITOR_GONE_S,
    }
    path = workdir / "clinic.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@dataclass
class LiveSite:
    bot: RunningBot
    web_url: str
    engine: sa.engine.Engine
    workdir: Path

    @property
    def console(self) -> Console:
        return Console(self.web_url, self.engine, self.workdir)

    def staff(self, available: bool = True, name: str = ACCOUNT) -> Staff:
        if name != ACCOUNT:
            add_account(self.engine, name, PASSWORD)
        staff = self.console.sign_in(name, PASSWORD)
        token = staff.csrf_token("/staff/live")
        reply = staff.post(
            "/staff/live/availability",
            {"csrf_token": token, "available": "yes" if available else "no"},
        )
        assert reply.status_code == 303, reply.text
        return staff

    def ask_for_person(self, visitor: str) -> dict[str, Any]:
        """A REST visitor asks for a person while staff are available: the reply's polling
        details (`token`, `poll_url`) once the bot says it is connecting them."""
        reply = self.bot.say(visitor, ASK_FOR_A_PERSON)
        text = " ".join(m.get("text", "") for m in reply)
        assert "connecting you with the team" in text, reply
        (handoff,) = [m["custom"] for m in reply if "custom" in m]
        assert handoff["handoff"] == "waiting"
        assert handoff["poll_url"] == "/webhooks/handoff/messages" and handoff["token"]
        return dict(handoff)

    def poll(self, token: str, after: float = 0.0) -> dict[str, Any]:
        """What a REST visitor's client reads from the polling route."""
        reply = requests.get(
            f"{self.bot.url}/webhooks/handoff/messages",
            params={"after": str(after)},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert reply.status_code == 200, reply.text
        return dict(reply.json())


def _chat_path(visitor: str, step: str = "") -> str:
    return f"/staff/live/{quote(visitor, safe='')}" + (f"/{step}" if step else "")


def post_live(staff: Staff, path: str, data: dict[str, str] | None = None) -> requests.Response:
    """A form of the Live page sent, with its CSRF token."""
    token = staff.csrf_token("/staff/live")
    return staff.post(path, {"csrf_token": token, **(data or {})})


def live_queue(staff: Staff) -> dict[str, Any]:
    """What the Live page reads every few seconds (and it checks the member of staff in)."""
    reply = staff.get("/staff/api/live.json")
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def wait_in_queue(staff: Staff, visitor: str) -> list[dict[str, Any]]:
    """The visitor's chat, once it is in the queue of chats nobody has taken."""
    return wait_until(
        lambda: [c for c in live_queue(staff)["waiting"] if c["sender"] == visitor],
        "the chat in the queue",
    )


def take(staff: Staff, visitor: str) -> requests.Response:
    """Take the visitor's chat once it is waiting (the console's "Take" button)."""
    wait_in_queue(staff, visitor)
    took = post_live(staff, _chat_path(visitor, "take"))
    assert took.status_code == 303, took.text
    return took


def say(staff: Staff, visitor: str, text: str) -> requests.Response:
    """Write to the visitor, as the Live page's chat box sends it."""
    return staff.post(
        _chat_path(visitor, "say"),
        json={"text": text},
        headers={"X-CSRF-Token": staff.csrf_token("/staff/live")},
    )


def hand_back(staff: Staff, visitor: str) -> None:
    """Hand the chat back to the bot."""
    assert post_live(staff, _chat_path(visitor, "back")).status_code == 303


def start_web_app(
    workdir: Path, port: int, bot: RunningBot, env: dict[str, str], *extra: str
) -> Any:
    log = workdir / "web.log"
    command = [sys.executable, "-m", "web.app", "--port", str(port), "--rasa-url", bot.url]
    command += ["--endpoints", str(bot.endpoints), *extra]
    process = spawn(command, log, {**bot.env, **env})
    wait_for(f"http://127.0.0.1:{port}/health", process, log, timeout=60)
    return process


@contextmanager
def live_site(
    workdir: Path,
    wait_minutes: float = 3.0,
    extra_env: dict[str, str] | None = None,
    staff_timeout_s: float = 30,
    clinic_extra: dict[str, Any] | None = None,
) -> Iterator[LiveSite]:
    web_port = free_port()
    origin = f"http://127.0.0.1:{web_port}"
    config = clinic_config(workdir, wait_minutes, staff_timeout_s, clinic_extra)
    env = {
        "CLINIC_CONFIG": str(config),
        "HANDOFF_SECRET": secrets.token_urlsafe(32),
        "CHAT_SESSION_KEY": secrets.token_urlsafe(48),
        "STAFF_CONSOLE_URL": origin,
        "CALENDAR_DIR": str(workdir / "calendars"),
        **(extra_env or {}),
    }
    with running_bot(workdir, extra_env=env, rasa_args=("--cors", origin)) as bot:
        engine = console_engine(bot.endpoints)
        add_account(engine, ACCOUNT, PASSWORD)
        web = start_web_app(workdir, web_port, bot, env)
        try:
            yield LiveSite(bot, origin, engine, workdir)
        finally:
            stop(web)
            engine.dispose()


class SocketVisitor:
    """A widget visitor's socket.io connection (as rasa-webchat opens it), for async tests."""

    def __init__(self, url: str, key: str, session: str) -> None:
        self.url, self.session = url, session
        self.token = issue_token(key, session)
        self.client = socketio.AsyncClient(reconnection=False)
        self.inbox: asyncio.Queue[tuple[float, str]] = asyncio.Queue()
        self._confirmed: asyncio.Queue[Any] = asyncio.Queue()
        self.client.on("bot_uttered", self._received)
        self.client.on("session_confirm", self._confirmed.put_nowait)

    async def _received(self, data: Any) -> None:
        text = data.get("text", "") if isinstance(data, dict) else ""
        self.inbox.put_nowait((time.perf_counter(), str(text)))

    async def connect(self) -> None:
        await self.client.connect(self.url, transports=["websocket"], auth={"token": self.token})
        await self.client.emit("session_request", {"session_id": self.session})
        await asyncio.wait_for(self._confirmed.get(), 10)

    async def say(self, text: str) -> None:
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session})

    async def next_text(self, containing: str, timeout: float = 30) -> tuple[float, str]:
        """The first message received that contains `containing` (earlier ones are dropped)."""
        import asyncio

        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no message containing {containing!r} within {timeout} s")
            at, text = await asyncio.wait_for(self.inbox.get(), left)
            if containing in text:
                return at, text

    async def quiet_for(self, seconds: float) -> list[str]:
        """Everything received within `seconds` (the bot should send nothing while paused)."""
        got = []
        try:
            while True:
                got.append((await asyncio.wait_for(self.inbox.get(), seconds))[1])
        except asyncio.TimeoutError:
            return got

    async def close(self) -> None:
        await self.client.disconnect()


@dataclass
class LiveCluster:
    """The production profile with the console: the widget's replica A, the console's B."""

    cluster: Any  # tests.support.cluster.Cluster
    console: Console
    key: str  # the chat session key, for signing a widget visitor's token

    @property
    def replica_a(self) -> str:
        return f"http://127.0.0.1:{self.cluster.replica_ports[0]}"

    def visitor(self, through_nginx: bool = False) -> SocketVisitor:
        """A widget visitor whose socket is on replica A, or wherever nginx sends it."""
        url = self.cluster.url if through_nginx else self.replica_a
        return SocketVisitor(url, self.key, f"widget-{secrets.token_hex(6)}")

    def socket_replicas(self) -> list[str]:
        """The replica each closed socket.io connection through nginx was on, in order."""
        log = self.cluster.workdir / "nginx-socketio.log"
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        return [line.split()[0] for line in lines if line.split()[-1] == "101"]

    def available_staff(self) -> Staff:
        staff = self.console.sign_in(ACCOUNT, PASSWORD)
        token = staff.csrf_token("/staff/live")
        staff.post("/staff/live/availability", {"csrf_token": token, "available": "yes"})
        return staff


@contextmanager
def live_cluster(
    workdir: Path, wait_minutes: float = 5.0, overrides: dict[str, str] | None = None
) -> Iterator[LiveCluster]:
    """Two Rasa replicas (PostgreSQL, Redis) and the web app sending through replica B."""
    from clinic.tracker_db import engine_for
    from tests.support.cluster import PRODUCTION_ENDPOINTS, production_cluster

    key, web_port = secrets.token_urlsafe(48), free_port()
    env = {
        "CLINIC_CONFIG": str(clinic_config(workdir, wait_minutes)),
        "HANDOFF_SECRET": secrets.token_urlsafe(32),
        "CHAT_SESSION_KEY": key,
        "STAFF_CONSOLE_URL": f"http://127.0.0.1:{web_port}",
        **(overrides or {}),
    }
    with production_cluster(workdir, overrides=env) as cluster:
        command = [sys.executable, "-m", "web.app", "--port", str(web_port)]
        command += ["--rasa-url", f"http://127.0.0.1:{cluster.replica_ports[1]}"]
        command += ["--endpoints", str(PRODUCTION_ENDPOINTS)]
        web = spawn(command, workdir / "web.log", cluster.env)
        engine = engine_for(PRODUCTION_ENDPOINTS, cluster.env)
        try:
            wait_for(f"http://127.0.0.1:{web_port}/staff/login", web, workdir / "web.log")
            add_account(engine, ACCOUNT, PASSWORD)
            console = Console(f"http://127.0.0.1:{web_port}", engine, workdir)
            yield LiveCluster(cluster, console, key)
        finally:
            stop(web)
            engine.dispose()

"""A bot, its action server and the web app with the console, set up for live chat.

The web app reads the bot's own tracker store (its `--endpoints`) and reaches
Rasa's handoff route; the action server asks the web app whether staff are
free (`STAFF_CONSOLE_URL`). All three share the handoff secret and the chat
session key. Live-chat hours are open all week (a copy of clinic.yml), so the
tests do not depend on the time they run at.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa
import yaml

from clinic.rules import WEEKDAYS
from staff.accounts import add_account
from staff.db import console_engine
from tests.console.conftest import Console, Staff
from tests.support.servers import ROOT, RunningBot, free_port, running_bot, spawn, stop, wait_for

ACCOUNT = "anna.reception"
PASSWORD = "a long password for the front desk"


def clinic_config(workdir: Path, wait_minutes: float) -> Path:
    """clinic.yml with live chat open at every hour of every day."""
    raw = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))
    raw["live_chat"] = {
        "time_zone": "Europe/London",
        "hours": {day: "00:00-23:59:59" for day in WEEKDAYS},
        "wait_minutes": wait_minutes,
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

    def staff(self, available: bool = True) -> Staff:
        staff = self.console.sign_in(ACCOUNT, PASSWORD)
        token = staff.csrf_token("/staff/live")
        reply = staff.post(
            "/staff/live/availability",
            {"csrf_token": token, "available": "yes" if available else "no"},
        )
        assert reply.status_code == 303, reply.text
        return staff

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
    workdir: Path, wait_minutes: float = 3.0, extra_env: dict[str, str] | None = None
) -> Iterator[LiveSite]:
    web_port = free_port()
    origin = f"http://127.0.0.1:{web_port}"
    env = {
        "CLINIC_CONFIG": str(clinic_config(workdir, wait_minutes)),
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

"""One real bot and web app for the security tests, with a tight per-visitor limit.

The per-address limit is off here (the fuzzer sends hundreds of requests from
one address; that limit is tested in tests/unit/rasa_ext/channels/test_guarded_channels.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import yaml

from tests.support.servers import ROOT, RunningBot, free_port, running_bot, start_web_app, stop

VISITOR_BURST = 5


@dataclass
class Site:
    bot: RunningBot
    web_url: str
    workdir: Path

    def new_chat(self) -> dict[str, str]:
        """What the widget's page gets from the web app: a session id and its token."""
        reply = requests.post(f"{self.web_url}/chat/session", timeout=10)
        reply.raise_for_status()
        return dict(reply.json())


def security_clinic_config(workdir: Path) -> Path:
    clinic = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))
    clinic["input_limits"]["per_visitor"] = {"burst": VISITOR_BURST, "per_minute": 12}
    clinic["input_limits"]["per_address"] = {"burst": 0, "per_minute": 1}
    path = workdir / "clinic.yml"
    path.write_text(yaml.safe_dump(clinic, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("No trained model in models/: run `make train` first.")
    workdir = Path(tmp_path_factory.mktemp("security"))
    env = {
        "CLINIC_CONFIG": str(security_clinic_config(workdir)),
        "CHAT_SESSION_KEY_FILE": str(workdir / "chat-session.key"),
    }
    with running_bot(workdir, extra_env=env) as bot:
        web_port = free_port()
        web = start_web_app(workdir, web_port, bot.url, {**os.environ, **env})
        try:
            yield Site(bot=bot, web_url=f"http://127.0.0.1:{web_port}", workdir=workdir)
        finally:
            stop(web)

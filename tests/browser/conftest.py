"""One bot for the browser suite's widget and console pages.

A Rasa start-up costs about 30 s on CI's two cores (issue 24), so the widget's
page (test_widget.py), the same page for a clinic with a very long name, and
the staff console (test_console.py) share one action server and Rasa server,
started once per pytest run. The web app in front of them reads the bot's own
tracker store (its `--endpoints`), as the console needs; the long-name page
is a second web app on a port Rasa's `--cors` already allows, with its own
copy of clinic.yml (the header's name is the page's: web/page.py). Live chat
(test_live_chat.py) keeps a bot of its own: it needs live-chat hours, a
handoff secret and the console's address (tests/support/live_chat.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.servers import ROOT, RunningBot, free_port, running_bot, stop, wait_for


@dataclass
class SharedSite:
    bot: RunningBot
    workdir: Path
    env: dict[str, str]  # what Rasa, the action server and the web app were started with
    port: int  # the web app's
    spare_port: int  # for a second web app (allowed by Rasa's --cors)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def start_web_app(
    workdir: Path, port: int, rasa_url: str, env: dict[str, str], *extra: str
) -> subprocess.Popen[bytes]:
    """`python -m web.app` on `port` with `env` over the test's environment; waits for /health."""
    log = workdir / f"web-{port}.log"
    command = [sys.executable, "-m", "web.app", "--port", str(port), "--rasa-url", rasa_url]
    with log.open("wb") as handle:
        web = subprocess.Popen(
            [*command, *extra],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/health", web, log, timeout=60)
    except BaseException:
        stop(web)
        raise
    return web


@pytest.fixture(scope="session")
def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedSite]:
    """The action server, Rasa and the web app (with the console) for the widget and console."""
    workdir = Path(tmp_path_factory.mktemp("browser-site"))
    web_port, spare_port = free_port(), free_port()
    origin = f"http://127.0.0.1:{web_port}"
    env = {"CALENDAR_DIR": str(workdir / "calendars"), "CALENDAR_BASE_URL": f"{origin}/calendars"}
    origins = (origin, f"http://127.0.0.1:{spare_port}")
    with running_bot(workdir, extra_env=env, rasa_args=("--cors", *origins)) as bot:
        web = start_web_app(workdir, web_port, bot.url, env, "--endpoints", str(bot.endpoints))
        try:
            yield SharedSite(bot, workdir, env, web_port, spare_port)
        finally:
            stop(web)

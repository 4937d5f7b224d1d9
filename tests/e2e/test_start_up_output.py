"""What a staff member sees when starting the bot: where to talk to it, and real problems only.

`make run` (scripts/run.sh) is started as it is on a laptop, on free ports and
a private tracker store; `rasa data validate` runs the same checks of the data
as the start of `make train`. Neither may print the third-party deprecations
hidden by clinic/known_warnings.py or Rasa's warnings about responses that
forms and actions send (rasa_ext/patches.py, `QUIETED_WARNINGS`).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.support.servers import (
    RASA,
    ROOT,
    free_port,
    with_action_token,
    write_endpoints,
)

READY = "The clinic's assistant is ready."
DEPRECATIONS = re.compile(r"\w*Deprecat\w*Warning|MovedIn20Warning")
NOT_USED = "not used in any story or rule"
USUAL_ACTIONS_PORT = 5055
PLANNER_OPENER = "I'd like to plan my sessions"


def _start_up(workdir: Path, ports: dict[str, int], timeout: float = 240) -> tuple[str, str, bool]:
    """scripts/run.sh's output until it says the bot is ready, its reply to a message
    only the action server answers, and whether Rasa's endpoints copy was there; then
    everything is stopped.

    The endpoints file names the action server's usual port, as endpoints.yml
    does: run.sh gives Rasa one that names ACTIONS_PORT."""
    endpoints = write_endpoints(workdir, USUAL_ACTIONS_PORT)
    env = with_action_token(
        {
            **os.environ,
            **{name: str(port) for name, port in ports.items()},
            "ENDPOINTS": str(endpoints),
            "CHAT_SESSION_KEY_FILE": str(workdir / "chat-session.key"),
            "CALENDAR_DIR": str(workdir / "calendars"),
            "LOG_DIR": str(workdir / "logs"),
        }
    )
    log = workdir / "run.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            ["scripts/run.sh"],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with everything it starts
        )
    try:
        deadline = time.monotonic() + timeout
        while READY not in log.read_text() and process.poll() is None:
            if time.monotonic() > deadline:
                pytest.fail(f"scripts/run.sh was not ready within {timeout} s:\n{log.read_text()}")
            time.sleep(0.5)
        time.sleep(1)  # anything printed just after the announcement counts too
        reply = requests.post(
            f"http://127.0.0.1:{ports['RASA_PORT']}/webhooks/rest/webhook",
            json={"sender": "start-up", "message": PLANNER_OPENER},
            timeout=60,
        )
        planner = " ".join(message.get("text", "") for message in reply.json())
        copied = endpoints_copy(ports).exists()
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C, as a person stops it
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return log.read_text(), planner, copied


def endpoints_copy(ports: dict[str, int]) -> Path:
    """The endpoints file run.sh writes for Rasa, naming ACTIONS_PORT."""
    return ROOT / "var" / f"endpoints-{ports['ACTIONS_PORT']}.yml"


@dataclass(frozen=True)
class StartUp:
    """One run of scripts/run.sh: what it printed, its ports and its folder (logs in logs/)."""

    output: str
    ports: dict[str, int]
    workdir: Path
    planner_reply: str
    endpoints_copied: bool  # Rasa's endpoints copy was there while it ran


@pytest.fixture(scope="module")
def start_up(tmp_path_factory: pytest.TempPathFactory) -> StartUp:
    workdir = tmp_path_factory.mktemp("make-run")
    ports = {name: free_port() for name in ("RASA_PORT", "ACTIONS_PORT", "WEB_PORT")}
    output, planner_reply, copied = _start_up(workdir, ports)
    return StartUp(output, ports, workdir, planner_reply, copied)


def test_make_run_ends_with_where_to_talk_to_the_bot_and_no_warnings(start_up: StartUp) -> None:
    output, ports = start_up.output, start_up.ports
    lines = output.splitlines()
    assert [line for line in lines if DEPRECATIONS.search(line)] == [], output
    assert [line for line in lines if NOT_USED in line] == [], output
    assert len(lines) < 30, output  # it was 52 lines, most of them deprecations

    announcement = output[output.index(READY) :]
    web, rasa = ports["WEB_PORT"], ports["RASA_PORT"]
    for address in (
        f"http://localhost:{web}/ ",
        f"http://localhost:{web}/staff/",
        f"http://localhost:{rasa}/webhooks/rest/webhook",
    ):
        assert address in announcement, output
    assert "Rasa server is up and running" in output[: output.index(READY)], (
        "the addresses come after Rasa's start-up lines, not lost above them"
    )
    assert f"log to {start_up.workdir / 'logs'}/" in announcement


def test_custom_actions_answer_when_the_action_server_is_on_another_port(
    start_up: StartUp,
) -> None:
    """ACTIONS_PORT moves the action server, and Rasa calls it there (endpoints.yml
    names 5055; the planner's question comes from a custom action)."""
    assert start_up.ports["ACTIONS_PORT"] != USUAL_ACTIONS_PORT
    assert "start" in start_up.planner_reply.lower(), start_up.planner_reply


def test_the_endpoints_copy_lasts_only_while_the_bot_runs(start_up: StartUp) -> None:
    """run.sh's copy of the endpoints file goes when it stops: test runs on random
    ports leave no file behind in var/."""
    assert start_up.endpoints_copied
    assert not endpoints_copy(start_up.ports).exists()


def test_the_action_server_and_web_app_logs_have_no_warnings_or_leftovers(
    start_up: StartUp,
) -> None:
    """Their logs (LOG_DIR) from start to Ctrl-C: no deprecations (the action server had
    sanic-cors'), and no task left pending at stop (the web app's staff index was)."""
    for name in ("action-server.log", "web.log"):
        log = (start_up.workdir / "logs" / name).read_text()
        assert "Warning" not in log, log
        assert "Task was destroyed but it is pending" not in log, log
        assert "Server Stopped" in log, log  # it ran and was stopped, not killed


def test_checking_the_data_as_training_does_prints_no_warnings() -> None:
    """`rasa data validate`: the checks `rasa train` runs first (`make run` trains if needed)."""
    env = with_action_token({**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    result = subprocess.run(
        [*RASA, "data", "validate", "--quiet"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert [line for line in output.splitlines() if "Warning" in line] == [], output

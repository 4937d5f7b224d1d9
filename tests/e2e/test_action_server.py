"""The hardened action server over HTTP: shared secret, generic errors, a size limit, loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from actions.server import REQUEST_MAX_SIZE, TOKEN_HEADER
from tests.support.servers import ROOT, free_port, stop, wait_for

TOKEN = "test-secret-0123456789"
VISITOR_TEXT = "my email is jane.doe@example.org and my phone +44 7700 900123"


def _call(action: str, text: str = VISITOR_TEXT) -> dict[str, Any]:
    return {
        "next_action": action,
        "sender_id": "visitor-1",
        "version": "3.6.2",
        "domain": {},
        "tracker": {
            "sender_id": "visitor-1",
            "slots": {},
            "latest_message": {"text": text, "intent": {}, "entities": []},
            "events": [{"event": "user", "text": text}],
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    log = tmp_path_factory.mktemp("actions") / "actions.log"
    port = free_port()
    env = {**os.environ, "ACTION_SERVER_TOKEN": TOKEN}
    args = [sys.executable, "-m", "actions.server", "--port", str(port)]
    args += ["--actions", "tests.support.failing_actions"]
    with log.open("wb") as handle:
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/health", process, log, timeout=60)
        yield url, log
    finally:
        stop(process)


@pytest.mark.parametrize("headers", [{}, {TOKEN_HEADER: "wrong"}, {TOKEN_HEADER: ""}])
def test_a_call_without_the_right_token_gets_401(
    server: tuple[str, Path], headers: dict[str, str]
) -> None:
    url, _ = server
    reply = requests.post(f"{url}/webhook", json=_call("action_that_works"), headers=headers)
    assert reply.status_code == 401
    assert reply.json() == {"error": "Unauthorised."}
    assert requests.get(f"{url}/actions", headers=headers, timeout=5).status_code == 401


def test_a_call_with_the_token_runs_the_action(server: tuple[str, Path]) -> None:
    url, _ = server
    reply = requests.post(
        f"{url}/webhook", json=_call("action_that_works"), headers={TOKEN_HEADER: TOKEN}
    )
    assert reply.status_code == 200
    assert reply.json()["responses"][0]["text"] == "done"


def test_health_needs_no_token(server: tuple[str, Path]) -> None:
    url, _ = server
    assert requests.get(f"{url}/health", timeout=5).json() == {"status": "ok"}


def test_a_failing_action_returns_a_generic_error_without_the_tracker(
    server: tuple[str, Path],
) -> None:
    url, log = server
    reply = requests.post(
        f"{url}/webhook", json=_call("action_that_fails"), headers={TOKEN_HEADER: TOKEN}
    )
    assert reply.status_code == 500
    assert reply.json() == {"error": "The action failed on the action server."}
    assert "jane.doe" not in reply.text and "request_body" not in reply.text
    logged = log.read_text(encoding="utf-8")
    assert "action_server.failed action=action_that_fails error=ValueError" in logged
    assert "jane.doe@example.org" not in logged and "900123" not in logged


def test_an_oversized_request_gets_413(server: tuple[str, Path]) -> None:
    url, _ = server
    body = b'{"next_action": "action_that_works", "padding": "' + b"x" * REQUEST_MAX_SIZE + b'"}'
    reply = requests.post(
        f"{url}/webhook",
        data=body,
        headers={TOKEN_HEADER: TOKEN, "Content-Type": "application/json"},
        timeout=30,
    )
    assert reply.status_code == 413


def test_it_listens_on_loopback_only(server: tuple[str, Path]) -> None:
    url, _ = server
    port = int(url.rsplit(":", 1)[1])
    listening = Path("/proc/net/tcp").read_text().splitlines()[1:]
    local = [line.split()[1] for line in listening if line.split()[3] == "0A"]
    assert f"0100007F:{port:04X}" in local
    assert f"00000000:{port:04X}" not in local


def test_it_refuses_to_start_without_a_token() -> None:
    env = {key: value for key, value in os.environ.items() if key != "ACTION_SERVER_TOKEN"}
    done = subprocess.run(
        [sys.executable, "-m", "actions.server", "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert b"ACTION_SERVER_TOKEN" in done.stderr


def test_an_idle_connection_outlives_rasas_client_keep_alive(server: tuple[str, Path]) -> None:
    """Rasa reuses idle connections for up to 15 s; Sanic's default closes them after 5 s."""
    url, _ = server
    port = int(url.rsplit(":", 1)[1])
    request = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        assert connection.recv(4096).startswith(b"HTTP/1.1 200")
        time.sleep(6)
        connection.sendall(request)
        assert connection.recv(4096).startswith(b"HTTP/1.1 200")

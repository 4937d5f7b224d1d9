"""Start the real action server and Rasa server on free loopback ports, for tests and benchmarks."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from rasa_ext import endpoints_file

ROOT = Path(__file__).resolve().parents[2]
# This project's `rasa` command: Rasa with the project's patches (rasa_ext/__main__.py).
RASA = [sys.executable, "-m", "rasa_ext"]


def with_action_token(env: dict[str, str]) -> dict[str, str]:
    """`env` with the secret the action server and Rasa share (a fresh one if unset)."""
    return {
        **env,
        "ACTION_SERVER_TOKEN": env.get("ACTION_SERVER_TOKEN") or secrets.token_urlsafe(32),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=1).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


@dataclass
class RunningBot:
    """A running Rasa server (with its action server) and a small REST client for it."""

    workdir: Path
    port: int
    endpoints: Path
    env: dict[str, str]
    rasa_args: tuple[str, ...] = ()
    actions_port: int = 0
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def restart_rasa(self) -> None:
        """Stop the Rasa server and start it again on the same tracker store."""
        stop(self.processes["rasa"])
        self.processes["rasa"] = start_rasa_server(
            self.workdir, self.port, self.endpoints, self.env, *self.rasa_args
        )

    def stop_actions(self) -> None:
        """Stop the action server (as a crash or a deploy would)."""
        stop(self.processes.pop("actions"))

    def start_actions(self) -> None:
        """Start the action server again on its port."""
        self.processes["actions"] = start_action_server(self.workdir, self.actions_port, self.env)

    def say(self, sender: str, text: str, timeout: float = 30) -> list[dict[str, Any]]:
        """One visitor message; a 429 (the shared loopback address) is waited out, twice at most.

        Every simulated visitor shares 127.0.0.1, so a long set meets the per-address
        limit (a moving window): its Retry-After is waited out in full.
        """
        for _ in range(3):
            reply = requests.post(
                f"{self.url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text},
                timeout=timeout,
            )
            if reply.status_code != 429:
                break
            time.sleep(min(float(reply.headers.get("Retry-After", "1")), 60.0))
        reply.raise_for_status()
        return list(reply.json())

    def text_of(self, sender: str, text: str) -> str:
        return "\n".join(message.get("text", "") for message in self.say(sender, text))


def spawn(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    return subprocess.Popen(args, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, env=env)


def write_endpoints(workdir: Path, actions_port: int, extra: dict[str, Any] | None = None) -> Path:
    text = (ROOT / "endpoints.yml").read_text(encoding="utf-8")
    endpoints = endpoints_file.with_action_port(endpoints_file.load(text), actions_port)
    endpoints["tracker_store"]["db"] = str(workdir / "trackers.db")
    endpoints.update(extra or {})
    path = workdir / "endpoints.yml"
    path.write_text(endpoints_file.dump(endpoints), encoding="utf-8")
    return path


def start_web_app(
    workdir: Path, port: int, rasa_url: str, env: dict[str, str]
) -> subprocess.Popen[bytes]:
    """The clinic's web app (page, widget, chat sessions, calendars) on `port`."""
    log = workdir / "web.log"
    args = [sys.executable, "-m", "web.app", "--port", str(port), "--rasa-url", rasa_url]
    process = spawn(args, log, env)
    wait_for(f"http://127.0.0.1:{port}/", process, log, timeout=60)
    return process


def start_action_server(workdir: Path, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = workdir / "actions.log"
    args = [sys.executable, "-m", "actions.server", "--port", str(port)]
    process = spawn(args, log, env)
    wait_for(f"http://127.0.0.1:{port}/health", process, log)
    return process


def start_rasa_server(
    workdir: Path, port: int, endpoints: Path, env: dict[str, str], *extra_args: str
) -> subprocess.Popen[bytes]:
    log = workdir / f"rasa-{port}.log"
    args = [*RASA, "run", "--port", str(port), "--endpoints", str(endpoints)]
    args += ["--credentials", str(ROOT / "credentials.yml"), *extra_args]
    process = spawn(args, log, env)
    wait_for(f"http://127.0.0.1:{port}/webhooks/rest/", process, log, timeout=180)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_bot(
    workdir: Path,
    with_actions: bool = True,
    extra_env: dict[str, str] | None = None,
    rasa_args: tuple[str, ...] = (),
    endpoints_extra: dict[str, Any] | None = None,
) -> Iterator[RunningBot]:
    """The trained model in models/, served on loopback with a private SQLite tracker store.

    `endpoints_extra` adds or replaces sections of endpoints.yml (e.g. a lock store).
    """
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0", **(extra_env or {})}
    env = with_action_token(env)
    # No staff console unless a test starts one (tests/support/live_chat.py): the
    # action server then offers a callback, and never asks whatever runs on :8080.
    env.setdefault("STAFF_CONSOLE_URL", "http://127.0.0.1:9")
    actions_port = free_port()
    endpoints = write_endpoints(workdir, actions_port, endpoints_extra)
    bot = RunningBot(
        workdir=workdir,
        port=free_port(),
        endpoints=endpoints,
        env=env,
        rasa_args=rasa_args,
        actions_port=actions_port,
    )
    try:
        if with_actions:
            bot.processes["actions"] = start_action_server(workdir, actions_port, env)
        bot.processes["rasa"] = start_rasa_server(workdir, bot.port, endpoints, env, *rasa_args)
        yield bot
    finally:
        for process in bot.processes.values():
            stop(process)

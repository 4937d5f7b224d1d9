"""The three deploy images, assembled as their Dockerfiles build them, start and work together.

No Docker engine runs here (tests/deploy/assembly.py says what is and is not
reproduced). Each image's files are placed exactly as its COPY lines place
them, its packages are only those the image installs, and what its
ENTRYPOINT/CMD runs is started: the action server, the Rasa server on the
production profile (this machine's PostgreSQL, Redis and RabbitMQ), and the
web app, each talking to the others over loopback.
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.deploy.assembly import AssembledImage, ImageBuildError, assemble
from tests.support.cluster import _broker_queue, fresh_database, production_env
from tests.support.servers import ROOT, free_port, stop, wait_for

DEPLOY = ROOT / "deploy"
TOKEN = secrets.token_urlsafe(32)
CHAT_KEY = secrets.token_urlsafe(48)


@dataclass
class Started:
    image: AssembledImage
    process: subprocess.Popen[bytes]
    url: str
    log: Path


def _with_port(args: list[str], port: int) -> list[str]:
    changed = list(args)
    changed[changed.index("--port") + 1] = str(port)
    return changed


@contextmanager
def _serving(
    image: AssembledImage,
    log: Path,
    env: dict[str, str],
    port: int,
    ready_path: str,
    args: list[str] | None = None,
) -> Iterator[Started]:
    """The image's command running until the block ends, once `ready_path` answers."""
    process = image.start(log, env, args)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}{ready_path}", process, log, timeout=240)
        yield Started(image, process, url, log)
    finally:
        stop(process)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("images")


@pytest.fixture(scope="module")
def actions(workdir: Path) -> Iterator[Started]:
    image = assemble(DEPLOY / "actions.Dockerfile", workdir / "actions", workdir / "actions.log")
    port = free_port()
    env = image.environment({"ACTION_SERVER_TOKEN": TOKEN})
    args = _with_port(image.stage.cmd, port)
    with _serving(image, workdir / "actions.log", env, port, "/health", args) as started:
        yield started


@pytest.fixture(scope="module")
def rasa(workdir: Path, actions: Started) -> Iterator[Started]:
    run_id = uuid.uuid4().hex[:12]
    env = production_env(
        {
            "ACTION_SERVER_URL": f"{actions.url}/webhook",
            "ACTION_SERVER_TOKEN": TOKEN,
            "CHAT_SESSION_KEY": CHAT_KEY,
            "RABBITMQ_EXCHANGE": f"clinicbot_image_{run_id}",
            "RABBITMQ_QUEUE": f"clinicbot_image_{run_id}",
        }
    )
    image = assemble(DEPLOY / "rasa.Dockerfile", workdir / "rasa", workdir / "rasa.log")
    port = free_port()
    with fresh_database(env) as database:
        keep = {key: env[key] for key in env if key.startswith(("DB_", "REDIS_", "RABBITMQ_"))}
        run_env = image.environment({**keep, "DB_NAME": database})
        run_env.update(
            {
                "ACTION_SERVER_URL": env["ACTION_SERVER_URL"],
                "ACTION_SERVER_TOKEN": TOKEN,
                "CHAT_SESSION_KEY": CHAT_KEY,
                "SANIC_KEEP_ALIVE_TIMEOUT": "120",
            }
        )
        args = _with_port(image.stage.cmd, port)
        try:
            with _serving(
                image, workdir / "rasa.log", run_env, port, "/webhooks/rest/", args
            ) as up:
                yield up
        finally:
            asyncio.run(_broker_queue(env, delete=True))


@pytest.fixture(scope="module")
def web(workdir: Path, rasa: Started) -> Iterator[Started]:
    image = assemble(DEPLOY / "web.Dockerfile", workdir / "web", workdir / "web.log")
    port = free_port()
    env = image.environment(
        {"WEB_PORT": str(port), "RASA_URL": rasa.url, "CHAT_SESSION_KEY": CHAT_KEY}
    )
    with _serving(image, workdir / "web.log", env, port, "/") as started:
        yield started


def _say(rasa: Started, sender: str, text: str) -> str:
    reply = requests.post(
        f"{rasa.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
    )
    reply.raise_for_status()
    return "\n".join(message.get("text", "") for message in reply.json())


def test_the_action_server_image_runs_the_guarded_server(actions: Started) -> None:
    call = {
        "next_action": "action_default_ask_rephrase",
        "sender_id": "visitor",
        "tracker": {"sender_id": "visitor", "slots": {}, "events": [], "latest_message": {}},
        "domain": {},
    }
    refused = requests.post(f"{actions.url}/webhook", json=call, timeout=10)
    answered = requests.post(
        f"{actions.url}/webhook", json=call, headers={"X-Action-Token": TOKEN}, timeout=10
    )
    assert refused.status_code == 401
    assert answered.status_code == 200 and answered.json()["responses"]


def test_the_rasa_image_answers_from_its_own_model_on_the_production_profile(rasa: Started) -> None:
    assert "minimally invasive" in _say(rasa, "image-visitor", "what is mesotherapy?")
    assert (rasa.image.workdir / "models" / "clinicbot.tar.gz").is_file()


def test_the_rasa_image_plans_through_the_action_server_image(rasa: Started) -> None:
    _say(rasa, "image-planner", "plan my sessions")
    assert "How many sessions" in _say(rasa, "image-planner", "next Monday")


def test_the_rasa_image_serves_only_the_guarded_channels(rasa: Started) -> None:
    credentials = (rasa.image.workdir / "var" / "credentials.yml").read_text(encoding="utf-8")
    assert "rasa_ext.channels.guarded.GuardedRestInput" in credentials
    assert "rasa_ext.channels.guarded.BoundSocketIOInput" in credentials
    refused = requests.get(f"{rasa.url}/socket.io/?EIO=4&transport=polling", timeout=10)
    assert refused.status_code in (200, 400)  # the socket.io server of the guarded channel


def test_the_web_image_serves_the_page_the_widget_and_chat_sessions(web: Started) -> None:
    page = requests.get(f"{web.url}/", timeout=10)
    widget = requests.get(f"{web.url}/static/chat.js", timeout=10)
    component = requests.get(f"{web.url}/static/deep-chat.js", timeout=10)
    session = requests.post(f"{web.url}/chat/session", timeout=10)
    health = requests.get(f"{web.url}/health", timeout=10)
    assert page.status_code == 200 and "clinic-chat" in page.text
    assert widget.status_code == 200 and "auth: {token: token}" in widget.text
    assert component.status_code == 200 and "deep-chat" in component.text
    assert session.status_code == 200 and session.json()["token"]
    assert health.status_code == 200, health.text


def test_an_image_missing_one_copy_line_fails_to_start(tmp_path: Path) -> None:
    """The check is real: drop `COPY clinic/` from the action server's Dockerfile."""
    original = DEPLOY / "actions.Dockerfile"
    broken = tmp_path / "actions.Dockerfile"
    lines = original.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("COPY --chown=1001:0 clinic/ clinic/")]
    assert len(kept) == len(lines) - 1
    broken.write_text("\n".join(kept) + "\n", encoding="utf-8")
    shutil.copy(original.with_name("actions.Dockerfile.dockerignore"), tmp_path)
    image = assemble(broken, tmp_path / "root", tmp_path / "build.log")
    log = tmp_path / "run.log"
    env = image.environment({"ACTION_SERVER_TOKEN": TOKEN})
    process = image.start(log, env, _with_port(image.stage.cmd, free_port()))
    assert process.wait(timeout=60) != 0
    assert "No module named 'clinic'" in log.read_text(encoding="utf-8")


def test_a_copy_source_outside_the_build_context_is_refused(tmp_path: Path) -> None:
    dockerfile = tmp_path / "actions.Dockerfile"
    text = (DEPLOY / "actions.Dockerfile").read_text(encoding="utf-8")
    dockerfile.write_text(text + "COPY README.md ./\n", encoding="utf-8")
    shutil.copy(DEPLOY / "actions.Dockerfile.dockerignore", tmp_path)
    with pytest.raises(ImageBuildError, match=r"README\.md: not in the build context"):
        assemble(dockerfile, tmp_path / "root", tmp_path / "build.log")

"""Systems under test: this project's bot, the same data on `rasa init` settings, the floor.

Each runs as real processes on loopback ports, as in production (action
server on, SQLite tracker store), from a private folder under build/bench/.
The per-visitor and per-address rate limits are switched off (a private copy
of clinic.yml): a closed loop from one address is exactly what they refuse.
"stock" also gets Rasa's own REST and socket.io channels. "rasa-floor" is the
least any Rasa bot costs: stock Rasa (this venv's, without the project's
patches) with a keyword classifier, rules only, the in-memory tracker store, no
action server, and Rasa's own REST channel.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.support.servers import (
    ROOT,
    free_port,
    spawn,
    start_action_server,
    stop,
    with_action_token,
    write_endpoints,
)

# This project's `rasa` command: Rasa with the project's patches (rasa_ext/__main__.py).
RASA = [sys.executable, "-m", "rasa_ext"]
WORK = ROOT / "build" / "bench"
# Stock Rasa as `pip install rasa==3.6.21` gives it today, without this project's
# pins (jsonschema 3.2 among them): the baseline the project is measured against.
STOCK_VENV = ROOT / "build" / "stock-venv"
REDIS_HOST = "127.0.0.1"
STOCK_CONFIG_SOURCE = "rasa/engine/recipes/config_files/default_config.yml"
STOCK_CREDENTIALS: dict[str, Any] = {
    "rest": None,
    "socketio": {
        "user_message_evt": "user_uttered",
        "bot_message_evt": "bot_uttered",
        "session_persistence": True,
    },
}


def without_rate_limits(workdir: Path) -> Path:
    """A copy of clinic.yml with the channels' rate limits off, for load runs."""
    clinic = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))
    limits = clinic.setdefault("input_limits", {})
    limits["per_visitor"] = {"burst": 0, "per_minute": 1}
    limits["per_address"] = {"burst": 0, "per_minute": 1}
    path = workdir / "clinic.yml"
    path.write_text(yaml.safe_dump(clinic, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@dataclass
class System:
    """A started system: its URL, its processes, and when it was launched."""

    name: str
    url: str
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    launched_at: float = 0.0

    def peak_rss_mb(self) -> dict[str, float]:
        """Peak resident memory (VmHWM) of each role, in MB: its largest process.

        With several Sanic workers, each worker is a child process with its own model.
        """
        return self._memory_mb("VmHWM")

    def rss_mb(self) -> dict[str, float]:
        """Resident memory now (VmRSS) of each role, in MB: its largest process."""
        return self._memory_mb("VmRSS")

    def _memory_mb(self, field: str) -> dict[str, float]:
        return {
            role: round(
                max(_status_kb(pid, field) for pid in _with_descendants(process.pid)) / 1024, 1
            )
            for role, process in self.processes.items()
        }

    def stop(self) -> None:
        for process in self.processes.values():
            stop(process)


def _status_kb(pid: int, field: str) -> int:
    """A memory figure of /proc/<pid>/status (`VmRSS`, `VmHWM`), in kB."""
    return status_kb(Path(f"/proc/{pid}/status").read_text(encoding="utf-8"), field)


def status_kb(status: str, field: str) -> int:
    """The kB figure of `field` in the text of a /proc/<pid>/status file."""
    line = next(line for line in status.splitlines() if line.startswith(f"{field}:"))
    return int(line.split()[1])


def _with_descendants(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text(encoding="utf-8").split()
        for child in children:
            pids += _with_descendants(int(child))
    return pids


def stock_config(path: Path) -> Path:
    """The configuration `rasa init` projects train with: Rasa's own default recipe file."""
    import rasa

    source = Path(rasa.__file__).parent.parent / STOCK_CONFIG_SOURCE
    config = yaml.safe_load(source.read_text(encoding="utf-8"))
    config["assistant_id"] = "bench-stock"
    path.parent.mkdir(parents=True, exist_ok=True)  # `make eval` may come first on a fresh clone
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def stock_rasa() -> tuple[list[str], dict[str, str]]:
    """The stock install's `rasa` (built on first use, about 3 minutes) and its key versions."""
    import rasa

    rasa_bin = STOCK_VENV / "bin" / "rasa"
    python = STOCK_VENV / "bin" / "python"
    if not rasa_bin.exists():
        shutil.rmtree(STOCK_VENV, ignore_errors=True)
        finder = ROOT / "scripts" / "find-python.sh"
        interpreter = subprocess.run([str(finder)], check=True, capture_output=True, text=True)
        subprocess.run([interpreter.stdout.strip(), "-m", "venv", str(STOCK_VENV)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                f"rasa=={rasa.__version__}",
            ],
            check=True,
        )
    script = (
        "import importlib.metadata as m, json; print(json.dumps({p: m.version(p) for p in "
        "('rasa', 'jsonschema', 'tensorflow', 'sanic', 'SQLAlchemy')}))"
    )
    versions = subprocess.run([str(python), "-c", script], check=True, capture_output=True)
    return [str(rasa_bin)], json.loads(versions.stdout)


def train(config: Path, out: Path, force: bool, rasa: list[str] = RASA) -> float:
    """Train on this project's data and domain; seconds taken."""
    out.mkdir(parents=True, exist_ok=True)
    args = [*rasa, "train", "--quiet", "--config", str(config), "--out", str(out)]
    began = time.perf_counter()
    subprocess.run(
        args + (["--force"] if force else []),
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - began


def latest_model(folder: Path) -> Path:
    models = sorted(folder.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    if not models:
        raise FileNotFoundError(f"no model in {folder}: train first")
    return models[-1]


def start_bot(
    name: str,
    model: Path,
    stock_tracker_store: bool,
    env: dict[str, str],
    workers: int = 1,
    rasa: list[str] = RASA,
    store_settings: dict[str, Any] | None = None,
) -> System:
    """Action server + Rasa server (REST and socket.io) on free ports; returns without waiting.

    With `workers` > 1, Rasa runs that many Sanic workers sharing the tracker
    store, with the Redis lock store (Rasa refuses several workers without it).
    `rasa` is the command: this project's, or the stock install's. The stock
    tracker store comes with Rasa's own REST and socket.io channels and Rasa's
    own response generator (the clinic's details stay as placeholders).
    `store_settings` are added to the project's tracker store (`cache_size`, ...).
    """
    workdir = WORK / name
    env = with_action_token(env)
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    actions_port, port = free_port(), free_port()
    extra: dict[str, Any] = {}
    if stock_tracker_store:
        extra["tracker_store"] = {
            "type": "SQL",
            "dialect": "sqlite",
            "db": str(workdir / "trackers.db"),
        }
        extra["nlg"] = None
    elif store_settings:
        written = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
        store = {**written["tracker_store"], "db": str(workdir / "trackers.db")}
        extra["tracker_store"] = {**store, **store_settings}
    if workers > 1:
        extra["lock_store"] = {"type": "redis", "url": REDIS_HOST, "port": 6379, "db": 1}
        env = {**env, "SANIC_WORKERS": str(workers)}
    endpoints = write_endpoints(workdir, actions_port, extra)
    env = {**env, "CLINIC_CONFIG": str(without_rate_limits(workdir))}
    credentials = ROOT / "credentials.yml"
    if stock_tracker_store:
        credentials = workdir / "credentials.yml"
        credentials.write_text(yaml.safe_dump(STOCK_CREDENTIALS), encoding="utf-8")
    system = System(name=name, url=f"http://127.0.0.1:{port}")
    system.processes["actions"] = start_action_server(workdir, actions_port, env)
    system.launched_at = time.perf_counter()
    args = [*rasa, "run", "--port", str(port), "--model", str(model)]
    args += ["--endpoints", str(endpoints), "--credentials", str(credentials)]
    system.processes["rasa"] = spawn(args, workdir / "rasa.log", env)
    return system


def start_floor(env: dict[str, str]) -> System:
    """The echo app: the cost of the round trip alone."""
    workdir = WORK / "floor"
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    system = System(name="floor", url=f"http://127.0.0.1:{port}")
    system.launched_at = time.perf_counter()
    system.processes["echo"] = spawn(
        [sys.executable, "-m", "bench.echo_server", "--port", str(port)],
        workdir / "echo.log",
        env,
    )
    return system


RASA_FLOOR = WORK / "rasa-floor"
# The smallest bot Rasa runs: three intents matched by keyword, three rules.
RASA_FLOOR_FILES: dict[str, dict[str, Any]] = {
    "config.yml": {
        "recipe": "default.v1",
        "language": "en",
        "assistant_id": "bench-rasa-floor",
        "pipeline": [{"name": "KeywordIntentClassifier"}],
        "policies": [{"name": "RulePolicy"}],
    },
    "domain.yml": {
        "version": "3.1",
        "intents": ["greet", "goodbye", "ask"],
        "responses": {
            "utter_greet": [{"text": "Hello!"}],
            "utter_goodbye": [{"text": "Goodbye!"}],
            "utter_answer": [{"text": "Here is an answer."}],
            # Said by Rasa's own fallback to words no keyword matches.
            "utter_default": [{"text": "Sorry, I didn't get that."}],
        },
        "session_config": {"session_expiration_time": 60},
    },
    "data/nlu.yml": {
        "version": "3.1",
        "nlu": [
            {"intent": "greet", "examples": "- hi\n- hello\n"},
            {"intent": "goodbye", "examples": "- bye\n- goodbye\n"},
            {"intent": "ask", "examples": "- what\n- how\n- can\n- is\n- plan\n- when\n"},
        ],
    },
    "data/rules.yml": {
        "version": "3.1",
        "rules": [
            {"rule": f"answer {intent}", "steps": [{"intent": intent}, {"action": action}]}
            for intent, action in (
                ("greet", "utter_greet"),
                ("goodbye", "utter_goodbye"),
                ("ask", "utter_answer"),
            )
        ],
    },
    "credentials.yml": {"rest": None},
    "endpoints.yml": {},
}
PLAIN_RASA = [sys.executable, "-m", "rasa"]


def rasa_floor_model() -> Path:
    """The minimal bot, written and trained on first use (a few seconds, then reused)."""
    for name, content in RASA_FLOOR_FILES.items():
        path = RASA_FLOOR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(content, sort_keys=False)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    models = RASA_FLOOR / "models"
    args = [*PLAIN_RASA, "train", "--quiet", "--config", "config.yml", "--domain", "domain.yml"]
    args += ["--data", "data", "--out", str(models)]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(args, cwd=RASA_FLOOR, check=True, **quiet)  # type: ignore[call-overload]
    return latest_model(models)


def start_rasa_floor(env: dict[str, str]) -> System:
    """Stock Rasa serving the minimal bot over its own REST channel, in-memory store."""
    model = rasa_floor_model()
    port = free_port()
    system = System(name="rasa-floor", url=f"http://127.0.0.1:{port}")
    system.launched_at = time.perf_counter()
    args = [*PLAIN_RASA, "run", "--port", str(port), "--model", str(model)]
    args += ["--endpoints", str(RASA_FLOOR / "endpoints.yml")]
    args += ["--credentials", str(RASA_FLOOR / "credentials.yml")]
    system.processes["rasa"] = spawn(args, RASA_FLOOR / "rasa.log", env)
    return system

"""Every Make target whose tests need a system tool (nginx, Chromium) installs it first.

A fresh machine has neither; a target that runs such tests without depending on
its setup target fails there, however well it runs on a machine that has them.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A call that shows a test file needs the tool, and the target that installs it. (The
# names are split here so that this file does not match them itself.)
_NGINX_CALLS = ["live_cluster", "production_cluster", "nginx_binary", "start_nginx"]
TOOLS = {
    "nginx": (re.compile(r"\b(?:" + "|".join(_NGINX_CALLS) + r")\("), "nginx-setup"),
    "chromium": (re.compile(r"\bsync_" r"playwright\(|\.chromium\." r"launch\("), "browser-setup"),
}  # fmt: skip
_TARGET = re.compile(r"^([a-z0-9-]+):([^=#]*?)(?:##.*)?$")
_PYTEST_PATH = re.compile(r"-m pytest ((?:tests/\S+\s*)+)")


def _targets() -> dict[str, tuple[set[str], list[str]]]:
    """Each target: its prerequisites and the lines of its recipe."""
    found: dict[str, tuple[set[str], list[str]]] = {}
    current = None
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        match = _TARGET.match(line)
        if match and not line.startswith("\t"):
            current = match[1]
            found[current] = (set(match[2].split()), [])
        elif line.startswith("\t") and current:
            found[current][1].append(line.strip())
    return found


def _needs(path: Path) -> set[str]:
    """The tools the tests under `path` start (their fixtures included)."""
    files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
    text = "\n".join(file.read_text(encoding="utf-8") for file in files)
    return {tool for tool, (pattern, _) in TOOLS.items() if pattern.search(text)}


def _with_prerequisites(target: str, targets: dict[str, tuple[set[str], list[str]]]) -> set[str]:
    reached, todo = set(), [target]
    while todo:
        name = todo.pop()
        if name in reached or name not in targets:
            continue
        reached.add(name)
        todo += list(targets[name][0])
    return reached


TARGETS = _targets()
TESTING = {
    name: paths
    for name, (_, recipe) in TARGETS.items()
    for line in recipe
    if (paths := _PYTEST_PATH.search(line))
}


@pytest.mark.parametrize("target", sorted(TESTING))
def test_a_target_installs_the_tools_its_tests_need(target: str) -> None:
    paths = TESTING[target][1].split()
    needed = set().union(*(_needs(ROOT / path) for path in paths))
    installs = _with_prerequisites(target, TARGETS)
    missing = {tool for tool in needed if TOOLS[tool][1] not in installs}
    assert not missing, f"make {target} runs tests that need {missing} without its setup target"


def test_the_scan_sees_the_tools_where_they_are_used() -> None:
    assert "nginx" in _needs(ROOT / "tests" / "faults")
    assert "chromium" in _needs(ROOT / "tests" / "browser")
    assert not _needs(ROOT / "tests" / "unit" / "clinic")


def test_the_model_stamp_takes_the_time_training_started() -> None:
    """Data edited while a model trains is newer than the stamp, so it trains again."""
    dry_run = ["make", "-n", "-B", "models/.trained"]
    output = subprocess.run(dry_run, cwd=ROOT, capture_output=True, text=True, check=True)
    lines = output.stdout.splitlines()
    started = next(i for i, line in enumerate(lines) if "touch models/.trained.started" in line)
    trains = next(i for i, line in enumerate(lines) if " train " in f"{line} ")
    stamped = next(i for i, line in enumerate(lines) if "mv models/.trained.started" in line)
    assert started < trains < stamped


def test_a_training_file_removed_trains_the_model_again(tmp_path: Path) -> None:
    """Removing a data file leaves no newer file behind, only a newer folder: `make train`
    must still see the model as stale (a model trained on a removed file misleads)."""
    for name in ["requirements.in", "requirements-dev.in", "constraints.txt", "pyproject.toml",
                 "rasa_ext/nlu/entity_patterns.yml", "rasa_ext/nlu/spacy_pipeline.py",
                 "config.yml", "domain.yml", "content/topics.yml", "content/details.yml",
                 "data/context/new.yml", "data/context/extra.yml", ".venv/.setup-complete",
                 "build/spacy-en-clinic/patterns.sha", "models/.trained"]:  # fmt: skip
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    (tmp_path / "Makefile").write_text((ROOT / "Makefile").read_text(encoding="utf-8"))
    # Every input older than the model: it is up to date.
    for path in [tmp_path, *tmp_path.rglob("*")]:
        os.utime(path, (1_000_000, 1_000_000))
    os.utime(tmp_path / "models/.trained", (2_000_000, 2_000_000))

    def stale() -> bool:
        question = ["make", "-q", "models/.trained", "ACTION_SERVER_TOKEN=x"]
        return subprocess.run(question, cwd=tmp_path, capture_output=True).returncode != 0

    assert not stale()
    (tmp_path / "data/context/extra.yml").unlink()  # the folder's time is now
    assert stale()

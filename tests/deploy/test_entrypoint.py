"""The Rasa image's entry point: credentials, CORS, the API only with a secret."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.deploy.files import (
    DEPLOY,
)


def test_rasa_entrypoint_is_valid_bash() -> None:
    result = subprocess.run(
        ["bash", "-n", str(DEPLOY / "rasa-entrypoint.sh")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


CHAT_KEY = "k" * 40


def _run_entrypoint(tmp_path: Path, env: dict[str, str], *args: str) -> list[str]:
    """Run the entry point with a stub `python` that prints what `-m rasa_ext` would get."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    stub = '#!/bin/sh\n[ "$2" = rasa_ext ] || exit 0\nshift 2\nprintf "%s\\n" "$@"\n'
    (bin_dir / "python").write_text(stub, encoding="utf-8")
    for stub in bin_dir.iterdir():
        stub.chmod(0o755)
    result = subprocess.run(
        ["bash", str(DEPLOY / "rasa-entrypoint.sh"), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", "CHAT_SESSION_KEY": CHAT_KEY, **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_entrypoint_opens_the_api_only_with_a_jwt_secret(tmp_path: Path) -> None:
    assert "--enable-api" not in _run_entrypoint(tmp_path, {}, "run", "--port", "5005")
    arguments = _run_entrypoint(
        tmp_path, {"RASA_ENABLE_API": "true", "RASA_JWT_SECRET": "s3"}, "run"
    )
    assert arguments[arguments.index("--jwt-secret") + 1] == "s3"
    refused = subprocess.run(
        ["bash", str(DEPLOY / "rasa-entrypoint.sh"), "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "RASA_ENABLE_API": "true", "CHAT_SESSION_KEY": CHAT_KEY},
    )
    assert refused.returncode != 0


def test_entrypoint_appends_cors_origins_from_the_environment(tmp_path: Path) -> None:
    arguments = _run_entrypoint(
        tmp_path, {"RASA_CORS_ORIGINS": "https://a.example https://b.example"}, "run"
    )
    assert arguments[-3:] == ["--cors", "https://a.example", "https://b.example"]


def test_entrypoint_refuses_to_run_without_the_shared_chat_session_key(tmp_path: Path) -> None:
    refused = subprocess.run(
        ["bash", str(DEPLOY / "rasa-entrypoint.sh"), "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert refused.returncode == 64 and "CHAT_SESSION_KEY" in refused.stderr


def test_entrypoint_hands_over_to_rasa_with_the_projects_patches(tmp_path: Path) -> None:
    assert _run_entrypoint(tmp_path, {}, "run", "--port", "5005")[:3] == ["run", "--port", "5005"]

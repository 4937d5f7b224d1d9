"""A clinic's assistant sends nothing anywhere by default: Rasa's telemetry is off in
every place that starts Rasa (docs/security.md, "Nothing sent anywhere")."""

from __future__ import annotations

import os
import sys
import types

import pytest
import yaml

from rasa_ext import __main__ as rasa_command
from rasa_ext import patches
from tests.deploy.files import COMPOSE, HELM_VALUES, RASA_DOCKERFILE, dockerfile_instructions
from tests.support.servers import ROOT


def test_the_makefile_exports_it_off() -> None:
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    assert "export RASA_TELEMETRY_ENABLED ?= false" in lines


def test_the_rasa_command_turns_it_off_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """`python -m rasa_ext` (the Makefile, scripts, tests, the image): off by default."""
    seen: list[str | None] = []

    def rasa_main() -> None:
        seen.append(os.environ.get("RASA_TELEMETRY_ENABLED"))

    fake = types.ModuleType("rasa.__main__")
    fake.main = rasa_main
    monkeypatch.setitem(sys.modules, "rasa.__main__", fake)
    monkeypatch.setattr(patches, "install", lambda: None)
    monkeypatch.setattr(sys, "argv", ["rasa_ext", "--version"])

    monkeypatch.delenv("RASA_TELEMETRY_ENABLED", raising=False)
    rasa_command.main()
    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "true")  # a clinic that opts in, on purpose
    rasa_command.main()
    assert seen == ["false", "true"]


def test_the_rasa_image_sets_it_off() -> None:
    env = " ".join(
        rest for keyword, rest in dockerfile_instructions(RASA_DOCKERFILE) if keyword == "ENV"
    )
    assert "RASA_TELEMETRY_ENABLED=false" in env.split()


def test_compose_sets_it_off_for_every_service_running_rasa() -> None:
    services = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    running_rasa = [
        name
        for name, service in services.items()
        if service.get("build", {}).get("dockerfile") == "deploy/rasa.Dockerfile"
    ]
    assert running_rasa == ["rasa"]
    for name in running_rasa:
        assert services[name]["environment"]["RASA_TELEMETRY_ENABLED"] == "false", name


def test_the_helm_values_set_it_off() -> None:
    """RasaHQ's chart writes RASA_TELEMETRY_ENABLED from applicationSettings.telemetry.enabled;
    extraEnv must not set it back on."""
    values = yaml.safe_load(HELM_VALUES.read_text(encoding="utf-8"))
    assert values["applicationSettings"]["telemetry"]["enabled"] is False
    extra = {item["name"]: item.get("value") for item in values.get("extraEnv", [])}
    assert extra.get("RASA_TELEMETRY_ENABLED", "false") == "false"

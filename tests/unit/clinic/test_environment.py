"""Environment variables are read in one place, cast, defaulted, and explained when wrong."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from clinic import environment
from clinic.environment import PROJECT_ROOT, EnvironmentVariableError
from tests.deploy.files import (
    ACTION_SERVER_VALUES,
    COMPOSE,
    HELM_VALUES,
    endpoint_variables,
    env_example_keys,
    load_yaml,
    placeholders,
    service_environment,
)
from tests.support.servers import ROOT


def test_an_unset_or_empty_variable_gives_its_default() -> None:
    assert environment.WEB_PORT.get({}) == 8080
    assert environment.WEB_PORT.get({"WEB_PORT": "  "}) == 8080
    assert environment.CALENDAR_DIR.get({}) == PROJECT_ROOT / "var" / "calendars"
    assert environment.RASA_INTERNAL_URL.get({}) is None
    assert environment.CLINIC_TODAY.get({}) is None


def test_a_set_variable_is_cast_to_its_type() -> None:
    assert environment.WEB_PORT.get({"WEB_PORT": " 9090 "}) == 9090
    assert environment.ACTION_SERVER_TIMEOUT.get({"ACTION_SERVER_TIMEOUT": "2.5"}) == 2.5
    assert environment.CALENDAR_DIR.get({"CALENDAR_DIR": "/tmp/ics"}) == Path("/tmp/ics")
    assert environment.CLINIC_TODAY.get({"CLINIC_TODAY": "2026-12-24"}) == date(2026, 12, 24)
    assert environment.RASA_TELEMETRY_ENABLED.get({"RASA_TELEMETRY_ENABLED": "True"}) is True
    assert environment.RASA_TELEMETRY_ENABLED.get({"RASA_TELEMETRY_ENABLED": "no"}) is False


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (environment.WEB_PORT, "eighty", "WEB_PORT must be a whole number, not 'eighty'"),
        (environment.WEB_PROXIES, "1.5", "WEB_PROXIES must be a whole number, not '1.5'"),
        (
            environment.ACTION_SERVER_TIMEOUT,
            "10s",
            "ACTION_SERVER_TIMEOUT must be a number, not '10s'",
        ),
        (
            environment.CLINIC_TODAY,
            "24/12/2026",
            "CLINIC_TODAY must be a date like 2026-12-24, not '24/12/2026'",
        ),
        (
            environment.RASA_TELEMETRY_ENABLED,
            "maybe",
            "RASA_TELEMETRY_ENABLED must be true or false, not 'maybe'",
        ),
    ],
)
def test_a_bad_value_names_the_variable_and_what_it_must_be(
    variable: environment.Variable[object], value: str, message: str
) -> None:
    with pytest.raises(EnvironmentVariableError) as raised:
        variable.get({variable.name: value})
    assert str(raised.value) == message


def test_a_variable_set_at_run_time_takes_effect(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALENDAR_DIR", "/srv/calendars")
    assert environment.CALENDAR_DIR.get() == Path("/srv/calendars")
    monkeypatch.delenv("CALENDAR_DIR")
    assert environment.CALENDAR_DIR.get() == PROJECT_ROOT / "var" / "calendars"


def test_set_default_keeps_a_value_already_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "true")
    environment.RASA_TELEMETRY_ENABLED.set_default("false")
    assert environment.RASA_TELEMETRY_ENABLED.get() is True
    monkeypatch.delenv("RASA_TELEMETRY_ENABLED")
    environment.RASA_TELEMETRY_ENABLED.set_default("false")
    assert environment.RASA_TELEMETRY_ENABLED.get() is False


def test_each_variable_is_declared_once_under_its_own_name() -> None:
    names = [variable.name for variable in environment.VARIABLES]
    assert len(names) == len(set(names))
    for variable in environment.VARIABLES:
        assert getattr(environment, variable.name) is variable


def _documented_table() -> str:
    text = (ROOT / "docs" / "environment.md").read_text(encoding="utf-8")
    start = text.index("<!-- table: python -m clinic.environment -->\n")
    return text[text.index("\n", start) + 1 : text.index("<!-- end of table -->")]


def test_the_docs_table_lists_exactly_the_declared_variables() -> None:
    listed = re.findall(r"^\| `(\w+)` \|", _documented_table(), flags=re.MULTILINE)
    declared = [variable.name for variable in environment.VARIABLES]
    assert sorted(set(listed) - set(declared)) == [], "listed in docs/environment.md only"
    assert sorted(set(declared) - set(listed)) == [], "declared in clinic/environment.py only"
    assert len(listed) == len(set(listed))


def test_the_docs_table_is_the_one_the_module_prints() -> None:
    assert _documented_table() == environment.table(), (
        "docs/environment.md is out of date: paste `python -m clinic.environment` into it"
    )


def test_every_variable_the_deploy_files_set_is_declared() -> None:
    services = load_yaml(COMPOSE)["services"]
    used = endpoint_variables() | placeholders(ROOT / "endpoints.yml") | env_example_keys()
    for name in ("rasa", "actions", "web"):
        used |= set(service_environment(services[name]))
    for values in (HELM_VALUES, ACTION_SERVER_VALUES):
        used |= {item["name"] for item in load_yaml(values)["extraEnv"]}
    declared = {variable.name for variable in environment.VARIABLES}
    assert sorted(used - declared) == []


def _reads_environment(node: ast.AST) -> bool:
    """`os.environ` or `os.getenv` used for anything but handing the whole of it on."""
    return isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}


def test_only_the_environment_module_reads_environment_variables() -> None:
    readers = []
    for package in ("clinic", "rasa_ext", "actions", "staff", "web", "bench"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "clinic" / "environment.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            handed_on = {
                id(value)
                for node in ast.walk(tree)
                if isinstance(node, ast.Dict)
                for key, value in zip(node.keys, node.values, strict=True)
                if key is None  # {**os.environ, ...}: the environment for a child process
            }
            readers += [
                f"{path.relative_to(ROOT)}:{node.lineno}"
                for node in ast.walk(tree)
                if _reads_environment(node) and id(node) not in handed_on
            ]
    assert readers == [], "read the variable through clinic/environment.py"

"""The clinic's details come from clinic.yml, and every placeholder in a response is filled."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from clinic.messages import message_keys
from clinic.settings import (
    ClinicSettingsError,
    load_clinic_settings,
    parse_clinic_settings,
)
from tests.support.servers import ROOT


def _raw() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))


def _all_response_texts() -> list[str]:
    texts = []
    sources = [ROOT / "domain.yml", *(ROOT / "data").rglob("*.yml")]
    for path in sources:
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
        for variations in responses.values():
            texts.extend(variation.get("text", "") for variation in variations)
    return texts


def _message_texts() -> list[str]:
    return [_message_template(key) for key in message_keys()]


def _message_template(key: str) -> str:
    for path in (ROOT / "clinic" / "messages").glob("*.yml"):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        if key in loaded:
            return str(loaded[key]["text"])
    raise KeyError(key)


def test_clinic_yml_loads_with_open_days_as_weekday_numbers() -> None:
    settings = load_clinic_settings(str(ROOT / "clinic.yml"))
    assert settings.open_weekdays == frozenset({0, 1, 2, 3, 4, 5})
    assert 3 <= settings.planner.example_session_count <= 15


def test_every_placeholder_in_a_response_is_a_clinic_value_or_a_slot() -> None:
    known = set(parse_clinic_settings(_raw()).response_variables())
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    known |= set(domain.get("slots") or {})
    used = {name for text in _all_response_texts() for name in re.findall(r"{(\w+)}", text)}
    assert used - known == set()


def test_every_clinic_placeholder_in_a_message_is_a_clinic_value() -> None:
    known = set(parse_clinic_settings(_raw()).response_variables())
    used = {name for text in _message_texts() for name in re.findall(r"{(clinic_\w+)}", text)}
    assert used - known == set()


def test_no_response_copies_the_clinic_phone_or_email() -> None:
    settings = parse_clinic_settings(_raw())
    for text in _all_response_texts() + _message_texts():
        assert settings.phone not in text
        assert settings.email not in text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"phone": ""}, "'phone'"),
        ({"open_days": ["funday"]}, "unknown day 'funday'"),
        ({"open_days": []}, "at least one weekday"),
        ({"planner": {"example_session_count": 40}}, "example_session_count"),
        ({"input_limits": {"max_message_chars": 5}}, "input_limits.max_message_chars"),
        ({"input_limits": {"per_visitor": {"burst": -1}}}, "input_limits.per_visitor.burst"),
        ({"input_limits": {"per_address": "lots"}}, "per_address"),
    ],
)
def test_a_bad_clinic_yml_says_what_to_fix(change: dict[str, Any], message: str) -> None:
    raw = {**_raw(), **change}
    with pytest.raises(ClinicSettingsError, match=message):
        parse_clinic_settings(raw)


def test_input_limits_come_from_clinic_yml_with_safe_defaults() -> None:
    limits = parse_clinic_settings(_raw()).input_limits
    assert limits.max_message_chars == 1000 and limits.max_request_kb == 256
    assert limits.visitor_burst > 0 and limits.address_burst > 0
    without = {key: value for key, value in _raw().items() if key != "input_limits"}
    assert parse_clinic_settings(without).input_limits == limits


def test_missing_clinic_yml_names_the_path_and_the_env_var(tmp_path: Path) -> None:
    with pytest.raises(ClinicSettingsError, match="CLINIC_CONFIG"):
        load_clinic_settings(str(tmp_path / "nowhere.yml"))

"""The clinic's details come from clinic.yml, and every placeholder in a response is filled."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from clinic.messages import message_keys
from clinic.settings import (
    ClinicSettingsError,
    load_clinic_settings,
    parse_clinic_settings,
    read_clinic_yaml,
    today,
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
        (
            {"planner": {"example_session_count": "six", "sun_buffer_days": 3}},
            "planner.example_session_count must be a whole number from 3 to 15, not 'six'",
        ),
        (
            {"planner": {"example_session_count": 40, "sun_buffer_days": 3}},
            "planner.example_session_count must be a whole number from 3 to 15, not 40",
        ),
        (
            {"planner": {"example_session_count": 6.5, "sun_buffer_days": 3}},
            "planner.example_session_count must be a whole number from 3 to 15, not 6.5",
        ),
        (
            {"planner": {"example_session_count": 6, "sun_buffer_days": 3}},
            "planner.treatment_buffer_days is missing: it must be a whole number from 7 to 60",
        ),
        (
            {"planner": "six sessions"},
            "planner must be a mapping of example_session_count, sun_buffer_days, "
            "treatment_buffer_days, not 'six sessions'",
        ),
        ({"phone": ""}, "phone must be filled-in text (numbers in quotes), not ''"),
        ({"phone": 2070000000}, "phone must be filled-in text (numbers in quotes), not 2070000000"),
        ({"email": None}, "email is missing: it must be filled-in text (numbers in quotes)"),
        (
            {"open_days": ["monday", "funday"]},
            "open_days has an unknown day 'funday'; use monday, tuesday, wednesday, thursday, "
            "friday, saturday, sunday",
        ),
        ({"open_days": []}, "open_days must list at least one weekday, e.g. [monday], not []"),
        (
            {"input_limits": {"max_message_chars": 5}},
            "input_limits.max_message_chars must be a whole number from 20 to 100000, not 5",
        ),
        (
            {"input_limits": {"per_visitor": {"burst": -1}}},
            "input_limits.per_visitor.burst must be a whole number from 0 to 1000000, not -1",
        ),
        (
            {"input_limits": {"per_address": "lots"}},
            "input_limits.per_address must be a mapping of burst, per_minute, not 'lots'",
        ),
        ({"retention_days": "forever"}, "retention_days must be a whole number from 1 to 3650"),
        (
            {"phone_region": "United Kingdom"},
            "phone_region must be a two-letter country code such as GB, not 'United Kingdom'",
        ),
        (
            {"input_limits": {"per_visiter": {"burst": 5}}},
            "input_limits.per_visiter is not a setting; input_limits takes max_message_chars, "
            "max_request_kb, per_visitor, per_address",
        ),
        (
            {"closures": [{"on": "2026-12-24", "until": "2026-12-27", "reason": "Christmas"}]},
            "closures entry 1: until is not a setting; closures entry 1 takes on, from, to, reason",
        ),
        (
            {"closures": [{"on": "2026-12-24", "reason": "Christmas Eve"}, {"on": "24/12/2026"}]},
            "closures entry 2: on must be a date like 2026-12-24, not '24/12/2026'",
        ),
    ],
)
def test_a_bad_clinic_yml_says_which_key_and_what_it_must_be(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ClinicSettingsError) as raised:
        parse_clinic_settings({**_raw(), **change})
    assert str(raised.value).startswith(f"clinic.yml: {message}")


def test_an_empty_section_means_its_defaults() -> None:
    settings = parse_clinic_settings({**_raw(), "input_limits": None, "closures": None})
    assert settings.input_limits == parse_clinic_settings(_raw()).input_limits
    assert settings.closed_days.closures == ()


def test_settings_cannot_be_changed_once_read() -> None:
    settings = parse_clinic_settings(_raw())
    with pytest.raises(TypeError):
        settings.phone = "0800 000 000"  # type: ignore[misc]


def test_input_limits_come_from_clinic_yml_with_safe_defaults() -> None:
    limits = parse_clinic_settings(_raw()).input_limits
    assert limits.max_message_chars == 1000 and limits.max_request_kb == 256
    assert limits.visitor_burst == limits.per_visitor.burst == 20
    assert limits.address_per_minute == limits.per_address.per_minute == 600
    without = {key: value for key, value in _raw().items() if key != "input_limits"}
    assert parse_clinic_settings(without).input_limits == limits


def test_missing_clinic_yml_names_the_path_and_the_env_var(tmp_path: Path) -> None:
    with pytest.raises(ClinicSettingsError, match="CLINIC_CONFIG"):
        load_clinic_settings(str(tmp_path / "nowhere.yml"))


def test_clinic_yml_that_is_not_yaml_says_so(tmp_path: Path) -> None:
    broken = tmp_path / "clinic.yml"
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ClinicSettingsError, match="is not valid YAML"):
        load_clinic_settings(str(broken))


def test_clinic_config_set_at_run_time_chooses_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "clinic.yml"
    other.write_text(yaml.safe_dump({**_raw(), "name": "Another Clinic"}), encoding="utf-8")
    monkeypatch.setenv("CLINIC_CONFIG", str(other))
    assert read_clinic_yaml()["name"] == "Another Clinic"


def test_clinic_today_fixes_the_date_for_demos(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_TODAY", "2026-12-24")
    assert today() == date(2026, 12, 24)
    monkeypatch.delenv("CLINIC_TODAY")
    assert today() == date.today()

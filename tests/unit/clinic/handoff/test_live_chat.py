"""Live-chat hours and waiting time from clinic.yml (clinic/handoff/live_chat.py)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from clinic.handoff.live_chat import load_live_chat, parse_live_chat
from clinic.settings import ClinicSettingsError

HOURS = {"monday": "09:00-12:30, 13:30-18:00", "saturday": "10:00-14:00"}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def test_hours_are_read_in_the_clinics_time_zone() -> None:
    settings = parse_live_chat({"time_zone": "Europe/London", "hours": HOURS})
    # 2026-12-07 is a Monday (GMT = UTC); 2026-06-01 is a Monday in BST (UTC+1).
    assert settings.is_open(utc("2026-12-07T09:00:00"))
    assert not settings.is_open(utc("2026-12-07T12:45:00"))  # lunch
    assert not settings.is_open(utc("2026-12-07T18:00:00"))  # closes at 18:00
    assert settings.is_open(utc("2026-06-01T16:59:00"))  # 17:59 in London
    assert not settings.is_open(utc("2026-06-01T17:00:00"))  # 18:00 in London
    assert not settings.is_open(utc("2026-12-08T10:00:00"))  # Tuesday: no hours
    assert settings.is_open(utc("2026-12-12T13:59:00"))  # Saturday


def test_no_section_means_no_live_chat() -> None:
    settings = parse_live_chat(None)
    assert not settings.is_open(utc("2026-12-07T10:00:00")) and settings.wait_minutes == 3


@pytest.mark.parametrize(
    ("raw", "complaint"),
    [
        ({"hours": {"funday": "09:00-10:00"}}, "unknown day"),
        ({"hours": {"monday": "9am-5pm"}}, "must be like 09:00"),
        ({"hours": {"monday": "17:00-09:00"}}, "ends before it starts"),
        ({"hours": {"monday": "09:00"}}, "must be like 09:00-17:30"),
        ({"time_zone": "Mars/Olympus"}, "not a time zone"),
        ({"wait_minutes": 0}, "wait_minutes"),
        ({"wait_minutes": "soon"}, "wait_minutes"),
        ("yes", "must be a mapping"),
    ],
)
def test_bad_settings_say_what_is_wrong(raw: object, complaint: str) -> None:
    with pytest.raises(ClinicSettingsError, match=complaint):
        parse_live_chat(raw)


def test_the_clinics_own_file_has_live_chat_hours() -> None:
    settings = load_live_chat()
    assert settings.hours and 0.1 <= settings.wait_minutes <= 60

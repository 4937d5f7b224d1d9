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
        (
            {"hours": {"funday": "09:00-10:00"}},
            "live_chat.hours has an unknown day 'funday'; use monday, tuesday, wednesday, "
            "thursday, friday, saturday, sunday",
        ),
        (
            {"hours": {"monday": "9am-5pm"}},
            "live_chat.hours for monday must be like 09:00-17:30, not '9am-5pm'",
        ),
        (
            {"hours": {"monday": "17:00-09:00"}},
            "live_chat.hours for monday ends before it starts: '17:00-09:00'",
        ),
        ({"hours": {"monday": "09:00"}}, "live_chat.hours for monday must be like 09:00-17:30"),
        (
            {"time_zone": "Mars/Olympus"},
            "live_chat.time_zone must be a time zone such as Europe/London, not 'Mars/Olympus'",
        ),
        (
            {"wait_minutes": 0},
            "live_chat.wait_minutes must be a number of minutes from 0.1 to 60, not 0",
        ),
        (
            {"wait_minutes": "soon"},
            "live_chat.wait_minutes must be a number of minutes from 0.1 to 60, not 'soon'",
        ),
        (
            {"staff_timeout_seconds": 1},
            "live_chat.staff_timeout_seconds must be a number of seconds from 3 to 600, not 1",
        ),
        ("yes", "live_chat must be a mapping of time_zone, hours, wait_minutes"),
        (
            {"wait": 5},
            "live_chat.wait is not a setting; live_chat takes time_zone, hours, wait_minutes, "
            "staff_timeout_seconds",
        ),
    ],
)
def test_bad_settings_say_which_key_and_what_it_must_be(raw: object, complaint: str) -> None:
    with pytest.raises(ClinicSettingsError) as raised:
        parse_live_chat(raw)
    assert str(raised.value).startswith(f"clinic.yml: {complaint}")


def test_the_clinics_own_file_has_live_chat_hours() -> None:
    settings = load_live_chat()
    assert settings.hours and 0.1 <= settings.wait_minutes <= 60

"""When a visitor can chat with a person: the `live_chat` section of clinic.yml.

A chat is handed to the team only within the hours set here (in the clinic's
time zone) and only while a member of staff is signed in to the console and
marked available; a visitor nobody takes within `wait_minutes` is offered a
callback request instead. Rasa-free: the console (staff/live.py) decides with
it, and its tests need no server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clinic.rules import WEEKDAYS
from clinic.settings import ClinicSettingsError, read_clinic_yaml

DEFAULT_WAIT_MINUTES = 3
# A console that has not been heard from for this long counts as closed (the
# live page checks in every two seconds while it is open).
DEFAULT_STAFF_TIMEOUT_S = 30
# A widget visitor waiting for staff whose page has been gone this long has left (a
# reload reconnects within a second or two).
DEFAULT_VISITOR_GONE_S = 30


@dataclass(frozen=True)
class LiveChatSettings:
    """Opening hours for live chat, per weekday (0 = Monday), and how long a visitor waits."""

    time_zone: str = "Europe/London"
    hours: tuple[tuple[int, time, time], ...] = ()
    wait_minutes: float = DEFAULT_WAIT_MINUTES
    staff_timeout_s: float = DEFAULT_STAFF_TIMEOUT_S
    visitor_gone_s: float = DEFAULT_VISITOR_GONE_S

    def is_open(self, at: datetime) -> bool:
        """Whether `at` (any time zone; naive means UTC) is within the live-chat hours."""
        local = _aware(at).astimezone(ZoneInfo(self.time_zone))
        now = local.time()
        return any(day == local.weekday() and start <= now < end for day, start, end in self.hours)

    def is_open_now(self) -> bool:
        return self.is_open(datetime.now(timezone.utc))

    def describe_hours(self) -> str:
        """The hours as staff read them: "Monday 09:00–18:00, …" or that there are none."""
        if not self.hours:
            return "no live-chat hours are set"
        spans = sorted(self.hours)
        return ", ".join(
            f"{WEEKDAYS[day].capitalize()} {start:%H:%M}–{end:%H:%M}" for day, start, end in spans
        )


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)


def _clock(text: str, where: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError as error:
        raise ClinicSettingsError(
            f"clinic.yml: {where} must be like 09:00, not {text!r}"
        ) from error


def _hours(raw: Any) -> tuple[tuple[int, time, time], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise ClinicSettingsError("clinic.yml: live_chat.hours must map weekdays to hours.")
    found = []
    for name, span in raw.items():
        day = str(name).strip().lower()
        if day not in WEEKDAYS:
            raise ClinicSettingsError(f"clinic.yml: live_chat.hours has an unknown day {name!r}")
        for part in str(span or "").split(","):
            if not part.strip():
                continue
            start_text, sep, end_text = part.partition("-")
            where = f"live_chat.hours.{day}"
            if not sep:
                raise ClinicSettingsError(f"clinic.yml: {where} must be like 09:00-17:30")
            start, end = _clock(start_text, where), _clock(end_text, where)
            if end <= start:
                raise ClinicSettingsError(f"clinic.yml: {where} ends before it starts")
            found.append((WEEKDAYS.index(day), start, end))
    return tuple(found)


def parse_live_chat(raw: Any) -> LiveChatSettings:
    """The `live_chat` mapping of clinic.yml; no section means no live chat at all."""
    if raw is None:
        return LiveChatSettings()
    if not isinstance(raw, dict):
        raise ClinicSettingsError("clinic.yml: 'live_chat' must be a mapping.")
    zone = str(raw.get("time_zone") or "Europe/London").strip()
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ClinicSettingsError(
            f"clinic.yml: live_chat.time_zone {zone!r} is not a time zone such as Europe/London"
        ) from error
    wait = raw.get("wait_minutes", DEFAULT_WAIT_MINUTES)
    if isinstance(wait, bool) or not isinstance(wait, int | float) or not 0.1 <= wait <= 60:
        raise ClinicSettingsError("clinic.yml: live_chat.wait_minutes must be 0.1 to 60.")
    timeout = raw.get("staff_timeout_seconds", DEFAULT_STAFF_TIMEOUT_S)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 3 <= timeout <= 600:
        raise ClinicSettingsError("clinic.yml: live_chat.staff_timeout_seconds must be 3 to 600.")
    gone = raw.get("visitor_gone_seconds", DEFAULT_VISITOR_GONE_S)
    if isinstance(gone, bool) or not isinstance(gone, int | float) or not 3 <= gone <= 600:
        raise ClinicSettingsError("clinic.yml: live_chat.visitor_gone_seconds must be 3 to 600.")
    return LiveChatSettings(
        time_zone=zone,
        hours=_hours(raw.get("hours")),
        wait_minutes=wait,
        staff_timeout_s=timeout,
        visitor_gone_s=gone,
    )


@lru_cache(maxsize=4)
def load_live_chat(path: str | None = None) -> LiveChatSettings:
    """The live-chat settings of the clinic.yml that `load_clinic_settings` reads."""
    raw = read_clinic_yaml(path)
    return parse_live_chat(raw.get("live_chat") if isinstance(raw, dict) else None)

"""When a visitor can chat with a person: the `live_chat` section of clinic.yml.

A chat is handed to the team only within the hours set here (in the clinic's
time zone) and only while a member of staff is signed in to the console and
marked available; a visitor nobody takes within `wait_minutes` is offered a
callback request instead. Rasa-free: the console (staff/live.py) decides with
it, and its tests need no server.
"""

from __future__ import annotations

from datetime import datetime, time, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, validator

from clinic.rules import WEEKDAYS
from clinic.settings import Section, parse_section, read_clinic_yaml

DEFAULT_WAIT_MINUTES = 3
# A console that has not been heard from for this long counts as closed (the
# live page checks in every two seconds while it is open).
DEFAULT_STAFF_TIMEOUT_S = 30
# A widget visitor waiting for staff whose page has been gone this long has left (a
# reload reconnects within a second or two).
DEFAULT_VISITOR_GONE_S = 30


class LiveChatSettings(Section):
    """Opening hours for live chat, per weekday (0 = Monday), and how long a visitor waits.

    In clinic.yml `hours` maps weekdays to spans ("09:00-12:30, 13:30-18:00");
    here it is a tuple of (weekday, start, end).
    """

    time_zone: str = "Europe/London"
    hours: tuple[tuple[int, time, time], ...] = ()
    wait_minutes: float = Field(
        DEFAULT_WAIT_MINUTES, ge=0.1, le=60, expected="a number of minutes from 0.1 to 60"
    )
    staff_timeout_s: float = Field(
        DEFAULT_STAFF_TIMEOUT_S,
        ge=3,
        le=600,
        alias="staff_timeout_seconds",
        expected="a number of seconds from 3 to 600",
    )
    visitor_gone_s: float = Field(
        DEFAULT_VISITOR_GONE_S,
        ge=3,
        le=600,
        alias="visitor_gone_seconds",
        expected="a number of seconds from 3 to 600",
    )

    @validator("time_zone")
    def _known_zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"must be a time zone such as Europe/London, not {zone!r}") from None
        return zone.strip()

    @validator("hours", pre=True)
    def _spans(cls, raw: Any) -> tuple[tuple[int, time, time], ...]:
        if not isinstance(raw, dict):
            raise ValueError(f"must map weekdays to hours (monday: 09:00-17:30), not {raw!r}")
        found = []
        for name, spans in raw.items():
            day = str(name).strip().lower()
            if day not in WEEKDAYS:
                raise ValueError(f"has an unknown day {name!r}; use {', '.join(WEEKDAYS)}")
            for span in str(spans or "").split(","):
                if span.strip():
                    found.append((WEEKDAYS.index(day), *_span(span.strip(), day)))
        return tuple(found)

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


def _span(text: str, day: str) -> tuple[time, time]:
    start_text, _, end_text = text.partition("-")
    try:
        start, end = time.fromisoformat(start_text.strip()), time.fromisoformat(end_text.strip())
    except ValueError:
        raise ValueError(f"for {day} must be like 09:00-17:30, not {text!r}") from None
    if end <= start:
        raise ValueError(f"for {day} ends before it starts: {text!r}")
    return start, end


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)


def parse_live_chat(raw: Any) -> LiveChatSettings:
    """The `live_chat` mapping of clinic.yml; no section means no live chat at all."""
    return parse_section(LiveChatSettings, {} if raw is None else raw, ("live_chat",))


@lru_cache(maxsize=4)
def load_live_chat(path: str | None = None) -> LiveChatSettings:
    """The live-chat settings of the clinic.yml that `load_clinic_settings` reads."""
    raw = read_clinic_yaml(path)
    return parse_live_chat(raw.get("live_chat") if isinstance(raw, dict) else None)

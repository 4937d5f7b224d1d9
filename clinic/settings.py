"""The clinic's details from `clinic.yml`: the one place staff change them.

Both the Rasa server (to fill `{clinic_phone}` and friends into responses) and
the action server (for the schedule planner) read this module, so no response
or action copies a phone number or an opening day.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays
import yaml

from clinic.rules import (
    MAX_SESSIONS,
    MAX_SUN_BUFFER_DAYS,
    MAX_TREATMENT_BUFFER_DAYS,
    MIN_SESSIONS,
    MIN_TREATMENT_BUFFER_DAYS,
    WEEKDAYS,
    weekday_name,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = PROJECT_ROOT / "clinic.yml"
ENV_VAR = "CLINIC_CONFIG"


class ClinicSettingsError(ValueError):
    """`clinic.yml` is missing a value or holds one the bot cannot use."""


@dataclass(frozen=True)
class PlannerSettings:
    """Defaults the schedule planner needs."""

    example_session_count: int
    sun_buffer_days: int
    treatment_buffer_days: int


@dataclass(frozen=True)
class Closure:
    """Days the clinic is closed besides public holidays, first and last included."""

    first: date
    last: date
    reason: str


@dataclass(frozen=True)
class ClosedDays:
    """When the planner places no session: the region's public holidays and closures.

    `country` and `subdivision` are codes of the `holidays` library (GB and ENG);
    an empty country plans on public holidays too.
    """

    country: str = ""
    subdivision: str = ""
    closures: tuple[Closure, ...] = ()


@dataclass(frozen=True)
class InputLimits:
    """What the public chat channels (website widget and REST) accept from a visitor.

    A rate is a burst (messages sent at once) and a steady pace per minute;
    a burst of 0 switches that limit off.
    """

    max_message_chars: int = 1000
    max_request_kb: int = 256
    visitor_burst: int = 20
    visitor_per_minute: int = 30
    address_burst: int = 300
    address_per_minute: int = 600


@dataclass(frozen=True)
class ClinicSettings:
    """Contact details and opening days of the clinic."""

    name: str
    phone: str
    email: str
    booking_url: str
    address: str
    opening_hours: str
    open_weekdays: frozenset[int]
    emergency_number: str
    planner: PlannerSettings
    input_limits: InputLimits = InputLimits()
    closed_days: ClosedDays = ClosedDays()
    # Conversations older than this (since their last message) are deleted.
    retention_days: int = 180
    # Where a callback request's phone number is read without a country code.
    phone_region: str = "GB"

    def response_variables(self) -> dict[str, str]:
        """Values that responses may reference, e.g. `{clinic_phone}`."""
        return {
            "clinic_name": self.name,
            "clinic_phone": self.phone,
            "clinic_email": self.email,
            "clinic_booking_url": self.booking_url,
            "clinic_address": self.address,
            "clinic_opening_hours": self.opening_hours,
            "clinic_open_days": ", ".join(weekday_name(day) for day in sorted(self.open_weekdays)),
            "emergency_number": self.emergency_number,
            "planner_example_sessions": str(self.planner.example_session_count),
            "max_message_chars": str(self.input_limits.max_message_chars),
            "retention_days": str(self.retention_days),
        }


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ClinicSettingsError(f"clinic.yml: '{key}' must be a non-empty text value.")
    return value.strip()


def _whole_number(raw: dict[str, Any], key: str, low: int, high: int) -> int:
    value = raw.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ClinicSettingsError(
            f"clinic.yml: 'planner.{key}' must be a whole number from {low} to {high}."
        )
    return value


def _open_weekdays(raw: Any) -> frozenset[int]:
    if not isinstance(raw, list) or not raw:
        raise ClinicSettingsError("clinic.yml: 'open_days' must list at least one weekday.")
    days = set()
    for day in raw:
        name = str(day).strip().lower()
        if name not in WEEKDAYS:
            raise ClinicSettingsError(
                f"clinic.yml: unknown day '{day}' in 'open_days'; use {', '.join(WEEKDAYS)}."
            )
        days.add(WEEKDAYS.index(name))
    return frozenset(days)


def _bounded(raw: dict[str, Any], key: str, default: int, name: str, low: int, high: int) -> int:
    value = raw.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ClinicSettingsError(
            f"clinic.yml: '{name}' must be a whole number from {low} to {high}."
        )
    return value


def _input_limits(raw: Any) -> InputLimits:
    if raw is None:
        return InputLimits()
    visitor = raw.get("per_visitor", {}) if isinstance(raw, dict) else None
    address = raw.get("per_address", {}) if isinstance(raw, dict) else None
    if not isinstance(visitor, dict) or not isinstance(address, dict):
        raise ClinicSettingsError(
            "clinic.yml: 'input_limits' and its 'per_visitor' and 'per_address' must be mappings."
        )
    d = InputLimits()
    return InputLimits(
        max_message_chars=_bounded(
            raw,
            "max_message_chars",
            d.max_message_chars,
            "input_limits.max_message_chars",
            20,
            100_000,
        ),
        max_request_kb=_bounded(
            raw, "max_request_kb", d.max_request_kb, "input_limits.max_request_kb", 16, 102_400
        ),
        visitor_burst=_bounded(
            visitor, "burst", d.visitor_burst, "input_limits.per_visitor.burst", 0, 10**6
        ),
        visitor_per_minute=_bounded(
            visitor,
            "per_minute",
            d.visitor_per_minute,
            "input_limits.per_visitor.per_minute",
            1,
            10**6,
        ),
        address_burst=_bounded(
            address, "burst", d.address_burst, "input_limits.per_address.burst", 0, 10**6
        ),
        address_per_minute=_bounded(
            address,
            "per_minute",
            d.address_per_minute,
            "input_limits.per_address.per_minute",
            1,
            10**6,
        ),
    )


def _region(raw: Any) -> tuple[str, str]:
    """The public holidays' country and subdivision, checked against the holidays library."""
    if raw is None:
        return "", ""
    if not isinstance(raw, dict):
        raise ClinicSettingsError("clinic.yml: 'public_holidays' must be a mapping.")
    country = str(raw.get("country") or "").strip().upper()
    subdivision = str(raw.get("subdivision") or "").strip().upper()
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise ClinicSettingsError(
            f"clinic.yml: 'public_holidays.country' {country!r} is not a country code of the "
            "holidays library (e.g. GB, IE, US, FR)."
        )
    if subdivision and subdivision not in supported[country]:
        raise ClinicSettingsError(
            f"clinic.yml: 'public_holidays.subdivision' must be one of "
            f"{', '.join(supported[country])} for {country}."
        )
    return country, subdivision


def _day(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as error:
        raise ClinicSettingsError(f"clinic.yml: {where} must be a date like 2026-12-24.") from error


def _closures(raw: Any) -> tuple[Closure, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ClinicSettingsError("clinic.yml: 'closures' must be a list.")
    found = []
    for number, item in enumerate(raw, start=1):
        where = f"closure {number}"
        if not isinstance(item, dict):
            raise ClinicSettingsError(
                f"clinic.yml: {where} must have 'from' (or 'on') and 'reason'."
            )
        first = _day(item.get("from", item.get("on")), f"{where}'s 'from'")
        last = _day(item.get("to", first), f"{where}'s 'to'")
        if last < first:
            raise ClinicSettingsError(f"clinic.yml: {where} ends before it starts.")
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ClinicSettingsError(f"clinic.yml: {where} needs a 'reason' visitors can read.")
        found.append(Closure(first=first, last=last, reason=reason.strip()))
    return tuple(found)


def parse_clinic_settings(raw: Any) -> ClinicSettings:
    """Validate the YAML mapping of `clinic.yml` into settings."""
    if not isinstance(raw, dict):
        raise ClinicSettingsError("clinic.yml must be a mapping of keys to values.")
    planner = raw.get("planner") or {}
    if not isinstance(planner, dict):
        raise ClinicSettingsError("clinic.yml: 'planner' must be a mapping.")
    return ClinicSettings(
        name=_text(raw, "name"),
        phone=_text(raw, "phone"),
        email=_text(raw, "email"),
        booking_url=_text(raw, "booking_url"),
        address=_text(raw, "address"),
        opening_hours=_text(raw, "opening_hours"),
        open_weekdays=_open_weekdays(raw.get("open_days")),
        emergency_number=_text(raw, "emergency_number"),
        planner=PlannerSettings(
            example_session_count=_whole_number(
                planner, "example_session_count", MIN_SESSIONS, MAX_SESSIONS
            ),
            sun_buffer_days=_whole_number(planner, "sun_buffer_days", 0, MAX_SUN_BUFFER_DAYS),
            treatment_buffer_days=_whole_number(
                planner,
                "treatment_buffer_days",
                MIN_TREATMENT_BUFFER_DAYS,
                MAX_TREATMENT_BUFFER_DAYS,
            ),
        ),
        input_limits=_input_limits(raw.get("input_limits")),
        retention_days=_bounded(raw, "retention_days", 180, "retention_days", 1, 3650),
        phone_region=_phone_region(raw.get("phone_region", "GB")),
        closed_days=ClosedDays(
            *_region(raw.get("public_holidays")), _closures(raw.get("closures"))
        ),
    )


def _phone_region(value: object) -> str:
    """A two-letter country code (ISO 3166-1), as phone numbers are read in it."""
    text = str(value or "").strip().upper()
    if len(text) != 2 or not text.isalpha():
        raise ClinicSettingsError(
            f"phone_region must be a two-letter country code such as GB, not {value!r}"
        )
    return text


TODAY_ENV = "CLINIC_TODAY"


def today() -> date:
    """The clinic's today: the date, or `CLINIC_TODAY` (ISO) for demos and conversation tests."""
    fixed = os.environ.get(TODAY_ENV, "").strip()
    return date.fromisoformat(fixed) if fixed else date.today()


def read_clinic_yaml(path: str | None = None) -> Any:
    """clinic.yml as YAML (`CLINIC_CONFIG` overrides the path), for the parsers of its sections."""
    chosen = Path(path or os.environ.get(ENV_VAR) or DEFAULT_PATH)
    try:
        return yaml.safe_load(chosen.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ClinicSettingsError(
            f"Clinic settings not found at {chosen}; copy clinic.yml there or set {ENV_VAR}."
        ) from error


@lru_cache(maxsize=4)
def load_clinic_settings(path: str | None = None) -> ClinicSettings:
    """Read the clinic's settings once per process."""
    return parse_clinic_settings(read_clinic_yaml(path))

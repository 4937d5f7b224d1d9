"""The clinic's details from `clinic.yml`: the one place staff change them.

Both the Rasa server (to fill `{clinic_phone}` and friends into responses) and
the action server (for the planner) read this module, so no response
or action copies a phone number or an opening day.

The models below mirror clinic.yml key for key (pydantic 1.10, the version
Rasa 3.6 pins), so a wrong value is reported at its path in the file, in words
a clinic manager can act on: "clinic.yml: planner.example_session_count must
be a whole number from 3 to 15, not 'six'".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import holidays
import yaml
from pydantic import (
    BaseModel,
    ConstrainedStr,
    Extra,
    Field,
    ValidationError,
    root_validator,
    validator,
)
from pydantic.errors import FloatError, IntegerError
from pydantic.fields import SHAPE_SINGLETON, ModelField
from pydantic.utils import lenient_issubclass

from clinic import environment

# Re-exported: rasa_ext/nlu, staff/review.py and some tests still import it from here.
from clinic.environment import PROJECT_ROOT as PROJECT_ROOT
from clinic.rules import (
    MAX_SESSIONS,
    MAX_SUN_BUFFER_DAYS,
    MAX_TREATMENT_BUFFER_DAYS,
    MIN_SESSIONS,
    MIN_TREATMENT_BUFFER_DAYS,
    WEEKDAYS,
    weekday_name,
)


class ClinicSettingsError(ValueError):
    """`clinic.yml` is missing a value or holds one the bot cannot use."""


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


def _whole(low: int, high: int, default: Any = ...) -> Any:
    """A whole-number setting from `low` to `high`; its error message says so."""
    return Field(default, ge=low, le=high, expected=f"a whole number from {low} to {high}")


def _text(expected: str = "filled-in text (numbers in quotes)") -> Any:
    return Field(..., expected=expected)


class _Text(ConstrainedStr):
    """Text as YAML gives it, trimmed. A number typed without quotes is refused: YAML
    reads an unquoted 02071234567 as a number, not as those digits."""

    strict = True
    strip_whitespace = True
    min_length = 1


class _Day(date):
    """A day written as 2026-12-24 (pydantic's own date also takes timestamps)."""

    @classmethod
    def __get_validators__(cls) -> Iterator[Callable[[Any], date]]:
        yield cls._read

    @staticmethod
    def _read(value: Any) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(f"must be a date like 2026-12-24, not {value!r}") from None


class Section(BaseModel):
    """A mapping of clinic.yml, read with `parse_section`: frozen, a key left empty means
    its default, and an unknown key (a typo) is an error. One per section; live_chat's
    is in clinic/handoff/live_chat.py."""

    class Config:
        frozen = True
        extra = Extra.forbid

    @root_validator(pre=True)
    def _empty_means_default(cls, values: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in values.items() if value is not None}

    @validator("*", pre=True)
    def _numbers_are_numbers(cls, value: Any, field: ModelField) -> Any:
        """A whole-number setting takes 6, not 6.5, "6" or `yes`; a number takes 2.5, not
        "2.5" (pydantic would turn each into one)."""
        if field.shape != SHAPE_SINGLETON or not lenient_issubclass(field.type_, (int, float)):
            return value
        whole = issubclass(field.type_, int)
        if isinstance(value, bool) or not isinstance(value, int if whole else int | float):
            raise IntegerError() if whole else FloatError()
        return value


class PlannerSettings(Section):
    """Defaults the planner needs."""

    example_session_count: int = _whole(MIN_SESSIONS, MAX_SESSIONS)
    sun_buffer_days: int = _whole(0, MAX_SUN_BUFFER_DAYS)
    treatment_buffer_days: int = _whole(MIN_TREATMENT_BUFFER_DAYS, MAX_TREATMENT_BUFFER_DAYS)


class VisitorRate(Section):
    """Messages one visitor (one conversation) may send: a burst at once, then a pace.

    A burst of 0 switches the limit off.
    """

    burst: int = _whole(0, 10**6, 20)
    per_minute: int = _whole(1, 10**6, 30)


class AddressRate(Section):
    """REST requests one IP address may send: a burst at once, then a pace."""

    burst: int = _whole(0, 10**6, 300)
    per_minute: int = _whole(1, 10**6, 600)


class InputLimits(Section):
    """What the public chat channels (website widget and REST) accept from a visitor."""

    max_message_chars: int = _whole(20, 100_000, 1000)
    max_request_kb: int = _whole(16, 102_400, 256)
    per_visitor: VisitorRate = VisitorRate()
    per_address: AddressRate = AddressRate()

    @property
    def visitor_burst(self) -> int:
        return self.per_visitor.burst

    @property
    def visitor_per_minute(self) -> int:
        return self.per_visitor.per_minute

    @property
    def address_burst(self) -> int:
        return self.per_address.burst

    @property
    def address_per_minute(self) -> int:
        return self.per_address.per_minute


class HolidayRegion(Section):
    """Whose public holidays the planner avoids: codes of the `holidays` library."""

    country: str = _text("a country code of the holidays library (e.g. GB, IE, US, FR)")
    subdivision: str = ""

    @validator("country", "subdivision", pre=True)
    def _code(cls, value: Any) -> str:
        return str(value).strip().upper()

    @validator("country")
    def _known_country(cls, country: str) -> str:
        if country not in holidays.list_supported_countries():
            raise ValueError(
                "must be a country code of the holidays library (e.g. GB, IE, US, FR), "
                f"not {country!r}"
            )
        return country

    @validator("subdivision")
    def _known_subdivision(cls, subdivision: str, values: dict[str, Any]) -> str:
        country = values.get("country")
        known = holidays.list_supported_countries().get(country or "", [])
        if subdivision and country and subdivision not in known:
            raise ValueError(
                f"must be one of {', '.join(known)} for {country}, not {subdivision!r}"
            )
        return subdivision


class ClosureEntry(Section):
    """One closure as clinic.yml writes it: a day (`on`) or `from` and `to`, and a reason."""

    on: _Day | None = None
    from_: _Day | None = Field(None, alias="from")
    to: _Day | None = None
    reason: _Text = _text("text visitors can read (why the clinic is closed)")

    @root_validator(skip_on_failure=True)
    def _a_span(cls, values: dict[str, Any]) -> dict[str, Any]:
        first = values["from_"] or values["on"]
        if first is None:
            raise ValueError("needs a day: 'on', or 'from' and 'to'")
        if (values["to"] or first) < first:
            raise ValueError(f"ends before it starts ({first} to {values['to']})")
        return values

    def closure(self) -> Closure:
        first = self.from_ or self.on
        assert first is not None  # checked by _a_span
        return Closure(first=first, last=self.to or first, reason=self.reason)


class ClinicSettings(Section):
    """Contact details, opening days and limits of the clinic: clinic.yml, checked.

    Other top-level keys are left alone: other modules read their own sections.
    """

    class Config:
        extra = Extra.ignore

    name: _Text = _text()
    phone: _Text = _text()
    email: _Text = _text()
    booking_url: _Text = _text()
    address: _Text = _text()
    opening_hours: _Text = _text()
    open_weekdays: frozenset[int] = Field(
        ..., alias="open_days", expected="a list of weekdays such as [monday, tuesday]"
    )
    emergency_number: _Text = _text()
    planner: PlannerSettings
    input_limits: InputLimits = InputLimits()
    public_holidays: HolidayRegion | None = None
    closures: tuple[ClosureEntry, ...] = Field(
        (), expected="a list of closures, each with on (or from and to) and reason"
    )
    # Conversations older than this (since their last message) are deleted.
    retention_days: int = _whole(1, 3650, 180)
    # Where a callback request's phone number is read without a country code.
    phone_region: str = Field("GB", expected="a two-letter country code such as GB")

    @validator("open_weekdays", pre=True)
    def _weekday_numbers(cls, days: Any) -> frozenset[int]:
        if not isinstance(days, list) or not days:
            raise ValueError(f"must list at least one weekday, e.g. [monday], not {days!r}")
        unknown = [day for day in days if str(day).strip().lower() not in WEEKDAYS]
        if unknown:
            raise ValueError(f"has an unknown day {unknown[0]!r}; use {', '.join(WEEKDAYS)}")
        return frozenset(WEEKDAYS.index(str(day).strip().lower()) for day in days)

    @validator("phone_region", pre=True)
    def _country_code(cls, value: Any) -> str:
        code = str(value).strip().upper()
        if len(code) != 2 or not code.isalpha():
            raise ValueError(f"must be a two-letter country code such as GB, not {value!r}")
        return code

    @property
    def closed_days(self) -> ClosedDays:
        """The public holidays' region and the closures, as the planner reads them."""
        region = self.public_holidays
        return ClosedDays(
            country=region.country if region else "",
            subdivision=region.subdivision if region else "",
            closures=tuple(entry.closure() for entry in self.closures),
        )

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


S = TypeVar("S", bound=Section)


def parse_section(model: type[S], raw: Any, section: tuple[str, ...] = ()) -> S:
    """`raw` (clinic.yml's mapping at `section`) as `model`, or the first problem in it
    said at its place in the file."""
    try:
        return model.parse_obj(raw)
    except ValidationError as error:
        raise ClinicSettingsError(_explain(error, raw, model, section)) from None


def _explain(
    error: ValidationError, raw: Any, model: type[Section], section: tuple[str, ...]
) -> str:
    problem = error.errors()[0]
    loc = tuple(key for key in problem["loc"] if key != "__root__")
    where = _where(section + loc)
    if problem["type"] == "value_error":  # raised by the validators of a section
        return f"clinic.yml: {where} {problem['msg']}"
    if problem["type"] == "value_error.extra":
        inside = _where(section + loc[:-1]) or "clinic.yml"
        return f"clinic.yml: {where} is not a setting; {inside} takes {_keys(model, loc[:-1])}"
    expected = _expected(model, loc)
    if problem["type"] == "value_error.missing":
        return f"clinic.yml: {where} is missing" + (f": it must be {expected}" if expected else "")
    given = _given(raw, loc)
    if expected:
        return f"clinic.yml: {where} must be {expected}, not {given!r}"
    return f"clinic.yml: {where}: {problem['msg']} (found {given!r})"


def _where(loc: tuple[str | int, ...]) -> str:
    """`planner.example_session_count`; an item of a list as `closures entry 2: from`."""
    where = ""
    for key in loc:
        if isinstance(key, int):
            where += f" entry {key + 1}:"
        elif where.endswith(":"):
            where += f" {key}"
        else:
            where += f".{key}" if where else key
    return where.rstrip(":")


def _given(raw: Any, loc: tuple[str | int, ...]) -> Any:
    """What clinic.yml holds at `loc`."""
    for key in loc:
        if isinstance(raw, list) and isinstance(key, int) and key < len(raw):
            raw = raw[key]
        elif isinstance(raw, Mapping):
            raw = raw.get(key)
    return raw


def _expected(model: type[BaseModel], loc: tuple[str | int, ...]) -> str | None:
    """What the setting at `loc` must be: its declared `expected` words, or its keys."""
    expected = _mapping_of(model)
    for key in loc:
        if isinstance(key, int):  # an item of the list before it
            expected = _mapping_of(model)
            continue
        field = {each.alias: each for each in model.__fields__.values()}.get(key)
        if field is None:
            return None
        if isinstance(field.type_, type) and issubclass(field.type_, BaseModel):
            model = field.type_
        expected = field.field_info.extra.get("expected") or _mapping_of(field.type_)
    return expected


def _mapping_of(kind: Any) -> str | None:
    return f"a mapping of {_keys(kind)}" if lenient_issubclass(kind, BaseModel) else None


def _keys(model: type[BaseModel], loc: tuple[str | int, ...] = ()) -> str:
    """The keys of the section at `loc` in `model`."""
    for key in loc:
        if isinstance(key, str):
            field = next(each for each in model.__fields__.values() if each.alias == key)
            model = field.type_
    return ", ".join(each.alias for each in model.__fields__.values())


def parse_clinic_settings(raw: Any) -> ClinicSettings:
    """Validate the YAML mapping of `clinic.yml` into settings."""
    if not isinstance(raw, dict):
        raise ClinicSettingsError("clinic.yml must be a mapping of keys to values.")
    return parse_section(ClinicSettings, raw)


def today() -> date:
    """The clinic's today: the date, or `CLINIC_TODAY` (ISO) for demos and conversation tests."""
    return environment.CLINIC_TODAY.get() or date.today()


def read_clinic_yaml(path: str | None = None) -> Any:
    """clinic.yml as YAML (`CLINIC_CONFIG` overrides the path), for the parsers of its sections."""
    chosen = Path(path) if path else environment.CLINIC_CONFIG.get()
    try:
        return yaml.safe_load(chosen.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ClinicSettingsError(
            f"Clinic settings not found at {chosen}; copy clinic.yml there "
            f"or set {environment.CLINIC_CONFIG.name}."
        ) from error
    except yaml.YAMLError as error:
        raise ClinicSettingsError(f"{chosen} is not valid YAML: {error}") from error


@lru_cache(maxsize=4)
def load_clinic_settings(path: str | None = None) -> ClinicSettings:
    """Read the clinic's settings once per process."""
    return parse_clinic_settings(read_clinic_yaml(path))

"""Phone numbers and email addresses in what visitors type: the one way to find them.

The log filter, the review files and the console's export redact what this
module finds, and a callback request reads its contact with it, so every
place agrees on what a phone number or an email is.

- **Phone numbers**: libphonenumber's `PhoneNumberMatcher` in the clinic's
  region (clinic.yml's `phone_region`), so "07700 900123" and
  "+44 7700 900123" are the same number; a match counts when a visitor could
  be called on it (`callable_number`). Dates (10/03/2027), times, prices and
  counts ("3 to 15 sessions") are not numbers.
- **Emails**: one pattern finds them; `checked_email` (email-validator,
  syntax only, no network) checks one before it is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from clinic.settings import load_clinic_settings

# A local part that starts with a letter or digit (so a quote or `=` before
# it is not taken), "@", and a domain with at least one dot.
EMAIL = re.compile(r"\w[\w.+'-]*@\w[\w-]*(?:\.[\w-]+)+")
# No country has numbers of fewer than 4 digits (libphonenumber's possible
# lengths), so a text with fewer holds none: most log lines skip the matcher.
_FOUR_DIGITS = re.compile(r"(?:\d\D*){4}")
# Something typed as a number or an address, usable or not: an "@", or five digits or more
# in a run ("12345", "priya@gmail"). A callback request says such a one can't be used.
_TYPED_CONTACT = re.compile(r"[^\s,;]+@[^\s,;]*|\+?\d[\d \t().-]{3,}\d")
MIN_TYPED_DIGITS = 5
PHONE_MARK = "[phone]"
EMAIL_MARK = "[email]"
_MOBILE = phonenumbers.PhoneNumberType.MOBILE


@dataclass(frozen=True)
class Found:
    """A phone number or email in a text: where it is, as typed, and its value.

    `value` is the number in E.164 (+447700900123), or the address as typed
    (`checked_email` normalises one that is kept).
    """

    kind: Literal["phone", "email"]
    start: int
    end: int
    typed: str
    value: str


def find(text: str, region: str | None = None) -> list[Found]:
    """Every phone number and email in `text`, in the order they appear.

    Numbers without a country code are read in `region` (two letters, e.g.
    GB; None: clinic.yml's `phone_region`).
    """
    region = region or load_clinic_settings().phone_region
    emails = [
        Found("email", match.start(), match.end(), match.group(), match.group())
        for match in EMAIL.finditer(text)
    ]
    # Digits inside an address are not a phone number: hide the addresses
    # (same length, so positions still point into `text`).
    masked = EMAIL.sub(lambda match: "x" * len(match.group()), text) if emails else text
    return sorted(emails + _phones(masked, region), key=lambda found: found.start)


def redact(text: str, region: str | None = None) -> str:
    """`text` with each phone number replaced by [phone] and each email by [email]."""
    found = find(text, region)
    if not found:
        return text
    parts: list[str] = []
    position = 0
    for item in found:
        parts += [text[position : item.start], PHONE_MARK if item.kind == "phone" else EMAIL_MARK]
        position = item.end
    parts.append(text[position:])
    return "".join(parts)


def typed_contacts(text: str) -> list[str]:
    """What in `text` was typed as a phone number or an email, whether or not it is one."""
    return [
        typed
        for typed in (m.group(0) for m in _TYPED_CONTACT.finditer(text))
        if "@" in typed or sum(ch.isdigit() for ch in typed) >= MIN_TYPED_DIGITS
    ]


def callable_number(number: phonenumbers.PhoneNumber) -> bool:
    """A number the library knows as assigned, or shaped like a mobile of its country.

    Mobile ranges are allocated faster than libphonenumber's metadata follows,
    and a mobile is what visitors give: a number with a mobile's length and
    leading digit is kept (a wrong one costs staff a call; a refused real one
    costs the visitor their callback). Anything else must be a known number.
    """
    leading = _mobile_leading_digit(number.country_code or 0)
    if (
        leading is not None
        and str(number.national_number)[:1] == leading
        and phonenumbers.is_possible_number_for_type(number, _MOBILE)
    ):
        return True
    return bool(phonenumbers.is_valid_number(number))


def checked_email(address: str) -> str | None:
    """The address normalised (domain in lower case), or None when it is not a valid one."""
    try:
        return str(validate_email(address, check_deliverability=False).normalized)
    except EmailNotValidError:
        return None


def _phones(text: str, region: str) -> list[Found]:
    if not _FOUR_DIGITS.search(text):
        return []
    lenient = phonenumbers.Leniency.POSSIBLE  # then `callable_number` decides
    return [
        Found("phone", match.start, match.end, match.raw_string, _e164(match.number))
        for match in phonenumbers.PhoneNumberMatcher(text, region.upper(), leniency=lenient)
        if callable_number(match.number)
    ]


@cache
def _mobile_leading_digit(country_code: int) -> str | None:
    """The first digit of the example mobile of the country (cached: asked for each match)."""
    region = phonenumbers.region_code_for_country_code(country_code)
    example = phonenumbers.example_number_for_type(region, _MOBILE)
    return str(example.national_number)[:1] if example is not None else None


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

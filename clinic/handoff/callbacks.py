"""A callback request's details, read from what a visitor types.

Phone numbers are read with `phonenumbers` (Google's libphonenumber) in the
clinic's region, so "07700 900123" and "+44 7700 900123" are the same number
and "12345" is not one; emails with `email-validator` (syntax only: nothing
is looked up on the network). What is kept is the normalised form (E.164 or
the normalised address), so staff see one way of writing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import phonenumbers
from email_validator import EmailNotValidError, validate_email

MAX_NAME_CHARS = 80
MAX_TIME_CHARS = 120
# Words around a contact detail ("my number is …", "email me at …").
_AROUND = re.compile(
    r"^(?:(?:it'?s|my|the|number|phone|mobile|email|e-mail|address|is|at|on|call|"
    r"ring|me|you|can|reach|use|please|:)\s*)+",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[^\s<>(),;:]+@[^\s<>(),;:]+")


@dataclass(frozen=True)
class Contact:
    """A way to reach the visitor: a phone number (E.164) or an email address."""

    kind: Literal["phone", "email"]
    value: str


def read_contact(text: str, region: str = "GB") -> Contact | None:
    """The phone number or email in `text`, or None when it holds no valid one."""
    text = " ".join(text.split())[:200]
    found = _EMAIL.search(text)
    if found:
        try:
            checked = validate_email(found.group(0).rstrip(".!?"), check_deliverability=False)
        except EmailNotValidError:
            return None
        return Contact("email", checked.normalized)
    candidate = _AROUND.sub("", text).rstrip(".!? ")
    if not candidate or not any(ch.isdigit() for ch in candidate):
        return None
    try:
        number = phonenumbers.parse(candidate, region.upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return Contact("phone", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def read_name(text: str) -> str | None:
    """The name to ask for: a line of 1–80 characters with a letter in it."""
    name = " ".join(text.split()).strip(" .,!")
    name = re.sub(r"^(?:my name is|i'?m|i am|it'?s|this is|call me)\s+", "", name, flags=re.I)
    if not name or len(name) > MAX_NAME_CHARS or not any(ch.isalpha() for ch in name):
        return None
    return name


def read_time(text: str) -> str | None:
    """When suits the visitor, in their words (one short line)."""
    when = " ".join(text.split()).strip()
    if not when or len(when) > MAX_TIME_CHARS:
        return None
    return when


def display(contact: str) -> str:
    """A stored contact as staff read it: phone numbers grouped the international way."""
    if contact.startswith("+"):
        try:
            number = phonenumbers.parse(contact, None)
        except phonenumbers.NumberParseException:
            return contact
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return contact

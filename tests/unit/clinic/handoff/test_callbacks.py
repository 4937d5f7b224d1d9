"""Reading a callback request's name, phone number or email and preferred time."""

from __future__ import annotations

import pytest

from clinic.handoff.callbacks import Contact, display, read_contact, read_name, read_time


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("07911 123456", "+447911123456"),
        ("+44 7911 123456", "+447911123456"),
        ("my number is 07911123456", "+447911123456"),
        ("call me on (020) 7946 0958.", "+442079460958"),
        ("+1 202 555 0143", "+12025550143"),  # a number from abroad, with its country code
    ],
)
def test_a_valid_phone_number_is_kept_in_one_form(typed: str, kept: str) -> None:
    assert read_contact(typed, "GB") == Contact("phone", kept)


@pytest.mark.parametrize(
    "typed",
    [
        "12345",
        "0791112345",  # a digit short
        "07911 1234567890",
        "+44 20 0000",  # too short for a London number
        "tomorrow morning",
        "",
        "my number",
    ],
)
def test_an_invalid_phone_number_is_refused(typed: str) -> None:
    assert read_contact(typed, "GB") is None


def test_a_number_without_country_code_is_read_in_the_clinics_region() -> None:
    assert read_contact("(202) 555-0143", "US") == Contact("phone", "+12025550143")
    assert read_contact("(202) 555-0143", "GB") is None


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("jane@example.com", "jane@example.com"),
        ("email me at Jane.Doe@Example.COM please", "Jane.Doe@example.com"),
        ("it's jane@example.co.uk.", "jane@example.co.uk"),
    ],
)
def test_a_valid_email_is_kept_normalised(typed: str, kept: str) -> None:
    assert read_contact(typed, "GB") == Contact("email", kept)


@pytest.mark.parametrize("typed", ["jane@", "jane@example", "jane@@example.com", "@example.com"])
def test_an_invalid_email_is_refused(typed: str) -> None:
    assert read_contact(typed, "GB") is None


def test_a_name_is_one_short_line_with_a_letter() -> None:
    assert read_name("  my name is   Jane Doe. ") == "Jane Doe"
    assert read_name("Zoë") == "Zoë"
    assert read_name("12345") is None
    assert read_name("x" * 81) is None
    assert read_name("   ") is None


def test_a_preferred_time_is_kept_in_the_visitors_words() -> None:
    assert read_time(" Thursday  after 4pm ") == "Thursday after 4pm"
    assert read_time("") is None
    assert read_time("a" * 121) is None


def test_staff_read_a_stored_number_grouped() -> None:
    assert display("+447911123456") == "+44 7911 123456"
    assert display("jane@example.com") == "jane@example.com"

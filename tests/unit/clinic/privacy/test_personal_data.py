"""Every place finds the same phone numbers and emails (clinic/privacy/personal_data.py).

The log filter, the review file, the console's CSV export and a callback
request are each asked about the same table of messages, read in clinic.yml's
phone region (GB), and must agree: a number or an address is replaced (or
read) everywhere, and a date, a time, a price or a count nowhere.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path
from types import SimpleNamespace

import phonenumbers
import pytest
import yaml

from clinic.handoff.callbacks import gives_contact, read_contact, read_details
from clinic.privacy.log_filter import DATE, RedactingFilter
from clinic.privacy.personal_data import (
    Found,
    callable_number,
    checked_email,
    find,
    redact,
    typed_contacts,
)
from clinic.settings import load_clinic_settings
from staff.export import unanswered_csv
from staff.review import add_new_wording
from staff.unanswered import Group, Wording, key_of

# (message, the number as typed in it, the number as kept)
PHONES = [
    ("call me on 07700 900123 please", "07700 900123", "+447700900123"),
    ("my mobile is +44 7700 900456", "+44 7700 900456", "+447700900456"),
    ("it's 07911123456 thanks", "07911123456", "+447911123456"),
    ("ring +447911 123456 after lunch", "+447911 123456", "+447911123456"),
    ("text 07700-900-789 any time", "07700-900-789", "+447700900789"),
    ("the office is (020) 7946 0958", "(020) 7946 0958", "+442079460958"),
    ("landline 020 7946 0321 ok", "020 7946 0321", "+442079460321"),
    ("from abroad: +44 20 7946 0958", "+44 20 7946 0958", "+442079460958"),
    ("I'm in the US, +1 202 555 0143", "+1 202 555 0143", "+12025550143"),
    ("or +1 (415) 555-2671 evenings", "+1 (415) 555-2671", "+14155552671"),
]
# (message, the address as typed in it, the address as kept)
EMAILS = [
    ("email jane.doe+meso@example.co.uk about it", "jane.doe+meso@example.co.uk", None),
    ("it's rob.h@mail.clinic.example.com.", "rob.h@mail.clinic.example.com", None),
    ("Jane.Doe@Example.COM is best", "Jane.Doe@Example.COM", "Jane.Doe@example.com"),
    ("write to o'neill@example.org", "o'neill@example.org", None),
]
NOT_CONTACTS = [
    "can I come on 10/03/2027?",
    "is 10/03/2027 at 14:30 free",
    "at 10:30 or 14.45",
    "between 9am and 5.30pm",
    "3 to 15 sessions",
    "every 7-14 days for 6-10 weeks",
    "is it £1,250.00 for the course",
    "£150 per session or 1250 for ten",
    "I was born in 1990",
    "can i have 3 sessions in 2 weeks",
    "is 100% safe",
    "a@b and jane@example",
    "version 3.6.21 on port 5055",
]
CLINIC_REGION = load_clinic_settings().phone_region


def logged(text: str) -> str:
    """The line the log filter lets through at INFO (the text is not quoted, so only
    phone numbers, emails and dates are replaced)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("test.personal_data")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        logger.warning("visitor wrote %s", text)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue().removeprefix("visitor wrote ").rstrip("\n")


def in_review_file(tmp_path: Path, text: str) -> str:
    path = add_new_wording(tmp_path, "faq/price", [text])
    examples = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"][0]["examples"]
    return str(examples).removeprefix("- ").rstrip("\n")


def in_export(text: str) -> str:
    group = Group([Wording(key_of(text), text, count=1)])
    message = SimpleNamespace(at=0.0, sender_id="visitor-1", outcome="not_covered", text=text)
    rows = list(csv.reader(io.StringIO(unanswered_csv([group], [message]))))
    return rows[1][-1]


def redacted_everywhere(tmp_path: Path, text: str) -> dict[str, str]:
    return {
        "personal_data": redact(text),
        "log": logged(text),
        "review file": in_review_file(tmp_path, text),
        "export": in_export(text),
    }


def test_the_clinics_region_is_the_one_this_table_is_written_for() -> None:
    assert CLINIC_REGION == "GB"


@pytest.mark.parametrize(("text", "typed", "kept"), PHONES)
def test_a_phone_number_is_replaced_and_read_the_same_everywhere(
    tmp_path: Path, text: str, typed: str, kept: str
) -> None:
    expected = text.replace(typed, "[phone]")
    assert redacted_everywhere(tmp_path, text) == dict.fromkeys(
        ("personal_data", "log", "review file", "export"), expected
    )
    assert [(item.kind, item.typed, item.value) for item in find(text)] == [("phone", typed, kept)]
    assert gives_contact(text, CLINIC_REGION)
    assert read_details(text, CLINIC_REGION).contact == kept
    assert read_contact(typed, CLINIC_REGION) is not None
    assert read_contact(typed, CLINIC_REGION).value == kept  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "typed", "kept"), EMAILS)
def test_an_email_is_replaced_and_read_the_same_everywhere(
    tmp_path: Path, text: str, typed: str, kept: str | None
) -> None:
    expected = text.replace(typed, "[email]")
    assert redacted_everywhere(tmp_path, text) == dict.fromkeys(
        ("personal_data", "log", "review file", "export"), expected
    )
    assert [(item.kind, item.typed) for item in find(text)] == [("email", typed)]
    assert read_details(text, CLINIC_REGION).contact == (kept or typed)


@pytest.mark.parametrize("text", NOT_CONTACTS)
def test_dates_times_prices_and_counts_are_not_taken_for_contacts(
    tmp_path: Path, text: str
) -> None:
    assert find(text) == []
    places = redacted_everywhere(tmp_path, text)
    assert places.pop("log") == DATE.sub("[date]", text), "the log filter takes only the dates"
    assert places == dict.fromkeys(("personal_data", "review file", "export"), text)
    assert not gives_contact(text, CLINIC_REGION)
    assert read_details(text, CLINIC_REGION).contact is None


def test_several_contacts_in_one_message_are_found_in_order() -> None:
    text = "jane@example.com or 07700 900123, else +44 20 7946 0958"
    assert [item.kind for item in find(text)] == ["email", "phone", "phone"]
    assert redact(text) == "[email] or [phone], else [phone]"


def test_digits_inside_an_address_are_not_a_phone_number() -> None:
    assert find("mail jane07700900123@example.com") == [
        Found("email", 5, 32, "jane07700900123@example.com", "jane07700900123@example.com")
    ]


def test_numbers_are_read_in_the_region_given() -> None:
    assert redact("call (202) 555-0143", "US") == "call [phone]"
    assert redact("call (202) 555-0143", "GB") == "call (202) 555-0143"


def test_a_mobile_shaped_number_is_callable_and_a_short_one_is_not() -> None:
    # 07700 900xxx is a range libphonenumber doesn't list as assigned; it is a mobile's shape.
    assert not phonenumbers.is_valid_number(phonenumbers.parse("07700 900123", "GB"))
    assert callable_number(phonenumbers.parse("07700 900123", "GB"))
    assert not callable_number(phonenumbers.parse("+44 20 0000", "GB"))
    assert not callable_number(phonenumbers.parse("0791112345", "GB"))


def test_an_email_is_checked_before_it_is_kept() -> None:
    assert checked_email("Jane.Doe@Example.COM") == "Jane.Doe@example.com"
    assert checked_email("jane..doe@example.com") is None


def test_what_was_typed_as_a_contact_is_found_even_when_it_is_no_contact() -> None:
    assert typed_contacts("Liam, my number is 12345") == ["12345"]
    assert typed_contacts("priya at gmail, or priya@gmail") == ["priya@gmail"]
    # Four digits or fewer, or no "@": nothing typed as a contact.
    assert typed_contacts("ring me after 1700 on friday") == []

"""Reading a callback request's name, phone number or email and preferred time."""

from __future__ import annotations

import pytest

from clinic.handoff.callbacks import (
    CallbackDetails,
    Contact,
    display,
    gives_contact,
    gives_name,
    read_consent,
    read_contact,
    read_details,
    read_name,
    read_time,
)


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


def test_a_time_said_in_pieces_is_kept_as_one_phrase() -> None:
    said = read_details("sure - Aisha Khan, aisha.k@example.com, any time after 4", "GB")
    assert said.time == "any time after 4"
    assert read_details("Kofi, 07700 900412, after 7pm, any day", "GB").time == "after 7pm, any day"


def test_staff_read_a_stored_number_grouped() -> None:
    assert display("+447911123456") == "+44 7911 123456"
    assert display("jane@example.com") == "jane@example.com"


@pytest.mark.parametrize(
    ("typed", "name", "contact", "when"),
    [
        ("Tom Baker 07700 900812", "Tom Baker", "+447700900812", None),
        ("yes - name is Dev Patel, number 07700900333, tuesday afternoon",
         "Dev Patel", "+447700900333", "tuesday afternoon"),
        ("please get the clinic to email me, I'm Rob, rob.h@example.com",
         "Rob", "rob.h@example.com", None),
        ("Can your team ring me tomorrow morning? Name's Chloe, 07911 123456",
         "Chloe", "+447911123456", "tomorrow morning"),
        ("call me on (020) 7946 0958 after 6", None, "+442079460958", "after 6"),
        ("weekday evenings", None, None, "weekday evenings"),
    ],
)  # fmt: skip
def test_every_detail_of_a_message_is_read_in_any_order(
    typed: str, name: str | None, contact: str | None, when: str | None
) -> None:
    assert read_details(typed, "GB") == CallbackDetails(name, contact, when)


def test_a_few_words_alone_are_a_name_only_when_a_name_is_expected() -> None:
    assert read_details("Sarah Jones", "GB").name is None
    assert read_details("Sarah Jones", "GB", name_alone=True).name == "Sarah Jones"
    assert read_details("yes please", "GB", name_alone=True).name is None
    assert (
        read_details("i'm stuck at work, can i leave my number", "GB", name_alone=True).name is None
    )


def test_an_answer_to_the_time_question_is_the_time_in_the_visitor_s_words() -> None:
    assert read_details("whenever suits them", "GB", "callback_time").time == "whenever suits them"
    assert read_details("not before lunch please", "GB", "callback_time").time


def test_a_mobile_shaped_number_outside_the_library_s_ranges_is_kept() -> None:
    # 07700 900xxx is a range libphonenumber doesn't list as assigned; it is a mobile's shape.
    assert read_contact("07700 900456", "GB") == Contact("phone", "+447700900456")
    assert gives_contact("text me on 07700 900456 pls", "GB")
    assert not gives_contact("I have 3 sessions left", "GB")


@pytest.mark.parametrize(
    ("said", "kept"),
    [("yes", "yes"), ("that's fine", "yes"), ("I don't mind", "yes"), ("no", "no"),
     ("don't keep them", "no"), ("what for?", None),
     ("Actually no, I'd rather you didn't keep my email. I'll ring you.", "no"),
     ("um, yes that's fine", "yes")],
)  # fmt: skip
def test_consent_is_read_in_the_visitor_s_words(said: str, kept: str | None) -> None:
    assert read_consent(said) == kept


def test_a_second_contact_is_not_read_as_the_name_or_the_time() -> None:
    # The email is kept; the number beside it used to leave "44" behind as a time.
    details = read_details("I'm Jane, my email is jane@example.com and phone +44 7700 900123")
    assert details == CallbackDetails("Jane", "jane@example.com", None)


def test_consent_said_beside_the_details_is_read_with_them() -> None:
    said = "Olivia Brown, 07700 900333, mornings before 11, and yes you can keep my details"
    assert read_details(said, "GB") == CallbackDetails(
        "Olivia Brown", "+447700900333", "mornings before 11", consent="yes"
    )
    assert read_details("whenever, and yes to keeping it", "GB", "callback_time") == (
        CallbackDetails(None, None, "whenever", consent="yes")
    )
    assert read_details("Sam, 07700 900333, but don't keep my number", "GB").consent == "no"
    # A yes alone is no consent: the consent sentence hasn't been shown yet.
    assert read_details("yes, Sam, 07700 900333", "GB").consent is None


def test_a_number_or_address_that_cant_be_used_is_noticed_not_read_as_a_name() -> None:
    liam = read_details("Liam, my number is 12345", "GB", "callback_name", name_alone=True)
    assert (liam.name, liam.contact, liam.unusable_contact) == ("Liam", None, True)
    dan = read_details("sure, Dan, dan@example", "GB", name_alone=True)
    assert (dan.name, dan.unusable_contact) == ("Dan", True)
    assert not read_details("Tuesday after 4pm", "GB", "callback_time").unusable_contact
    # Digits given as the number are a number to check, never the time to call.
    short = read_details("my number is 12", "GB", "callback_contact")
    assert (short.contact, short.time, short.unusable_contact) == (None, None, True)


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("ok call me then, name is Kate", "Kate"),
        ("please call me back, I'm Jo on 020 7946 0123", "Jo"),
        (
            "i'd like a call back please - Chris Doyle, 020 7946 0555, weekdays after 5",
            "Chris Doyle",
        ),
        ("I'm free on 020 7946 0123", None),
        ("im at work till 5, my number is 020 7946 0123", None),
        ("Greg Wallace here. Could someone call me on 07700 900246 on Monday morning?",
         "Greg Wallace"),
        ("hi, Sam here - 07700 900123", "Sam"),
        ("is anyone here? my number is 07700 900123", None),
        ("ok yes. name Olena, phone +44 7700 900444, morning time", "Olena"),
        ("name: Ravi Shah, 07700 900123", "Ravi Shah"),
        ("yes call me, Bea, number is 07700 900123", "Bea"),
        ("call me, please, 07700 900123", None),
        ("can your team call me back, im abroad atm, my number's +1 202 555 0143", None),
        ("sorry im away till friday, 07700 900123", None),
        # A name is said in one piece: not joined to a word of the next phrase.
        ("jess, 07700900765, evenings are best, and yes u can save it", "jess"),
        ("evenings are best, jess, 07700900765", "jess"),
        ("after 4pm, ask for Mo", "Mo"),
        ("Need a callback. Jo, wednesday afternoons", "Jo"),
        # "someone" is who calls, never who is called.
        ("have someone call me on friday afternoon", None),
        # A title is part of the name, said in full.
        ("my name is Mr Dennis Hall and my number is 020 7946 0321", "Mr Dennis Hall"),
        ("i'm Dr. Khan, 07700 900123", "Dr. Khan"),
    ],
)  # fmt: skip
def test_the_name_is_the_one_given_not_words_around_it(said: str, name: str | None) -> None:
    assert read_details(said, "GB").name == name


def test_a_stop_said_as_the_name_is_asked_names_nobody() -> None:
    assert read_details("actually nvm", "GB", "callback_name", name_alone=True).name is None


def test_a_name_is_given_only_by_a_phrase_that_names_someone() -> None:
    assert gives_name("Sure, name is Dan Price")
    assert gives_name("yes. my name is Ahmed")
    assert not gives_name("call me back please")
    assert not gives_name("I'm free on Tuesdays")
    assert gives_name("Greg Wallace here. Could someone call me?")
    assert not gives_name("anyone here?")
    assert not gives_name("what name should the team ask for?")

"""The callback request's Rasa actions, on real rasa-sdk trackers and dispatchers."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.callback_form import (
    SLOTS,
    ActionCallbackReachUs,
    ActionSaveCallback,
    ValidateCallbackForm,
)
from tests.support.servers import ROOT

DOMAIN: dict[str, Any] = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def tracker(text: str, asked: str, intent: str = "inform", **slots: Any) -> Tracker:
    values = {name: None for name in DOMAIN["slots"]}
    values.update({"requested_slot": asked, asked: text, **slots})
    return Tracker(
        sender_id="visitor-1",
        slots=values,
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}},
        # What action_extract_slots just set: the slots a FormValidationAction validates.
        events=[
            {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
            {"event": "slot", "name": asked, "value": text},
        ],
        paused=False,
        followup_action=None,
        active_loop={"name": "callback_form"},
        latest_action_name="action_listen",
    )


async def validate(t: Tracker) -> tuple[dict[str, Any], list[str | None]]:
    dispatcher = CollectingDispatcher()
    events = await ValidateCallbackForm().run(dispatcher, t, DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    return slots, [m.get("response") for m in dispatcher.messages]


async def test_a_valid_number_is_kept_and_an_invalid_one_asked_again() -> None:
    slots, said = await validate(tracker("07911 123456", "callback_contact"))
    assert slots["callback_contact"] == "+447911123456" and said == []
    slots, said = await validate(tracker("0791112345", "callback_contact"))
    assert slots["callback_contact"] is None
    assert said == ["utter_callback_contact_invalid"]


@pytest.mark.parametrize(("intent", "kept"), [("affirm", "yes"), ("deny", "no")])
async def test_consent_is_the_visitors_yes_or_no(intent: str, kept: str) -> None:
    slots, said = await validate(tracker(f"/{intent}", "callback_consent", intent))
    assert slots["callback_consent"] == kept and said == []


async def test_anything_but_yes_or_no_to_consent_is_asked_again() -> None:
    slots, said = await validate(tracker("what will you do with it", "callback_consent", "faq"))
    assert slots["callback_consent"] is None
    assert said == ["utter_callback_consent_unclear"]


async def _save(**slots: Any) -> tuple[list[dict[str, Any]], list[str | None]]:
    dispatcher = CollectingDispatcher()
    t = tracker("/affirm", "callback_consent", "affirm", **slots)
    events = await ActionSaveCallback().run(dispatcher, t, DOMAIN)
    return events, [m.get("response") for m in dispatcher.messages]


FILLED = {
    "callback_name": "Jane",
    "callback_contact": "+447911123456",
    "callback_time": "weekday mornings",
}


async def test_with_consent_the_request_is_kept_and_the_answers_cleared() -> None:
    events, said = await _save(**FILLED, callback_consent="yes")
    assert said == ["utter_callback_saved"]
    kept = [e["value"] for e in events if e["name"] == "callback_request"]
    assert kept and kept[0]["contact"] == "+447911123456" and kept[0]["consent"] is True
    cleared = {e["name"] for e in events if e["value"] is None}
    assert cleared == set(SLOTS)


@pytest.mark.parametrize("consent", ["no", None])
async def test_without_consent_nothing_is_kept(consent: str | None) -> None:
    events, said = await _save(**FILLED, callback_consent=consent)
    assert said == ["utter_callback_not_saved"]
    assert all(e["name"] != "callback_request" for e in events)
    assert {e["name"] for e in events} == set(SLOTS)


def typed(text: str, asked: str | None, intent: str = "inform", rule: str = "whole") -> Tracker:
    """A message typed during (or, with `asked` None, starting) the callback request."""
    values = {name: None for name in DOMAIN["slots"]}
    values["requested_slot"] = asked
    parse = {"intent": {"name": intent, "confidence": 0.9}, "understanding": {"rule": rule}}
    return Tracker(
        sender_id="visitor-1",
        slots=values,
        latest_message={"text": text, **parse},
        events=[{"event": "user", "text": text, "parse_data": parse}],
        paused=False,
        followup_action=None,
        active_loop={"name": "callback_form"},
        latest_action_name="action_listen",
    )


async def test_details_typed_at_once_after_the_offer_are_all_kept() -> None:
    slots, said = await validate(
        typed("yes please, Hannah, 07700 900456, after 5pm", None, "affirm", rule="callback")
    )
    assert slots == {
        "callback_name": "Hannah",
        "callback_contact": "+447700900456",
        "callback_time": "after 5pm",
    }
    assert said == []


async def test_a_name_alone_straight_after_the_offer_is_the_name() -> None:
    slots, _ = await validate(typed("Olivia", None, "request_callback", rule="callback"))
    assert slots == {"callback_name": "Olivia"}
    # The same words as a plain request for a callback name nobody.
    slots, _ = await validate(typed("request a callback", None, "request_callback"))
    assert slots == {}


async def test_a_contact_given_when_the_name_was_asked_is_kept_and_the_name_asked_again() -> None:
    slots, said = await validate(typed("07911 123456", "callback_name"))
    assert slots == {"callback_contact": "+447911123456"} and said == []


async def test_a_question_in_the_middle_is_left_to_the_rules() -> None:
    slots, said = await validate(typed("what are your opening hours?", "callback_contact", "faq"))
    assert slots == {} and said == []


async def test_a_number_that_isnt_one_is_said_to_be_wrong_even_if_read_as_off_topic() -> None:
    slots, said = await validate(typed("my number is 12345", "callback_contact", "out_of_scope"))
    assert slots == {"callback_contact": None}
    assert said == ["utter_callback_contact_invalid"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("fine", "yes"),
        ("yes you can keep them", "yes"),
        ("actually no, don't keep my details", "no"),
    ],
)
async def test_consent_in_the_visitor_s_own_words(text: str, kept: str) -> None:
    slots, said = await validate(tracker(text, "callback_consent", "inform"))
    assert slots["callback_consent"] == kept and said == []


async def test_a_name_and_a_number_that_isnt_one_keep_the_name_and_say_so() -> None:
    slots, said = await validate(typed("Liam, my number is 12345", "callback_name"))
    assert slots == {"callback_name": "Liam", "callback_contact": None}
    assert said == ["utter_callback_contact_invalid"]


async def test_a_yes_when_the_name_is_asked_asks_the_name_again_without_a_complaint() -> None:
    slots, said = await validate(typed("yes", "callback_name", "affirm"))
    assert slots == {"callback_name": None} and said == []


async def test_a_stop_in_the_visitor_s_words_is_left_to_the_rules_that_keep_nothing() -> None:
    slots, said = await validate(typed("actually stop, never mind", "callback_name", "cancel"))
    assert slots == {} and said == []


@pytest.mark.parametrize("text", ["actually no, not needed", "nah leave it", "no, forget it"])
async def test_a_no_as_a_detail_is_asked_ends_the_request_keeping_nothing(text: str) -> None:
    slots, said = await validate(typed(text, "callback_contact", "deny"))
    # No detail is kept and the form ends: the rules then drop the request.
    assert slots == {"callback_consent": "no", "requested_slot": None} and said == []


async def test_a_no_that_gives_a_name_is_the_name() -> None:
    slots, _ = await validate(typed("no, it is Jo", "callback_name", "deny"))
    assert slots["callback_name"] == "Jo"


async def test_a_question_asked_as_the_time_is_asked_is_left_to_the_rules() -> None:
    asked = typed("what time do you close on saturday?", "callback_time", "faq")
    slots, said = await validate(asked)
    assert slots == {} and said == []
    # An answer that opens like a question is the time, as is a time said as a question.
    slots, _ = await validate(typed("any time today", "callback_time", "faq"))
    assert slots["callback_time"] == "any time today"
    slots, _ = await validate(typed("could they ring after 5pm?", "callback_time", "inform"))
    assert slots["callback_time"] == "after 5pm"


async def test_words_beside_a_time_are_not_a_new_name() -> None:
    t = typed("whenever, and yes to keeping it", "callback_time")
    t.slots["callback_name"] = "Mo"
    slots, _ = await validate(t)
    assert slots["callback_time"] == "whenever" and "callback_name" not in slots
    assert slots["callback_consent"] == "yes"


async def _reach_us(text: str, said_before: str | None) -> list[str | None]:
    events: list[dict[str, Any]] = []
    if said_before:
        events += [
            {"event": "user", "text": "can i talk to someone"},
            {"event": "bot", "text": "…", "metadata": {"utter_action": said_before}},
        ]
    events.append({"event": "user", "text": text})
    t = Tracker("visitor-1", {}, {"text": text}, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    await ActionCallbackReachUs().run(dispatcher, t, DOMAIN)
    return [m.get("response") for m in dispatcher.messages]


async def test_a_callback_asked_for_in_words_gets_the_clinic_s_contact_first() -> None:
    assert await _reach_us("can i get a callback", None) == ["utter_callback_reach_us"]
    assert await _reach_us("can i get a callback", "utter_faq/price") == ["utter_callback_reach_us"]
    # Just offered with the contact in it, or its button: straight to the questions.
    assert await _reach_us("yes please call me", "utter_request_human") == []
    assert await _reach_us("/request_callback", None) == []

"""Rasa adapters for a callback request: read the details, then keep them or not.

What counts as a name, a phone number, an email or a time is
`clinic.handoff.callbacks`; these actions only move slots. Every message of
the request is read for every detail, in any order (the one that started it
too: "Tom, 07700 900123, mornings"), and the form asks only for what is still
missing. A question in between is answered by the rules, then the form asks
again. The request is kept (slot `callback_request`, which the staff console
lists) only after the visitor agreed to the consent sentence; otherwise every
detail is cleared.
"""

from __future__ import annotations

import time
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from clinic.handoff.callbacks import (
    gives_contact,
    read_consent,
    read_contact,
    read_details,
    read_name,
    read_time,
)
from clinic.names import (
    AFFIRM,
    CALLBACK_CONSENT,
    CALLBACK_CONTACT,
    CALLBACK_NAME,
    CALLBACK_TIME,
    CANCEL,
    DENY,
    FEEDBACK_DOWN,
    FEEDBACK_UP,
    INTERRUPTIONS,
    OUT_OF_SCOPE,
    REQUESTED_SLOT,
)
from clinic.settings import load_clinic_settings
from clinic.understanding.segments import asks_outright

SLOTS = (CALLBACK_NAME, CALLBACK_CONTACT, CALLBACK_TIME, CALLBACK_CONSENT)
DETAILS = (CALLBACK_NAME, CALLBACK_CONTACT, CALLBACK_TIME)
YES, NO = "yes", "no"
# The reader's rule for details typed after the offer (clinic/understanding/decision.py).
DETAILS_RULE = "callback"
# Questions answered before the form asks again; anything else that gives no detail is
# a detail the form couldn't read ("12345" as a number), so it says so.
QUESTIONS_FIRST = INTERRUPTIONS - {OUT_OF_SCOPE, FEEDBACK_UP, FEEDBACK_DOWN}
# "yes", "yes please", "ok sure": a yes to the offer, said as the name is asked.
MAX_YES_WORDS = 3


def _intent(tracker: Tracker) -> str:
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def _understood_as(tracker: Tracker) -> str | None:
    """Which of the reader's rules decided the latest message (rasa_ext/nlu/readings.py)."""
    return (tracker.latest_message.get("understanding") or {}).get("rule")


def _checked(slot: str, value: str | None, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """The slot's read value; when there is none, say why (`utter_<slot>_invalid`), so the
    form asks again."""
    if value is None:
        dispatcher.utter_message(response=f"utter_{slot}_invalid")
    return {slot: value}


class ValidateCallbackForm(FormValidationAction):
    def name(self) -> str:
        return "validate_callback_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> list[EventType]:
        asked = tracker.get_slot(REQUESTED_SLOT)
        text = str(tracker.latest_message.get("text") or "")
        if asked == CALLBACK_CONSENT or text.startswith("/"):
            return await super().run(dispatcher, tracker, domain)
        intent = _intent(tracker)
        if intent == CANCEL:
            return []  # "actually stop, never mind": the rules end it, keeping nothing
        region = load_clinic_settings().phone_region
        asks = asks_outright(text)  # not "any time today"
        if intent in QUESTIONS_FIRST and asks and not gives_contact(text, region):
            # "what time do you close on saturday?" as the time is asked: the rules answer
            # the question, then the form asks again.
            return []
        # Details typed straight after the offer ("Olivia"): a few words alone are a name.
        name_alone = asked == CALLBACK_NAME or _understood_as(tracker) == DETAILS_RULE
        details = read_details(text, region, asked, name_alone=name_alone)
        given = details.as_slots()
        if tracker.get_slot(CALLBACK_NAME) and asked != CALLBACK_NAME and not details.named:
            given.pop(CALLBACK_NAME, None)  # words left beside a time are not a new name
        if intent == DENY and asked in DETAILS and not given:
            # "actually no, not needed" as a detail is asked: the visitor says no to the
            # request. Ending the form lets the rules drop it, keeping nothing.
            return [SlotSet(CALLBACK_CONSENT, NO), SlotSet(REQUESTED_SLOT, None)]
        if details.unusable_contact and not details.contact:
            # "Liam, my number is 12345": keep the name, say the number can't be used.
            dispatcher.utter_message(response="utter_callback_contact_invalid")
            kept = [SlotSet(slot, value) for slot, value in given.items()]
            return [*kept, SlotSet(CALLBACK_CONTACT, None)]
        if asked in DETAILS and not given:
            if intent in QUESTIONS_FIRST:
                return []  # a question first: the rules answer it, then the form asks again
            if intent == AFFIRM and len(text.split()) <= MAX_YES_WORDS:
                return [SlotSet(asked, None)]  # "yes" to the offer: the question again
            dispatcher.utter_message(response=f"utter_{asked}_invalid")
            return [SlotSet(asked, None)]
        events: list[EventType] = [SlotSet(slot, value) for slot, value in given.items()]
        tracker.add_slots(events)
        return await self._extract_validation_events(dispatcher, tracker, domain)

    def validate_callback_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        return _checked(CALLBACK_NAME, read_name(str(value or "")), dispatcher)

    def validate_callback_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        contact = read_contact(str(value or ""), load_clinic_settings().phone_region)
        return _checked(CALLBACK_CONTACT, contact.value if contact else None, dispatcher)

    def validate_callback_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        return _checked(CALLBACK_TIME, read_time(str(value or "")), dispatcher)

    def validate_callback_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        if value in (YES, NO) and tracker.get_slot(REQUESTED_SLOT) != CALLBACK_CONSENT:
            return {CALLBACK_CONSENT: value}  # said beside the details, before it was asked
        text = str(tracker.latest_message.get("text") or "")
        answer = {AFFIRM: YES, DENY: NO}.get(_intent(tracker)) or read_consent(text)
        if answer is None:
            dispatcher.utter_message(response="utter_callback_consent_unclear")
        return {CALLBACK_CONSENT: answer}


# The bot's offers of a callback, with the clinic's contact in them.
OFFERS = frozenset({"utter_request_human", "utter_handoff_unanswered"})


def _last_bot_response(tracker: Tracker) -> str | None:
    """The response the bot said last before the visitor's latest message."""
    seen_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_message:
                return None
            seen_message = True
        elif event.get("event") == "bot" and seen_message:
            return str((event.get("metadata") or {}).get("utter_action") or "") or None
    return None


class ActionCallbackReachUs(Action):
    """A callback asked for in the visitor's words: the clinic's contact first, which may be
    quicker, unless the bot has just given it with its offer (or the offer's button)."""

    def name(self) -> str:
        return "action_callback_reach_us"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        if not text.startswith("/") and _last_bot_response(tracker) not in OFFERS:
            dispatcher.utter_message(response="utter_callback_reach_us")
        return []


class ActionSaveCallback(Action):
    """Keep the request for the team if the visitor agreed; otherwise keep nothing."""

    def name(self) -> str:
        return "action_save_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> list[EventType]:
        values = {slot: tracker.get_slot(slot) for slot in SLOTS}
        cleared: list[EventType] = [SlotSet(slot, None) for slot in SLOTS]
        if values[CALLBACK_CONSENT] != YES or not all(values.values()):
            dispatcher.utter_message(response="utter_callback_not_saved")
            return cleared
        dispatcher.utter_message(
            response="utter_callback_saved",
            callback_name=values[CALLBACK_NAME],
            callback_time=values[CALLBACK_TIME],
        )
        request = {
            "name": values[CALLBACK_NAME],
            "contact": values[CALLBACK_CONTACT],
            "time": values[CALLBACK_TIME],
            "consent": True,
            "at": time.time(),
        }
        return [SlotSet("callback_request", request), *cleared]

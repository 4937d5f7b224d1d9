"""Rasa adapters for a callback request: check each answer, then keep it or not.

What counts as a name, a phone number or an email is `clinic.handoff.callbacks`;
these actions only move slots. The request is kept (slot `callback_request`,
which the staff console lists) only after the visitor agreed to the consent
sentence; otherwise every detail is cleared.
"""

from __future__ import annotations

import time
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from clinic.handoff.callbacks import read_contact, read_name, read_time
from clinic.settings import load_clinic_settings

SLOTS = ("callback_name", "callback_contact", "callback_time", "callback_consent")
YES, NO = "yes", "no"


def _intent(tracker: Tracker) -> str:
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def _checked(slot: str, value: str | None, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """The slot's read value; when there is none, say why (`utter_<slot>_invalid`), so the
    form asks again."""
    if value is None:
        dispatcher.utter_message(response=f"utter_{slot}_invalid")
    return {slot: value}


class ValidateCallbackForm(FormValidationAction):
    def name(self) -> str:
        return "validate_callback_form"

    def validate_callback_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        return _checked("callback_name", read_name(str(value or "")), dispatcher)

    def validate_callback_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        contact = read_contact(str(value or ""), load_clinic_settings().phone_region)
        return _checked("callback_contact", contact.value if contact else None, dispatcher)

    def validate_callback_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        return _checked("callback_time", read_time(str(value or "")), dispatcher)

    def validate_callback_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        answer = {"affirm": YES, "deny": NO}.get(_intent(tracker))
        if answer is None:
            dispatcher.utter_message(response="utter_callback_consent_unclear")
        return {"callback_consent": answer}


class ActionSaveCallback(Action):
    """Keep the request for the team if the visitor agreed; otherwise keep nothing."""

    def name(self) -> str:
        return "action_save_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> list[EventType]:
        values = {slot: tracker.get_slot(slot) for slot in SLOTS}
        cleared: list[EventType] = [SlotSet(slot, None) for slot in SLOTS]
        if values["callback_consent"] != YES or not all(values.values()):
            dispatcher.utter_message(response="utter_callback_not_saved")
            return cleared
        dispatcher.utter_message(
            response="utter_callback_saved",
            callback_name=values["callback_name"],
            callback_time=values["callback_time"],
        )
        request = {
            "name": values["callback_name"],
            "contact": values["callback_contact"],
            "time": values["callback_time"],
            "consent": True,
            "at": time.time(),
        }
        return [SlotSet("callback_request", request), *cleared]

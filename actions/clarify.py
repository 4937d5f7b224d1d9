"""The steps of Rasa's two-stage fallback: "did you mean…?", "please rephrase", give up."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from clinic.clarification import SOMETHING_ELSE_PAYLOAD, best_guesses, load_question_titles
from clinic.messages import message, text


class ActionAskWhichQuestion(Action):
    """Offers the 2–3 likeliest questions as buttons, plus "something else"."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        guesses = best_guesses(tracker.latest_message, load_question_titles())
        buttons = [{"title": guess.title, "payload": guess.payload} for guess in guesses]
        buttons.append({"title": "Something else", "payload": SOMETHING_ELSE_PAYLOAD})
        # Rasa's two-stage fallback runs this action inside its own, so only this
        # key tells the staff console's index which step was shown (staff/turns.py).
        dispatcher.utter_message(text=text("did_you_mean"), buttons=buttons, sent_by=self.name())
        return []


class ActionAskRephrase(Action):
    """Second stage: the visitor said none of the guesses fit."""

    def name(self) -> str:
        return "action_default_ask_rephrase"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(**message("ask_rephrase"), sent_by=self.name())
        return []


class ActionGiveUp(Action):
    """Still unclear: say what the bot can do and how to reach the clinic."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(**message("default"), sent_by=self.name())
        return [UserUtteranceReverted()]

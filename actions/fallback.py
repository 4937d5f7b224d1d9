"""The "did you mean…?" step of Rasa's two-stage fallback."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clarification import SOMETHING_ELSE_PAYLOAD, best_guesses, load_question_titles


class ActionAskWhichQuestion(Action):
    """Offers the 2–3 likeliest questions as buttons, plus "something else"."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        guesses = best_guesses(tracker.latest_message, load_question_titles())
        buttons = [{"title": guess.title, "payload": guess.payload} for guess in guesses]
        buttons.append({"title": "Something else", "payload": SOMETHING_ELSE_PAYLOAD})
        dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        return []

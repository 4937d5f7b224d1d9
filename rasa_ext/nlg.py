"""Response generation: the clinic's details, the article's own words, and feedback buttons.

Responses write `{clinic_phone}`, `{clinic_booking_url}` and so on; this
generator supplies those values from `clinic.yml` inside the Rasa server, so
contact details reach the visitor even when the action server is down.
Every answer that states the article's facts (content/fact-map.yml) gets a
"Where is this from?" button, and answers from the article get 👍 / 👎;
`utter_source` itself is written here, from the last such answer's facts and
the article's own sentences (content/fact-sources.yml): a visitor, or staff,
can check every answer against the clinic's text.
It stops Rasa with a clear message when the patches of rasa_ext/patches.py are
not installed (Rasa started with the plain `rasa` command instead of `python -m rasa_ext`).
Enabled in `endpoints.yml` as `nlg: type: rasa_ext.nlg.ClinicResponseGenerator`.
"""

from __future__ import annotations

from typing import Any

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from clinic.content import load_topics, sources_of
from clinic.messages import text
from clinic.settings import load_clinic_settings
from clinic.understanding.details import detail_of_response
from rasa_ext import patches

SOURCE = "utter_source"
SOURCE_PAYLOAD = "/ask_source"
FEEDBACK_PAYLOADS = (("👍", "/feedback_up"), ("👎", "/feedback_down"))


def _article_answer(response: str) -> bool:
    """An answer from the article: a topic's, or one detail of it that the article gives."""
    detail = detail_of_response(response)
    if detail is not None:
        return detail.coverage == "article"
    topic = load_topics().get(response.removeprefix("utter_"))
    return topic is not None and topic.coverage == "article"


def answered_before(tracker: DialogueStateTracker) -> str | None:
    """The last response the bot sent that states the article's facts, if any."""
    for event in reversed(tracker.events):
        if isinstance(event, BotUttered):
            name = str((event.metadata or {}).get("utter_action") or "")
            if name != SOURCE and sources_of(name):
                return name
    return None


def source_text(response: str | None) -> str:
    """The article's passages behind `response`, quoted; or how to get them."""
    passages = sources_of(response) if response else []
    if not passages:
        return text("source_none")
    # One quoted paragraph per passage: the widget's markdown joins quote lines
    # into one run-on paragraph otherwise ("such as: Dull skin Loss of volume").
    quoted = "\n>\n".join(f"> {passage}" for passage in passages)
    return f"{text('source_intro')}\n\n{quoted}"


class ClinicResponseGenerator(TemplatedNaturalLanguageGenerator):
    """Domain responses, with the clinic's details available as variables."""

    def __init__(self, endpoint_config: EndpointConfig | None, domain: Domain) -> None:
        patches.require_installed(type(self).__name__)
        super().__init__(domain.responses)
        self.clinic_variables = load_clinic_settings().response_variables()

    def _response_variables(
        self, filled_slots: dict[str, Any], kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        variables = super()._response_variables(filled_slots, kwargs)
        # Slots and kwargs win, so an action can still override a value.
        return {**self.clinic_variables, **variables}

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        reply = await super().generate(utter_action, tracker, output_channel, **kwargs)
        if reply is None:
            return None
        if utter_action == SOURCE:
            return {**reply, "text": source_text(answered_before(tracker))}
        if sources_of(utter_action):
            buttons = list(reply.get("buttons") or [])
            buttons.append({"title": text("source_button"), "payload": SOURCE_PAYLOAD})
            if _article_answer(utter_action):
                buttons += [{"title": t, "payload": p} for t, p in FEEDBACK_PAYLOADS]
            reply = {**reply, "buttons": buttons}
        return reply

"""What staff read in place of the bot's internals: topics, outcomes, buttons, formatting.

Staff think in questions ("Can I go in the sun afterwards?"), not in intent
names (`faq/sun_after`); a pressed button is what it said, not its payload
(`/feedback_down`); the buttons a reply offered are listed by their titles,
without the 👍/👎 that come with every answer; the widget's automatic `/greet`
is no message at all; and the bot's `**bold**` is shown bold, never as
asterisks. Titles come from content/topics.yml, the same ones the "did you
mean…?" buttons show.

Visitor text is never formatted: only the bot's own replies are, and they are
escaped first, so nothing a visitor or a response holds becomes markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup, escape

from clinic.clarification import SOMETHING_ELSE_PAYLOAD, load_question_titles
from staff.conversations import Line
from staff.turns import CLARIFY_REFUSED, CLARIFY_REPHRASED, FALLBACK, NOT_COVERED, OUT_OF_SCOPE

# Payloads the widget sends by itself: not something the visitor did.
SILENT_PAYLOADS = frozenset({"/greet"})
# 👍/👎 come with every answer: listing them under each would only hide what else was offered.
FEEDBACK_PAYLOADS = frozenset({"/feedback_up", "/feedback_down"})
BUTTON_LABELS = {
    "/feedback_up": "👍 Helpful",
    "/feedback_down": "👎 Not helpful",
    "/ask_source": "Where is this from?",
    "/affirm": "Yes",
    "/deny": "No",
    SOMETHING_ELSE_PAYLOAD: "Something else",
}
# Intents without a question title, named for staff (the rest read as their title).
INTENT_NAMES = {
    "faq": "a question about mesotherapy",
    "greet": "hello",
    "goodbye": "goodbye",
    "thank": "thanks",
    "affirm": "yes",
    "deny": "no",
    "inform": "an answer to a question",
    "cancel": "cancel",
    "out_of_scope": "not about mesotherapy",
    "other_language": "another language",
    "safety_followup": "a follow-up about a safety answer",
    "ask_source": "where an answer is from",
    "feedback_up": "👍",
    "feedback_down": "👎",
    "request_callback": "asked to be called back",
    "nlu_fallback": "not understood",
}
NO_TOPIC = "(no article topic)"
# How an unanswered message ended, as staff would say it.
OUTCOME_LABELS = {
    FALLBACK: "not understood",
    NOT_COVERED: "the article doesn't say",
    OUT_OF_SCOPE: "taken as not about mesotherapy",
    CLARIFY_REFUSED: 'no "did you mean…?" fitted',
    CLARIFY_REPHRASED: 'asked again after a "did you mean…?"',
}


@cache
def _titles() -> dict[str, str]:
    return load_question_titles()


def topic_title(name: str | None) -> str:
    """A topic or intent as staff read it: its question title, else a plain description.

    Takes an intent (`ask_pregnancy`), a topic with or without its `faq/`, or a response.
    """
    if not name:
        return ""
    name = name.removeprefix("utter_")
    for key in (name, f"faq/{name}"):  # the index keeps article topics without `faq/`
        if key in _titles():
            return _titles()[key]
    if name in INTENT_NAMES:
        return INTENT_NAMES[name]
    if name == NO_TOPIC:
        return "No article topic"
    return name.rsplit("/", 1)[-1].replace("_", " ").capitalize()


def outcome_label(outcome: str) -> str:
    """How a message ended, in words (`clarify_refused` is 'no "did you mean…?" fitted')."""
    return OUTCOME_LABELS.get(outcome, outcome.replace("_", " "))


# Rasa names a trained model by a 32-character hex id; staff compare its first characters.
SHORT_VERSION = 8


def assistant_version(model_id: str) -> str:
    """Which trained assistant answered, short enough to compare at a glance."""
    return model_id[:SHORT_VERSION] if len(model_id) > 2 * SHORT_VERSION else model_id


def button_label(payload: str) -> str | None:
    """What a pressed button said, from its payload; None for the widget's own `/greet`."""
    payload = payload.strip()
    if payload in SILENT_PAYLOADS:
        return None
    if payload in BUTTON_LABELS:
        return BUTTON_LABELS[payload]
    intent = payload[1:].split("{", 1)[0]
    return topic_title(intent) if intent else "a button"


_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+|mailto:[^\s)]+|tel:[^\s)]+)\)")


def bot_markup(text: str) -> Markup:
    """The bot's reply with its markdown (bold, links) shown as the widget shows it.

    Escaped first: the only markup in the result is the `<strong>` and `<a>` made here,
    and a link goes only to a web address, an email or a phone number.
    """
    escaped = str(escape(text))
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    escaped = _LINK.sub(r'<a href="\2" rel="noopener noreferrer" target="_blank">\1</a>', escaped)
    return Markup(escaped)


def plain(text: str) -> str:
    """The bot's reply without markdown, for places that show it as plain text (CSV)."""
    return _LINK.sub(r"\1", _BOLD.sub(r"\1", text))


@dataclass(frozen=True)
class Said:
    """One transcript line as staff read it."""

    at: float
    who: str  # "visitor", "bot", "staff" or "event"
    text: str
    label: str = ""  # the topic a bot answer was about, or the staff member's name
    pressed: bool = False  # the visitor pressed a button (text is its label)
    offered: tuple[str, ...] = ()  # the titles of the buttons offered with it, but 👍/👎

    @property
    def markup(self) -> Markup:
        """The line's text for the page: the bot's formatted, anyone else's escaped."""
        return bot_markup(self.text) if self.who == "bot" else Markup(escape(self.text))


def offered(buttons: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The titles of the buttons offered with a message, without the 👍/👎 feedback ones."""
    return tuple(title for title, payload in buttons if payload not in FEEDBACK_PAYLOADS)


def readable(lines: list[Line]) -> list[Said]:
    """A transcript for staff: buttons by their labels, `/greet` left out, no intent names."""
    shown = []
    for line in lines:
        if line.who == "visitor" and line.text.startswith("/"):
            label = button_label(line.text)
            if label is not None:
                shown.append(Said(line.at, line.who, label, pressed=True))
        elif line.who == "bot":
            topic = line.detail if line.detail.startswith("utter_faq/") else ""
            title = topic_title(topic)
            shown.append(Said(line.at, line.who, line.text, title, offered=offered(line.buttons)))
        elif line.who == "staff":
            shown.append(
                Said(line.at, line.who, line.text, line.detail, offered=offered(line.buttons))
            )
        else:
            shown.append(Said(line.at, line.who, line.text))
    return shown

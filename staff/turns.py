"""What happened to each visitor message, read from the tracker store's events.

A turn is one visitor message and everything the bot did until the next one.
Its outcome is one word staff can count and filter by; the reply is read from
the response names Rasa stores with each bot message (`utter_action`), or the
action that sent it. Nothing here talks to a database: staff/indexer.py feeds
it events and stores what it returns.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from typing import Any

from clinic import names
from clinic.clarification import SOMETHING_ELSE_PAYLOAD
from clinic.content import load_topics

ANSWERED = "answered"  # from the article
NOT_COVERED = "not_covered"  # an honest "the article doesn't say"
CLINIC_INFO = "clinic_info"  # opening hours, booking, contact details (clinic.yml)
SAFETY = "safety"  # pregnancy, a reaction after treatment: sent to the clinic's team
CONTACT = "contact"  # asked for a person
CLARIFY_OFFERED = "clarify_offered"  # "did you mean…?", not answered yet
CLARIFY_ACCEPTED = "clarify_accepted"  # a "did you mean…?" guess was picked
CLARIFY_REFUSED = "clarify_refused"  # "something else": none of the guesses fit
# Refused, then asked again in other words: the question counts once, as the new wording.
CLARIFY_REPHRASED = "clarify_rephrased"
FALLBACK = "fallback"  # not understood
OUT_OF_SCOPE = "out_of_scope"  # declined: not about mesotherapy
OTHER_LANGUAGE = "other_language"
PLANNER = "planner"  # an answer to, or a step of, the planner
FEEDBACK = "feedback"  # 👍 / 👎, or what was missing
CHOICE = "choice"  # a "did you mean…?" button pressed: part of the question before it
CALLBACK = "callback"  # an answer to the callback request's questions (name, contact…)
WITH_STAFF = "with_staff"  # written during a live chat: a member of staff answers it
OTHER = "other"  # greetings, thanks and other small talk

# Outcomes a person should look at: the bot did not answer the question.
UNANSWERED = frozenset({NOT_COVERED, CLARIFY_REFUSED, CLARIFY_REPHRASED, FALLBACK, OUT_OF_SCOPE})
# "Did you mean…?" offers, however they ended.
CLARIFICATIONS = frozenset({CLARIFY_OFFERED, CLARIFY_ACCEPTED, CLARIFY_REFUSED, CLARIFY_REPHRASED})
# Visitor questions, for the resolution rate: everything but small talk, feedback and
# answers to the planner's questions.
QUESTIONS = frozenset(
    {
        ANSWERED,
        NOT_COVERED,
        CLINIC_INFO,
        SAFETY,
        CONTACT,
        CLARIFY_OFFERED,
        CLARIFY_REFUSED,
        FALLBACK,
        OUT_OF_SCOPE,
        OTHER_LANGUAGE,
    }
)
# A picked "did you mean…?" guess is counted once, as the answer its button got.
# Only these can be resolved, and only if the visitor doesn't object (`objection_to`).
RESOLVING = frozenset({ANSWERED, CLINIC_INFO, SAFETY})
HOUR_S = 3600  # the overview's chart buckets are hours, or days of 24 of them
# How many of the visitor's next messages may say that an answer didn't do.
RESOLUTION_WINDOW = 2
PERSON_INTENTS = frozenset({names.REQUEST_HUMAN, names.REQUEST_CALLBACK})
REPHRASED = 0.75  # difflib's ratio between two messages' words: the same question again
_WORD = re.compile(r"\w", re.UNICODE)

SAFETY_RESPONSES = frozenset(
    {
        "utter_pregnancy",
        "utter_pregnancy_followup",
        "utter_adverse_reaction",
        "utter_safety_followup",
    }
)
FEEDBACK_INTENTS = {names.FEEDBACK_UP: "up", names.FEEDBACK_DOWN: "down"}
FEEDBACK_ASK = "utter_ask_feedback_text"  # the one-line form after a 👎
# Said by the bot around an answer, not the answer itself.
ASIDES = frozenset({"utter_privacy_notice", "utter_source", "utter_feedback_thanks", FEEDBACK_ASK})
PLANNER_ACTIONS = frozenset(
    {
        names.PLANNER_FORM,
        f"validate_{names.PLANNER_FORM}",
        "action_ask_plan_confirmed",
        "action_plan_schedule",
    }
)
_REPLY_OUTCOMES = {
    "utter_request_human": CONTACT,
    "utter_handoff_connecting": CONTACT,  # connected to the team for a live chat
    "utter_out_of_scope": OUT_OF_SCOPE,
    "action_default_fallback": FALLBACK,
    "action_default_ask_rephrase": CLARIFY_REFUSED,
    "action_default_ask_affirmation": CLARIFY_OFFERED,
    "utter_other_language": OTHER_LANGUAGE,
}
# When a turn has several replies, the one that says most about it wins.
_PRECEDENCE = (
    SAFETY,
    CONTACT,
    ANSWERED,
    CLARIFY_ACCEPTED,
    NOT_COVERED,
    CLINIC_INFO,
    OTHER_LANGUAGE,
    CLARIFY_REFUSED,
    CLARIFY_OFFERED,
    FALLBACK,
    OUT_OF_SCOPE,
    PLANNER,
    CALLBACK,
    FEEDBACK,
    CHOICE,
    OTHER,
)
CALLBACK_ACTIONS = frozenset(
    {names.CALLBACK_FORM, "validate_callback_form", "action_save_callback"}
)
CALLBACK_INTENT = names.REQUEST_CALLBACK


@cache
def _coverage() -> dict[str, str]:
    return {name: str(topic.coverage) for name, topic in load_topics().items()}


def reply_outcome(reply: str) -> str:
    """The outcome one reply (a response or action name) stands for."""
    if reply in SAFETY_RESPONSES:
        return SAFETY
    if reply in _REPLY_OUTCOMES:
        return _REPLY_OUTCOMES[reply]
    if reply in CALLBACK_ACTIONS or reply.startswith(("utter_ask_callback_", "utter_callback_")):
        return CALLBACK
    if reply in PLANNER_ACTIONS or reply.startswith("utter_ask_"):
        return PLANNER
    if reply.startswith("utter_"):
        coverage = _coverage().get(reply.removeprefix("utter_"), "")
        return {
            "article": ANSWERED,
            "not_in_article": NOT_COVERED,
            "clinic": CLINIC_INFO,
            "route": SAFETY,
        }.get(coverage, OTHER)
    return OTHER


def outcome_of(intent: str | None, replies: list[str], in_planner: bool = False) -> str:
    """The one outcome of a turn, from its intent and the bot's replies."""
    if intent in FEEDBACK_INTENTS:
        return FEEDBACK
    if intent == CALLBACK_INTENT:
        return CONTACT  # asked for the team to get back to them
    found = {reply_outcome(reply) for reply in replies if reply not in ASIDES}
    if in_planner and found <= {PLANNER, OTHER}:
        return PLANNER
    return next((outcome for outcome in _PRECEDENCE if outcome in found), OTHER)


def article_topics(replies: list[str]) -> list[str]:
    """The article's topics a turn was answered with, in order, once each."""
    topics = [
        reply.removeprefix("utter_faq/") for reply in replies if reply.startswith("utter_faq/")
    ]
    return list(dict.fromkeys(t for t in topics if _coverage().get(f"faq/{t}") == "article"))


@dataclass
class Turn:
    """One visitor message and the bot's replies to it, as the index keeps it."""

    event_id: int
    sender_id: str
    at: float
    text: str
    intent: str | None = None
    confidence: float | None = None
    rule: str | None = None
    model_id: str | None = None
    replies: list[str] = field(default_factory=list)
    reply_text: str = ""
    outcome: str = OTHER
    feedback: str | None = None
    feedback_text: str | None = None
    in_planner: bool = False
    # Set for a turn whose outcome the index decided from what came after it (a
    # "did you mean…?" answered, feedback): replies don't change it.
    settled: bool = False
    # A "did you mean…?" button: an answer it gets counts, its "please rephrase" doesn't.
    choice: bool = False
    # Why the visitor's next messages say the answer didn't do (`objection_to`), if they do.
    objection: str | None = None

    @classmethod
    def from_user_event(cls, event_id: int, sender_id: str, data: dict[str, Any]) -> Turn:
        parse = data.get("parse_data") or {}
        intent = parse.get("intent") or {}
        metadata = data.get("metadata") or {}
        understanding = parse.get("understanding") or {}
        return cls(
            event_id=event_id,
            sender_id=sender_id,
            at=float(data.get("timestamp") or 0.0),
            text=str(data.get("text") or ""),
            intent=intent.get("name"),
            confidence=_number(intent.get("confidence")),
            rule=understanding.get("rule") if isinstance(understanding, dict) else None,
            model_id=metadata.get("model_id"),
        )

    def add_reply(self, reply: str, text: str) -> None:
        self.replies.append(reply)
        if reply not in ASIDES and text:
            self.reply_text = f"{self.reply_text}\n{text}".strip()
        if not self.settled:
            self.outcome = outcome_of(self.intent, self.replies, self.in_planner)
            if self.choice and self.outcome not in QUESTIONS - {CLARIFY_REFUSED, FALLBACK}:
                self.outcome = CHOICE

    @property
    def topics(self) -> list[str]:
        return article_topics(self.replies)

    @property
    def written(self) -> bool:
        """Typed by the visitor: a message of theirs, not a button's payload."""
        return not is_click(self.text)

    @property
    def resolved(self) -> bool:
        """Answered (from the article, with the clinic's details, or by routing a safety
        question to the team), about something with words in it, and not objected to."""
        return (
            self.outcome in RESOLVING
            and self.feedback != "down"
            and self.objection is None
            and _WORD.search(self.text) is not None
        )

    def row(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "sender_id": self.sender_id,
            "at": self.at,
            "text": self.text,
            "intent": self.intent,
            "confidence": self.confidence,
            "rule": self.rule,
            "model_id": self.model_id,
            "replies": json.dumps(self.replies),
            "reply_text": self.reply_text,
            "outcome": self.outcome,
            "topics": json.dumps(self.topics),
            "feedback": self.feedback,
            "feedback_text": self.feedback_text,
            "objection": self.objection,
            "resolved": self.resolved,
            "written": self.written,
            "hour": hour_of(self.at),
        }

    @classmethod
    def from_row(cls, row: Any) -> Turn:
        turn = cls(
            event_id=row.event_id,
            sender_id=row.sender_id,
            at=row.at,
            text=row.text,
            intent=row.intent,
            confidence=row.confidence,
            rule=row.rule,
            model_id=row.model_id,
            replies=json.loads(row.replies or "[]"),
            reply_text=row.reply_text or "",
            outcome=row.outcome,
            feedback=row.feedback,
            feedback_text=row.feedback_text,
            objection=row.objection,
        )
        turn.in_planner = turn.outcome == PLANNER
        turn.settled = turn.outcome in (
            CLARIFY_ACCEPTED,
            CLARIFY_REFUSED,
            CLARIFY_REPHRASED,
            FEEDBACK,
            WITH_STAFF,
        )
        turn.choice = turn.outcome == CHOICE or (turn.text.startswith("/") and turn.replies == [])
        return turn


def hour_of(at: float) -> int:
    """The hour since 1970 a time falls in, as `staff_turns.hour` stores it."""
    return math.floor(at / HOUR_S)


def _number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def objection_to(answered: Turn, later: Turn, next_one: bool) -> str | None:
    """What `later`, one of the visitor's next two messages, says against `answered`.

    A request for a person or a callback (but after a safety answer, which tells
    them to talk to the team), a typed "no, that's not it" right after, or the
    same question again in nearly the same words. None if it says nothing.
    """
    if answered.outcome not in RESOLVING:
        return None
    if later.intent in PERSON_INTENTS and answered.outcome != SAFETY:
        return "person"
    if is_click(later.text):
        return None
    if next_one and later.intent == names.DENY:
        return "complaint"
    if rephrases(answered.text, later.text):
        return "rephrase"
    return None


def rephrases(first: str, second: str) -> bool:
    """The second message asks the first again: nearly the same words, in order."""
    a, b = _words(first), _words(second)
    return bool(a and b) and SequenceMatcher(None, a, b).ratio() >= REPHRASED


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


CLICK_PREFIX = "/"  # Rasa reads a message starting with it as an intent, as buttons send
SKIPS = frozenset({"skip", "no", "nothing", "none", "n/a", "no thanks"})


def is_click(text: str) -> bool:
    """A button's payload (the widget's automatic `/greet`, 👍/👎, a "did you mean…?"
    choice, a form's yes/no), not a message the visitor wrote."""
    return text.startswith(CLICK_PREFIX)


def is_choice_of_a_guess(text: str) -> bool:
    """A "did you mean…?" button was pressed (its payload), not "something else"."""
    return text.startswith("/") and not text.startswith(SOMETHING_ELSE_PAYLOAD)

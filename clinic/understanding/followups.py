"""Short follow-ups read with the conversation: "and alcohol?" after an aftercare answer.

A follow-up names only what changes ("and alcohol?", "what about the gym",
"ok and for stretch marks?"); the rest of the question is the one just
answered. Each answered topic has a frame (content/topics.yml: before, after,
conditions, sessions…), and a follow-up in a frame is rewritten as the full
question that frame implies, which the classifier then reads like any other.
"""

from __future__ import annotations

import re

from clinic.understanding.segments import is_question, words

MAX_FOLLOWUP_WORDS = 6
# How a follow-up in each frame reads as a whole question.
FRAME_QUESTIONS = {
    "after": "{focus} after the treatment",
    "before": "{focus} before the treatment",
    "conditions": "does mesotherapy help with {focus}",
    "sessions": "how many sessions for {focus}",
}
_FILLERS = (
    r"(?:ok|okay|k|right|cool|great|thanks|thank you|thx|ta|lovely|perfect|oh|hmm|um|so|"
    r"and so|alright|sure|yeah|yes|no|nope|fair enough|got it|i see)"
)
# Longest first: "and what about" must not stop at "and".
_CONNECTORS = (
    r"(?:and what about|and how about|but what about|what about|how about|what if|same for|"
    r"and for|and with|and if|and|also|plus|but|like|even|or)"
)
_OPENERS = re.compile(
    rf"^(?:{_FILLERS}[\s,.!?]+)+(?:{_CONNECTORS}\b[\s,]*)?|^{_CONNECTORS}\b[\s,]*", re.I
)
_LEADING_WORDS = re.compile(r"^(?:for|with|about|on|to|if|re|regarding)\s+", re.I)
# Words that switch the frame themselves ("and before?"): the whole message says enough.
_FRAME_WORDS = re.compile(r"\b(?:before|beforehand|after|afterwards|after that|prior)\b", re.I)
# Short replies that are not follow-ups about something.
_NOT_A_TOPIC = re.compile(
    r"^(?:really|why|ok|okay|sure|yes|yeah|yep|no|nope|thanks|thank you|seriously|what|huh|sorry|"
    r"hi|hello|hey|bye|cool|great|wow|oh|right|and|so|me|you|it|that|this|then|now|more|else|"
    r"anything else|how|when|where|who|which|thx|ta|ty|cheers|lol|haha|nice|brill|lovely|perfect|"
    r"awesome|amazing|fab|ace|bye|got it|fair enough|noted|understood|will do)$",
    re.I,
)


def focus_of(text: str) -> str | None:
    """What an elliptic follow-up asks about ("alcohol" in "and alcohol?"), or None.

    A follow-up opens with "and", "what about", "how about"… and is short, or
    is a bare few words with a question mark ("the gym?").
    """
    cleaned = text.strip()
    opened = _OPENERS.match(cleaned)
    rest = cleaned[opened.end() :] if opened else cleaned
    rest = _LEADING_WORDS.sub("", rest.strip(" ?!.,")).strip()
    count = len(words(rest))
    if not rest or count > MAX_FOLLOWUP_WORDS or _NOT_A_TOPIC.match(rest):
        return None
    if opened is None and not (cleaned.endswith("?") and count <= 3):
        return None
    if _FRAME_WORDS.search(rest) or is_question(rest.rstrip("?") + " "):
        return None  # "and before?" or "and how often?" says enough on its own
    return rest


def template_for(frame: str | None, topic_template: str | None = None) -> str | None:
    """How a follow-up reads after an answer: its topic's own wording, else its frame's."""
    return topic_template or FRAME_QUESTIONS.get(frame or "")


def rewrite(focus: str, template: str | None) -> str | None:
    """The whole question a follow-up about `focus` asks, worded by `template`."""
    return template.format(focus=focus) if template else None


def is_short(text: str) -> bool:
    """Short enough to lean on the question before it ("for how long?", "even gentle yoga?")."""
    count = len(words(text))
    return 0 < count <= MAX_FOLLOWUP_WORDS and not _NOT_A_TOPIC.match(text.strip(" ?!.,"))


def joined(previous_question: str, text: str) -> str:
    """The follow-up read after the question it follows: "can I go in the sun after? how long"."""
    return f"{previous_question.strip().rstrip('?!.')} {text.strip()}"


_SWITCH = re.compile(
    r"^\W*(?:(?:ok|okay|so|and|but|what about|how about|and what about|or)[\s,]+)*"
    r"(?P<word>before|beforehand|after|afterwards|after that)\W*$",
    re.I,
)
_BEFORE_WORDS = re.compile(r"\b(?:the night before|beforehand|before)\b", re.I)
_AFTER_WORDS = re.compile(r"\b(?:afterwards|after)\b", re.I)


def switched(previous_question: str, text: str) -> str | None:
    """ "and after?" after "can I drink alcohol before the treatment?": the same, after it."""
    match = _SWITCH.match(text.strip())
    if not match or not previous_question:
        return None
    to_after = match["word"].lower().startswith("after")
    pattern, replacement = (_BEFORE_WORDS, "after") if to_after else (_AFTER_WORDS, "before")
    if not pattern.search(previous_question):
        return None
    return pattern.sub(replacement, previous_question.strip().rstrip("?!."))

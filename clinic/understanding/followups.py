"""The texts a follow-up is read as: the last answer's question around it, joined to it,
or with its time turned round.

A follow-up names only what changes ("and alcohol?"); the rest is the
question just answered. Whether a message is a follow-up at all is the
context reader's call (clinic/understanding/context.py, learned from
examples); these functions only word the readings it chooses between: the
answered topic's own question around the message (content/topics.yml
`followup`), the visitor's last question with the message after it, and,
when the message names the other side of the treatment ("and after?") or
another day ("sorry, I meant Saturdays"), the last question with that side or
day in place of the one it named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from clinic.content import load_topics
from clinic.rules import WEEKDAYS
from clinic.understanding.answers import NOT_IN_ARTICLE
from clinic.understanding.negation import without_what_is_denied
from clinic.understanding.segments import without_leading_join, words

# Longer messages carry their own question; joining them to the last one only blurs it.
MAX_FOLLOWUP_WORDS = 12
# Only a few words fit inside the topic's question ("and alcohol? after the treatment").
MAX_REWRITE_WORDS = 6
# The two sides of the treatment: its day ("make-up to my appointment", "to the appointment
# itself") is the side before it; "once it's done" and "the same evening" the side after.
_BEFORE = re.compile(
    r"\b(?:the night before|beforehand|before|prior to|on the day|"
    r"(?:to|for|at) (?:my|the) (?:appointment|session|treatment)(?: itself)?)\b",
    re.I,
)
_AFTER = re.compile(
    r"\b(?:afterwards|afterward|after|once (?:it'?s|it is) (?:done|over|finished)|"
    r"the same (?:evening|night|day))\b",
    re.I,
)
_DAY = re.compile(rf"\b(?:{'|'.join(WEEKDAYS)})s?\b", re.I)
# The time before the treatment itself ("the week before my meso", a closing "before"), not
# a wait ("how long before I can go in the sun?") nor another thing's ("meso before it?").
_BEFORE_THE_TREATMENT = re.compile(
    r"\b(?:beforehand|prior to|the (?:day|night|morning|week|days|weeks) before|"
    r"before (?:(?:my|the|a|your|each|every) (?:\w+ )?(?:session|treatment|"
    r"appointment|injections?|procedure)|meso\w*)|before\W*$)",
    re.I,
)


def template_of(label: str | None) -> str | None:
    """The answered topic's question around a follow-up (`{text}`), if it has one."""
    topic = load_topics().get(label or "")
    return topic.followup if topic else None


def template_for(after: str | None, answers: Sequence[str]) -> str | None:
    """The question a follow-up is worded in: the last answer's or, after the article's
    "that isn't covered" (the last of `answers`, labels latest first), the one before it:
    "and the beach" after "sauna?" after the gym is the gym's question about the beach."""
    if after == NOT_IN_ARTICLE and len(answers) > 1 and answers[0] == after:
        return template_of(answers[1])
    return template_of(after)


def rewrite(text: str, template: str | None) -> str | None:
    """The message worded as the answered topic's question: "and alcohol? after the treatment"."""
    if not template or len(words(text)) > MAX_REWRITE_WORDS:
        return None
    if _BEFORE.search(text) or _AFTER.search(text):
        return None  # "and after?": it names its own side of the treatment (see `swapped`)
    return template.format(text=without_leading_join(text))


def swapped(previous_question: str, text: str) -> str | None:
    """The last question on the other side of the treatment, when the message names that side.

    "can I drink alcohol before?" then "and after?": "can I drink alcohol after".
    """
    text = without_what_is_denied(text) or text  # "I meant after, not before": after
    to_after = bool(_AFTER.search(text)) and not _BEFORE.search(text)
    to_before = bool(_BEFORE.search(text)) and not _AFTER.search(text)
    question = previous_question.strip().rstrip("?!.")
    if to_after and _BEFORE.search(question):
        return _BEFORE.sub("after", question)
    if to_before and _AFTER.search(question):
        return _AFTER.sub("before", question)
    return _day_swapped(question, text)


def asks_before_the_treatment(text: str) -> bool:
    """Whether the message asks about the time before the treatment and not after it
    ("can I go sunbathing the day before?", "I meant the week before it, not after")."""
    text = without_what_is_denied(text) or text
    return bool(_BEFORE_THE_TREATMENT.search(text)) and not _AFTER.search(text)


def _day_swapped(question: str, text: str) -> str | None:
    """ "are you open on sundays?" then "sorry, saturdays I meant": the same question about
    the one other day the message names."""
    asked = {day.lower() for day in _DAY.findall(question)}
    meant = {day.lower() for day in _DAY.findall(text)} - asked
    if len(asked) != 1 or len(meant) != 1:
        return None
    return _DAY.sub(meant.pop(), question)


def is_short(text: str) -> bool:
    """Short enough to be read leaning on the last answer."""
    return 0 < len(words(text)) <= MAX_FOLLOWUP_WORDS


def joined(previous_question: str, text: str) -> str:
    """The follow-up read after the question it follows: "can I go in the sun after? how long"."""
    return f"{previous_question.strip().rstrip('?!.')} {text.strip()}"


# Words every question here may use: no sign of which question a follow-up goes back to.
_GENERIC = ENGLISH_STOP_WORDS | {
    "mesotherapy", "meso", "treatment", "treatments", "session", "sessions", "injection",
    "injections", "skin", "clinic", "long", "time", "days", "day", "week", "weeks", "okay",
    "ok", "thing", "things", "one", "ones", "did", "doe", "said", "say", "mean", "meant",
    "sorry",
}  # fmt: skip
_MIN_ECHO_LETTERS = 3


def _content_words(text: str) -> set[str]:
    found = {word.lower().rstrip("s") for word in words(text) if len(word) >= _MIN_ECHO_LETTERS}
    return {word for word in found if word not in _GENERIC and f"{word}s" not in _GENERIC}


def echoed(text: str, earlier_questions: Sequence[str]) -> int | None:
    """Which of the visitor's earlier questions (latest first) a follow-up takes its words
    from, when it is not the last one ("and the roaccutane?" after asking about roaccutane,
    then about the benefits): the question it goes back to."""
    said = _content_words(text)
    if not said or not earlier_questions or said & _content_words(earlier_questions[0]):
        return None
    taken_up = (i for i, asked in enumerate(earlier_questions) if said & _content_words(asked))
    return next(taken_up, None)

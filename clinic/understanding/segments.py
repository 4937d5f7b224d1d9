"""A visitor's message split into the questions and statements it is made of.

"what is it and how many sessions do I need?" holds two questions; a long
message holds a story and, somewhere, the question. Splitting is by sentence
ends and by a joining word followed by a new question ("… and how …",
"…? also …"). Each part keeps where it starts, so the reader can keep the
visitor's order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SEGMENTS = 6
# Words that open a question (or a request worded as one).
QUESTION_START = (
    r"(?:what|whats|what's|wat|how|hows|how's|can|could|cud|is|isnt|isn't|are|arent|aren't|do|"
    r"does|did|will|would|should|shall|when|where|who|why|which|may|might|has|have|am|any|"
    r"tell me|i want to know|i'd like to know|id like to know|i was wondering|wondering)"
)
_SENTENCE_END = re.compile(r"(?<=[?!])\s+|(?<=[.;])\s+(?=\S)|\s*\n+\s*|\s+(?=-\s)")
# After a comma only the plainest question openings start a new question
# ("what is it, how many sessions…"), not "which"/"who" clauses.
_COMMA_QUESTION_START = r"(?:what|whats|what's|how|hows|can|could|is|are|do|does|will|should)"
_JOINED_QUESTION = re.compile(
    r"(?:,\s*|\s+)(?:and|also|plus|oh and|and also|but also|&|aswell|as well)[\s,]+"
    rf"(?:if so[\s,]+|then[\s,]+)?(?={QUESTION_START}\b)|,\s*(?={_COMMA_QUESTION_START}\b)"
    r"|\s+[+/]\s+|\s+(?=\d[).]\s)|^\s*\d[).]\s+",
    re.I,
)
_QUESTION = re.compile(
    rf"\?\s*$|^(?:(?:ok|okay|so|and|also|but|hi|hello|hey|right|oh|um|erm|well)[\s,]+)*{QUESTION_START}\b",
    re.I,
)
_LEADING_JOIN = re.compile(r"^(?:(?:and|also|plus|oh|so|but|&|\d[).])[\s,]+)+", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@dataclass(frozen=True)
class Segment:
    """One part of a message: its text, where it starts, and whether it asks something."""

    text: str
    start: int
    is_question: bool


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_question(text: str) -> bool:
    return bool(_QUESTION.search(text.strip()))


def _pieces(text: str, pattern: re.Pattern[str], offset: int) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    position = 0
    for match in pattern.finditer(text):
        found.append((offset + position, text[position : match.start()]))
        position = match.end()
    found.append((offset + position, text[position:]))
    return found


def split_message(text: str) -> list[Segment]:
    """The message's parts in order; a message of one part gives one segment."""
    parts: list[tuple[int, str]] = []
    for start, sentence in _pieces(text, _SENTENCE_END, 0):
        parts.extend(_pieces(sentence, _JOINED_QUESTION, start))
    segments = [
        Segment(
            text=_LEADING_JOIN.sub("", piece.strip(" ,-")),
            start=start,
            is_question=is_question(piece),
        )
        for start, piece in parts
        if words(piece)
    ]
    return segments or [Segment(text=text.strip(), start=0, is_question=is_question(text))]


def segments_to_read(text: str) -> list[Segment]:
    """The parts worth classifying on their own: none for a one-part message.

    At most `MAX_SEGMENTS`, questions first, then the statements that come
    before the last question (where a story's report of a problem would be).
    """
    segments = split_message(text)
    if len(segments) < 2:
        return []
    questions = [segment for segment in segments if segment.is_question]
    statements = [segment for segment in segments if not segment.is_question]
    chosen = (questions + statements)[:MAX_SEGMENTS]
    return sorted(chosen, key=lambda segment: segment.start)

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
_ASKING_WORD = (
    r"(?:what|whats|what's|wat|how|hows|how's|can|could|cud|is|isnt|isn't|are|arent|aren't|do|"
    r"does|did|will|would|should|shall|when|where|who|why|which|may|might|has|have|am)"
)
QUESTION_START = (
    rf"(?:{_ASKING_WORD}|any|r(?=\s+(?:u|you|ya|they|there)\b)|"
    r"tell me|i want to know|i'd like to know|id like to know|i was wondering|wondering)"
)
_SENTENCE_END = re.compile(r"(?<=[?!])\s+|(?<=[.;])\s+(?=\S)|\s*\n+\s*|\s+(?=[-\u2013\u2014]\s)")
# After a comma only the plainest question openings start a new question
# ("what is it, how many sessions…"), not "which"/"who" clauses.
# "…the gym, when can I wear make-up again": a question word with its verb turned round.
_COMMA_QUESTION_START = (
    r"(?:what|whats|what's|how|hows|can|could|is|are|do|does|will|should|"
    r"(?:when|where|why)\s+(?:can|could|should|do|does|will|would|is|are)\s+(?:i|you|u|it|we))"
)
# After "and", a new question opens with a question word or an inverted verb
# ("…and can I…", "…and is it…"), not a verb going on with the same statement
# ("I'm 34 and have had acne", "…and can't wait").
_NEW_QUESTION = (
    r"(?:(?:what|whats|what's|wat|how|hows|how's|when|where|who|why|which|tell me|"
    r"i want to know|i'd like to know|id like to know|i was wondering|wondering)\b|"
    r"(?:can|could|cud|is|isnt|isn't|are|arent|aren't|do|does|did|will|would|should|shall|"
    r"may|might|has|have|am)\s+(?:i|you|u|it|they|we|he|she|there|this|that|mesotherapy|meso|"
    r"the|my|your|one|people|someone|anyone)\b)"
)
_JOINED_QUESTION = re.compile(
    r"(?:,\s*|\s+)(?:and|also|plus|oh and|and also|but also|&|aswell|as well)[\s,]+"
    rf"(?:if so[\s,]+|then[\s,]+)?(?={_NEW_QUESTION})"
    r"|,\s*(?:(?:roughly|realistically|honestly|just|basically|so|ok|okay)\s+)?"
    rf"(?={_COMMA_QUESTION_START}\b)"
    r"|\s+[+/]\s+|\s+(?=\d[).]\s)|^\s*\d[).]\s+",
    re.I,
)
# Without a question mark, a sentence asks only when it opens like a question,
# not like a story ("When I started…", "What I'm not used to is…").
_STATEMENT_OPENING = re.compile(
    r"^(?:when|where|which|who|what|how|if|as)\s+(?:i|i'm|im|i've|ive|my|we|we're|our|she|he|they)\b",
    re.I,
)
_QUESTION = re.compile(
    r"^(?:(?:ok|okay|so|and|also|but|hi|hello|hey|right|oh|um|erm|well)[\s,]+)*"
    rf"{QUESTION_START}\b",
    re.I,
)
# Words that say the visitor moves on to something else ("different thing, who…").
_TOPIC_SHIFT = (
    r"(?:(?:a |one )?(?:different|separate|unrelated|other|another) (?:thing|question|note|topic)|"
    r"unrelated|on (?:a|another) (?:different |separate )?note|changing the subject|"
    r"one more (?:thing|question))"
    # said as a marker: followed by a stop, a dash or "but", not going on ("another thing
    # happened…")
    r"(?=\s*[,.:;!?\u2013\u2014-]|\s+but\b)"
)
# An acknowledgement or a move to something else that opens a question ("ok and what's it
# good for", "fair enough. how long…?", "different thing, who…"): the question is also
# read without it.
_ACKNOWLEDGED = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|k+|cool|great|right|alright|fair enough|fair(?=\s*[.,!])|"
    r"fine(?!\s+lines?\b)|got it|"
    r"gotcha|i see|ah|oh|ahh|perfect|lovely|nice|brilliant|fab|sure|understood|makes sense|"
    r"good to know|noted|"
    rf"thanks|thank you|thx|ta|cheers|{_TOPIC_SHIFT})\b[\s,.:!-]*)+"
    r"(?:(?:and|so|but|then|also)\b[\s,]*)?(?=\S)",
    re.I,
)
_ASKS_OUTRIGHT = re.compile(rf"^\W*{_ASKING_WORD}\b", re.I)
_SHIFTS_TOPIC = re.compile(rf"(?:^|[\s.!?;,])\W*{_TOPIC_SHIFT}", re.I)
_LISTED = re.compile(r"\s[+/&]\s")
MAX_LISTED_WORDS = 3
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


def asks_outright(text: str) -> bool:
    """A question word first and a question mark last ("what time do you close?"), so not an
    answer that only opens like a question ("any time today", "any time after 5?")."""
    stripped = text.strip()
    return stripped.endswith("?") and bool(_ASKS_OUTRIGHT.match(stripped))


def is_question(text: str) -> bool:
    """A question mark, or an opening that asks ("how many…", "can I…", "tell me…")."""
    stripped = text.strip()
    if stripped.endswith("?"):
        return True
    return bool(_QUESTION.search(stripped)) and not _STATEMENT_OPENING.search(stripped)


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
    parts: list[tuple[int, str, bool]] = []
    for start, sentence in _pieces(text, _SENTENCE_END, 0):
        # "gym after + sun after?": each short item of a listed question asks ("so botox +
        # meso together is ok?" is one question about both).
        pieces = _pieces(sentence, _JOINED_QUESTION, start)
        listed = (
            sentence.rstrip().endswith("?")
            and bool(_LISTED.search(sentence))
            and all(len(words(piece)) <= MAX_LISTED_WORDS for _, piece in pieces)
        )
        parts.extend((at, piece, listed) for at, piece in pieces)
    segments = []
    for start, piece, listed in parts:
        piece = _LEADING_JOIN.sub("", piece.strip(" ,-"))
        if words(piece):
            asks = listed or is_question(piece)
            segments.append(Segment(core_question(piece) if asks else piece, start, asks))
    return segments or [Segment(text=text.strip(), start=0, is_question=is_question(text))]


# What comes before these in a question is a lead-in ("before I book I need to know how
# many…", "…mentioned it but is that the same as botox?"): the question is what follows.
_LEAD_IN = re.compile(
    r"^.*?\b(?:i need to know|i want to know|i'?d like to know|i wanted to know|i was wondering|"
    r"i'?m wondering|wondering|can you tell me|could you tell me|tell me|my question is|"
    rf"basically|but|so)[\s,:]+(?={QUESTION_START}\b)",
    re.I,
)


_TRAILING_CHATTER = re.compile(
    r"(?:\s+(?:lol|lmao|haha+|x+|tbh|anyway|then|pls|please))+(?=\W*$)", re.I
)


def without_leading_join(text: str) -> str:
    """ "and peels?" as "peels": the words a follow-up adds, without its joining word and
    end mark, to set inside another question."""
    return _LEADING_JOIN.sub("", text.strip()).rstrip(" ?!.") or text.strip()


def core_question(text: str) -> str:
    """A question without its lead-in or trailing chatter; the text itself when it has none."""
    core = _TRAILING_CHATTER.sub("", _LEAD_IN.sub("", text, count=1)).strip()
    return core if len(words(core)) >= 2 else text


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


def shifts_topic(text: str) -> bool:
    """The message says it asks something else now ("fine. different thing, …")."""
    return bool(_SHIFTS_TOPIC.search(text))


def without_acknowledgement(text: str) -> str | None:
    """The message without an opening "ok", "fair enough" or "thanks", when a question of
    three words or more follows; None otherwise."""
    opening = _ACKNOWLEDGED.match(text)
    if not opening:
        return None
    rest = text[opening.end() :].strip()
    return rest if len(words(rest)) >= 3 else None

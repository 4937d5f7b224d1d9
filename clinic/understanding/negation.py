"""What a message says once what it denies is taken out.

Pregnancy mentioned only to be denied ("I'm not pregnant or anything, can I go
to spin after?"): the classifier reads the word "pregnant" and routes the
message to the clinic's doctors, so the reader classifies it again with the
denial taken out. A correction that names what it doesn't mean ("not the
price, the number of sessions", "I meant rosacea not acne") is read again
without the part it says no to.
"""

from __future__ import annotations

import re

_DENIED = re.compile(
    r"(?:\b(?:i'?m|i am|im)\s+|^\W*)(?:not|no longer|definitely not|def not)\s+"
    r"(?:pregnant|breast ?feeding|breastfeeding|expecting|nursing|trying to conceive|ttc)"
    r"(?:\s+(?:or anything|or breast ?feeding|or nursing|anymore|any more|dont worry|"
    r"don't worry|btw|by the way))*[\s,.;!-]*",
    re.I,
)
_STILL_ASKED = re.compile(
    r"\b(?:pregnan\w*|breast ?feed\w*|breastfeed\w*|expecting|ivf|conceiv\w*|ttc|"
    r"trying for (?:a )?(?:baby|babies|another)|due in)\b",
    re.I,
)


def mentions_pregnancy(text: str) -> bool:
    """The text says something of a pregnancy, breast-feeding or trying for a baby."""
    return bool(_STILL_ASKED.search(text) or re.search(r"\bnursing\b", text, re.I))


def pregnancy_denied(text: str) -> bool:
    """The message says the visitor is not pregnant (or breast-feeding), and asks no more of it."""
    if not _DENIED.search(text):
        return False
    return not _STILL_ASKED.search(_DENIED.sub(" ", text))


def without_denial(text: str) -> str:
    """The message with the denial taken out: what it really asks."""
    rest = _DENIED.sub(" ", text)
    return re.sub(r"^\W*(?:just|so|but|and)\b\s*", "", " ".join(rest.split()), flags=re.I)


_NOT_THIS = re.compile(
    r"\b(?:not|isn'?t|wasn'?t|rather than|instead of)\s+(?:about\s+|asking about\s+)?"
    r"(?:the\s+|a\s+|an\s+|my\s+)?[\w'-]+(?:\s+[\w'-]+)?\s*(?:[,;.!?-]+\s*|\s+but\s+|$)",
    re.I,
)


def without_what_is_denied(text: str) -> str | None:
    """The message without the thing it says it doesn't mean, or None when it denies nothing."""
    rest = " ".join(_NOT_THIS.sub(" ", text).split()).strip(" ,;.-")
    if not rest or rest == text.strip(" ,;.-"):
        return None
    # "no sorry, the number of sessions": the opening no is part of the "not", not a reply.
    return _OPENING_NO.sub("", rest) or rest


_OPENING_NO = re.compile(
    r"^(?:(?:no|nope|nah|sorry|soz|oops|wait|hang on|i mean|i meant|oh|um|erm)\b[\s,.!-]*)+", re.I
)

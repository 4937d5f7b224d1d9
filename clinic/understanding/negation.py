"""Pregnancy mentioned only to be denied: "I'm not pregnant or anything, can I go to spin after?".

The classifier reads the word "pregnant" and routes the message to the
clinic's doctors. A message that denies being pregnant or breast-feeding is
about something else; the reader classifies it again with the denial taken
out.
"""

from __future__ import annotations

import re

_DENIED = re.compile(
    r"\b(?:i'?m|i am|im)\s+(?:not|no longer|definitely not|def not)\s+"
    r"(?:pregnant|breast ?feeding|breastfeeding|expecting|nursing|trying to conceive|ttc)"
    r"(?:\s+(?:or anything|or breast ?feeding|or nursing|anymore|any more))*[\s,.;!-]*",
    re.I,
)
_STILL_ASKED = re.compile(
    r"\b(?:pregnan\w*|breast ?feed\w*|breastfeed\w*|expecting|ivf|conceiv\w*)\b", re.I
)


def pregnancy_denied(text: str) -> bool:
    """The message says the visitor is not pregnant (or breast-feeding), and asks no more of it."""
    if not _DENIED.search(text):
        return False
    return not _STILL_ASKED.search(_DENIED.sub(" ", text))


def without_denial(text: str) -> str:
    """The message with the denial taken out: what it really asks."""
    rest = _DENIED.sub(" ", text)
    return re.sub(r"^\W*(?:just|so|but|and)\b\s*", "", " ".join(rest.split()), flags=re.I)

"""What counts as a visitor's message on the public channels, before Rasa reads it.

Plain functions (no Rasa imports) used by `rasa_ext/channels/guarded.py`: they
turn a REST body or a socket.io event into a sender and a clean text, or say
precisely what is wrong with it, so a bad request gets a clear answer and
never reaches NLU.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Any

MAX_SENDER_CHARS = 128
# Control characters and lone surrogates are dropped; format characters (Cf)
# are kept, as emoji sequences (zero-width joiner) and right-to-left text
# (direction marks) need them.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cs"})
_SPACES = frozenset({"\t", "\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029"})


@dataclass(frozen=True)
class VisitorMessage:
    """A sender id, the cleaned text of what they wrote, and the client's metadata (if any)."""

    sender: str
    text: str
    metadata: dict[str, Any] | None = None


@dataclass(frozen=True)
class Rejected:
    """Why a request is not a visitor's message (`reason` is a stable code for clients)."""

    reason: str
    detail: str


def clean_text(text: str) -> str:
    """The text without control characters: line breaks and tabs become spaces, ends trimmed."""
    kept = []
    for char in text:
        if char in _SPACES:
            kept.append(" ")
        elif unicodedata.category(char) not in _DROPPED_CATEGORIES:
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)).strip()


def check_sender(value: Any) -> str | Rejected:
    """The sender id if it is usable: a short text without control characters."""
    if value is None:
        return Rejected("missing_sender", "The body needs a 'sender': the visitor's id, a string.")
    if not isinstance(value, str):
        return Rejected("invalid_sender", "'sender' must be a string.")
    sender = value.strip()
    if not sender:
        return Rejected("invalid_sender", "'sender' must not be empty.")
    if len(sender) > MAX_SENDER_CHARS:
        return Rejected(
            "invalid_sender", f"'sender' must be at most {MAX_SENDER_CHARS} characters."
        )
    if clean_text(sender) != sender or any(char in _SPACES for char in sender):
        return Rejected("invalid_sender", "'sender' must not contain control characters.")
    return sender


def check_text(value: Any) -> str | Rejected:
    """The cleaned message text, or why there is none."""
    if value is None:
        return Rejected("missing_message", "The body needs a 'message': the visitor's text.")
    if not isinstance(value, str):
        return Rejected("invalid_message", "'message' must be a string.")
    text = clean_text(value)
    if not text:
        return Rejected("empty_message", "'message' is empty.")
    return text


def parse_rest_body(body: bytes | None) -> VisitorMessage | Rejected:
    """A REST webhook body (`{"sender": "...", "message": "..."}`) checked and cleaned.

    An optional `metadata` object is passed on to the bot and stored with the
    message (as the socket.io channel does), e.g. the page the visitor is on.
    """
    if not body:
        return Rejected("missing_body", 'Send a JSON body: {"sender": "...", "message": "..."}.')
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return Rejected("malformed_json", "The body is not valid JSON (UTF-8).")
    if not isinstance(data, dict):
        return Rejected("not_an_object", 'The body must be a JSON object: {"sender", "message"}.')
    sender = check_sender(data.get("sender"))
    if isinstance(sender, Rejected):
        return sender
    text = check_text(data.get("message"))
    if isinstance(text, Rejected):
        return text
    metadata = data.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return Rejected("invalid_metadata", "'metadata', when sent, must be a JSON object.")
    return VisitorMessage(sender=sender, text=text, metadata=metadata)


def is_too_long(text: str, max_chars: int) -> bool:
    """More characters than the channel reads (counted as the visitor sees them)."""
    return len(text) > max_chars

"""What the public channels accept as a visitor's message, and what they say is wrong."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.guard.input_checks import (
    MAX_SENDER_CHARS,
    Rejected,
    VisitorMessage,
    clean_text,
    is_too_long,
    parse_rest_body,
)


def _body(value: object) -> bytes:
    return json.dumps(value).encode("utf-8")


def test_a_normal_message_is_accepted_as_it_is() -> None:
    parsed = parse_rest_body(_body({"sender": "ann", "message": "what is mesotherapy?"}))
    assert parsed == VisitorMessage(sender="ann", text="what is mesotherapy?")


def test_a_metadata_object_is_kept_for_the_bot() -> None:
    body = _body({"sender": "ann", "message": "hi", "metadata": {"page": "/hair"}})
    assert parse_rest_body(body) == VisitorMessage("ann", "hi", {"page": "/hair"})


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "missing_body"),
        (b"{not json", "malformed_json"),
        (b"\xff\xfe\x00garbage", "malformed_json"),
        (b"[" * 100_000, "malformed_json"),
        (_body(["sender", "message"]), "not_an_object"),
        (_body("hi"), "not_an_object"),
        (_body({"message": "hi"}), "missing_sender"),
        (_body({"sender": 42, "message": "hi"}), "invalid_sender"),
        (_body({"sender": "  ", "message": "hi"}), "invalid_sender"),
        (_body({"sender": "a\nb", "message": "hi"}), "invalid_sender"),
        (_body({"sender": "x" * (MAX_SENDER_CHARS + 1), "message": "hi"}), "invalid_sender"),
        (_body({"sender": "ann"}), "missing_message"),
        (_body({"sender": "ann", "message": ["hi"]}), "invalid_message"),
        (_body({"sender": "ann", "message": {"text": "hi"}}), "invalid_message"),
        (_body({"sender": "ann", "message": 3}), "invalid_message"),
        (_body({"sender": "ann", "message": "   \n\t "}), "empty_message"),
        (_body({"sender": "ann", "message": "\x00\x07\x1b"}), "empty_message"),
        (_body({"sender": "ann", "message": "hi", "metadata": "page=faq"}), "invalid_metadata"),
        (_body({"sender": "ann", "message": "hi", "metadata": [1]}), "invalid_metadata"),
    ],
)
def test_a_bad_body_is_rejected_with_a_reason(body: bytes, reason: str) -> None:
    parsed = parse_rest_body(body)
    assert isinstance(parsed, Rejected)
    assert parsed.reason == reason and parsed.detail


def test_control_characters_are_dropped_and_line_breaks_become_spaces() -> None:
    assert clean_text("  hi\x00 there\x1b[31m\r\nhow\tare you\x7f ") == "hi there[31m  how are you"


@pytest.mark.parametrize(
    "text",
    [
        "هل الميزوثيرابي مؤلم؟",  # Arabic, right to left
        "מה זה מזותרפיה?",  # Hebrew
        "\u200fمرحبا\u200e ok",  # direction marks are kept
        "👩🏽‍⚕️ is it safe? 💉✨",  # emoji with skin tone and zero-width joiner
        "🇬🇧 flag",
    ],
)
def test_emoji_and_right_to_left_text_pass_unchanged(text: str) -> None:
    assert clean_text(text) == unicodedata.normalize("NFC", text).strip()


def test_a_lone_surrogate_from_json_is_dropped() -> None:
    parsed = parse_rest_body(b'{"sender": "ann", "message": "hi \\ud800 there"}')
    assert parsed == VisitorMessage(sender="ann", text="hi  there")
    assert isinstance(parsed, VisitorMessage)
    parsed.text.encode("utf-8")  # storable and sendable


@given(st.text())
def test_clean_text_never_leaves_control_characters_and_is_stable(text: str) -> None:
    cleaned = clean_text(text)
    assert not any(unicodedata.category(char) in {"Cc", "Cs"} for char in cleaned)
    assert cleaned == cleaned.strip()
    assert clean_text(cleaned) == cleaned
    cleaned.encode("utf-8")


@given(st.binary(max_size=300))
def test_any_bytes_give_a_message_or_a_reason_never_an_exception(body: bytes) -> None:
    assert isinstance(parse_rest_body(body), VisitorMessage | Rejected)


def test_the_length_limit_counts_characters_not_bytes() -> None:
    assert not is_too_long("é" * 1000, 1000)
    assert is_too_long("a" * 1001, 1000)

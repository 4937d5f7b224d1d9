"""The unanswered messages as a spreadsheet staff can share: every one, one row each.

An export leaves the console, so phone numbers and email addresses a visitor
typed (or that name a conversation, as a WhatsApp number does) are replaced
(clinic/privacy/personal_data.py), and no cell starts with something a
spreadsheet would run as a formula (visitor text is untrusted).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from clinic.privacy.personal_data import redact
from staff.rendering import when
from staff.unanswered import Group, key_of
from staff.wording import outcome_label

HEADER = ["time", "group", "group asks", "conversation", "outcome", "filed", "message"]


def no_formula(text: str) -> str:
    """A cell a spreadsheet won't run: visitor text starting with = + - @ is quoted."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Safe(dict[str, str]):
    """Cells as they can leave the console, worked out once per distinct text."""

    def __missing__(self, text: str) -> str:
        self[text] = no_formula(redact(text))
        return self[text]


def unanswered_csv(groups: list[Group], messages: Iterable[Any]) -> str:
    """One row per message (`at`, `sender_id`, `outcome`, `text`), with its group's
    number and most asked wording, and the decision staff filed it under, if any."""
    numbers: dict[str, tuple[int, str]] = {}
    decisions: dict[str, str] = {}
    for number, group in enumerate(groups, start=1):
        for wording in group.wordings:
            numbers[wording.key] = (number, group.examples[0])
            decisions[wording.key] = wording.decision or ""
    safe = _Safe()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for message in messages:
        key = key_of(message.text)
        number, asks = numbers.get(key, (0, message.text))
        writer.writerow(
            [
                when(message.at),
                number or "",
                safe[asks],
                safe[message.sender_id],
                outcome_label(message.outcome),
                decisions.get(key, "").replace("_", " "),
                safe[message.text],
            ]
        )
    return out.getvalue()

"""The unanswered questions as a spreadsheet staff can share.

An export leaves the console, so phone numbers and email addresses a visitor
typed are replaced (clinic/privacy/personal_data.py), and no cell starts with
something a spreadsheet would run as a formula (visitor text is untrusted).
"""

from __future__ import annotations

import csv
import io

from clinic.privacy.personal_data import redact
from staff.rendering import when
from staff.unanswered import Group

HEADER = ["group", "times", "first seen", "last seen", "example"]


def no_formula(text: str) -> str:
    """A cell a spreadsheet won't run: visitor text starting with = + - @ is quoted."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def unanswered_csv(groups: list[Group]) -> str:
    """One row per example, numbered by its group, with the group's count and dates."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for number, group in enumerate(groups, start=1):
        for example in group.examples:
            writer.writerow(
                [
                    number,
                    group.count,
                    when(group.first_seen),
                    when(group.last_seen),
                    redact(no_formula(example)),
                ]
            )
    return out.getvalue()

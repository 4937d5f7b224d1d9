"""Keep visitors' personal data out of the logs.

Visitors type emails, phone numbers, names and dates of birth into the chat,
and Rasa, Sanic and rasa-sdk put message text, trackers and requests into log
lines. `RedactingFilter` rewrites every record that passes a handler:

- emails and phone numbers (as clinic/privacy/personal_data.py finds them)
  and dates are replaced at every level;
- at INFO and above, quoted message text (`text='…'`, `"text": "…"`,
  `message '…'`, …) is replaced too, since a name can't be recognised by
  pattern. DEBUG keeps the text for local troubleshooting only; production
  runs at INFO.

Each process installs it once at start-up with `install()`: the Rasa server
through `rasa_ext.patches.install()`, the action server in actions/server.py
and the web app in web/app.py. It redacts every record as it is made, so a
handler added later (Rasa sets up its own after start) is covered too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from clinic.privacy import personal_data
from clinic.settings import load_clinic_settings

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DATE = re.compile(
    r"\b(?:\d{4}-\d{1,2}-\d{1,2}"  # 1990-04-23
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"  # 23/04/1990, 23.4.90
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?(?:,?\s+\d{{4}})?"  # 23rd April 1990
    rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"  # April 23, 1990
    r")\b",
    re.IGNORECASE,
)
# What visitors wrote, as Rasa, rasa-sdk and Sanic quote it in log lines.
# The value runs to the first matching quote that ends a value (followed by a
# separator, a closing bracket, the end of the line or `key=`), so an
# apostrophe inside ("I'm") does not cut it short.
MESSAGE_TEXT = re.compile(
    r"""(?P<key>["']?(?:text|message|user_message|utter|input)["']?\s*[:=]?\s*)"""
    r"""(?P<quote>["'])(?P<value>.*?)(?P=quote)(?=\s*(?:[,;)}\]]|$|\w+=))""",
    re.IGNORECASE | re.MULTILINE,
)

REDACTED = "[redacted]"


def redact_personal_data(text: str, region: str | None = None) -> str:
    """`text` with emails, phone numbers and dates replaced.

    Numbers without a country code are read in `region` (None: clinic.yml's).
    """
    return DATE.sub("[date]", personal_data.redact(text, region))


def redact_message_text(text: str) -> str:
    """`text` with quoted visitor messages replaced."""
    return MESSAGE_TEXT.sub(
        lambda match: f"{match['key']}{match['quote']}{REDACTED}{match['quote']}", text
    )


def redact(text: str, level: int = logging.INFO, region: str | None = None) -> str:
    """What may be logged at `level` of a line that may hold personal data."""
    if level >= logging.INFO:
        text = redact_message_text(text)
    return redact_personal_data(text, region)


class RedactingFilter(logging.Filter):
    """A handler filter that redacts each record's message (and exception text) in place.

    The clinic's phone region is read when the filter is made, never while a
    record is being logged (reading clinic.yml could log, and fail, itself).
    """

    def __init__(self, region: str | None = None) -> None:
        super().__init__()
        self.region = region or load_clinic_settings().phone_region

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not hide the line
            message = str(record.msg)
        record.msg = redact(message, record.levelno, self.region)
        record.args = ()
        if record.exc_info and record.levelno >= logging.INFO:
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(formatted, record.levelno, self.region)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text, record.levelno, self.region)
        return True


class _RedactingRecords:
    """A log record factory that redacts each record as it is made."""

    def __init__(self, make: Callable[..., logging.LogRecord]) -> None:
        self.make = make
        self.redacting = RedactingFilter()

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.make(*args, **kwargs)
        self.redacting.filter(record)
        return record


def install() -> None:
    """Redact every log record this process makes from now on (idempotent)."""
    factory = logging.getLogRecordFactory()
    if not isinstance(factory, _RedactingRecords):
        logging.setLogRecordFactory(_RedactingRecords(factory))


def installed() -> bool:
    """Whether `install()` has run in this process."""
    return isinstance(logging.getLogRecordFactory(), _RedactingRecords)

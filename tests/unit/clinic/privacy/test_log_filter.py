"""Visitors' emails, phone numbers, dates and words stay out of the logs."""

from __future__ import annotations

import io
import logging

import pytest

from clinic.privacy.log_filter import RedactingFilter, install, installed, redact

VISITOR = "I'm Jane Doe, jane.doe@example.org, +44 7700 900123, born 23/04/1990"


@pytest.fixture(autouse=True)
def redacting_records() -> object:
    """The process-wide record factory, installed here and taken out again after each test."""
    factory = logging.getLogRecordFactory()
    install()
    yield
    logging.setLogRecordFactory(factory)


def _logged(level: int, message: str, *args: object) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("test.privacy")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.log(level, message, *args)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_an_email_a_phone_and_a_birth_date_are_redacted_at_every_level() -> None:
    for level in (logging.DEBUG, logging.INFO, logging.ERROR):
        line = _logged(level, "Received user message %r", VISITOR)
        assert "jane.doe@example.org" not in line
        assert "7700 900123" not in line and "900123" not in line
        assert "23/04/1990" not in line


def test_quoted_message_text_is_redacted_at_info_and_kept_at_debug() -> None:
    assert "Jane Doe" not in _logged(logging.INFO, "user said text='%s'", VISITOR)
    assert "Jane Doe" in _logged(logging.DEBUG, "user said text='%s'", VISITOR)


def test_json_and_structlog_shapes_are_redacted() -> None:
    assert "Jane" not in redact('{"text": "I am Jane", "intent": "greet"}')
    assert "Jane" not in redact("processor.message text='I am Jane' sender=abc")
    assert "greet" in redact('{"text": "I am Jane", "intent": "greet"}')


def test_spelled_out_dates_are_redacted() -> None:
    for date in ("23rd April 1990", "April 23, 1990", "1990-04-23", "3 march"):
        assert date not in redact(f"born on {date} ok")


def test_ordinary_numbers_and_ids_survive() -> None:
    line = redact("planner.planned conversation=a1b2c3 sessions=6 port=5055")
    assert line == "planner.planned conversation=a1b2c3 sessions=6 port=5055"


def test_exception_text_is_redacted_too() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("test.privacy.exc")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        raise ValueError("bad input from jane.doe@example.org")
    except ValueError:
        logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    assert "ValueError" in stream.getvalue()
    assert "jane.doe@example.org" not in stream.getvalue()


def test_installing_twice_redacts_once() -> None:
    install()
    assert installed()
    assert _logged(logging.INFO, "mail %s", "jane@example.org").strip() == "mail [email]"


def test_a_handler_added_after_install_is_covered_too() -> None:
    assert "[email]" in _logged(logging.WARNING, "from %s", "jane@example.org")

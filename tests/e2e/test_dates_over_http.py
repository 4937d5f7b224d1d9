"""Dates as visitors say them, read back by the real servers, and a plan around Christmas.

The clinic's today is fixed (CLINIC_TODAY, Tuesday 1 December 2026) so the
read-backs are exact; the region in clinic.yml is England.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import RunningBot, running_bot

TODAY = "2026-12-01"
UP_FRONT = "Plan 6 sessions for wrinkles starting {when}, any day, no other treatments and no trips"


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    with running_bot(
        Path(tmp_path_factory.mktemp("dates")), extra_env={"CLINIC_TODAY": TODAY}
    ) as running:
        yield running


def _visitor() -> str:
    return f"dates-{uuid.uuid4().hex[:8]}"


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("when", "read_back"),
    [
        ("the 5th of next month", "from **Tue 5 Jan 2027**"),
        ("the first Monday in January", "from **Mon 4 Jan 2027**"),
        ("in three weeks' time", "from **Tue 22 Dec 2026**"),
        ("Monday after next", "from **Mon 14 Dec 2026**"),
    ],
)
def test_a_date_said_in_words_is_read_back_as_that_day(
    bot: RunningBot, when: str, read_back: str
) -> None:
    reply = bot.text_of(_visitor(), UP_FRONT.format(when=when))
    assert read_back in reply, reply


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("when", "question", "answer", "read_back"),
    [
        ("after Christmas", "Which day after Christmas", "the 29th", "from **Tue 29 Dec 2026**"),
    ],
)
def test_a_stretch_of_time_gets_a_question_then_the_day(
    bot: RunningBot, when: str, question: str, answer: str, read_back: str
) -> None:
    visitor = _visitor()
    assert "When would you like to start" in bot.text_of(visitor, "plan my sessions")
    asked = bot.text_of(visitor, when)
    assert question in asked and "When would you like to start" not in asked, asked
    assert "How many sessions" in bot.text_of(visitor, answer)
    for reply in ("6", "wrinkles", "any day", "none", "none"):
        summary = bot.text_of(visitor, reply)
    assert read_back in summary, summary


@pytest.mark.e2e
def test_a_start_said_as_a_short_stretch_starts_on_its_first_open_day(bot: RunningBot) -> None:
    visitor = _visitor()
    assert "When would you like to start" in bot.text_of(visitor, "plan my sessions")
    assert "How many sessions" in bot.text_of(visitor, "early February")
    for reply in ("6", "wrinkles", "any day", "none", "none"):
        summary = bot.text_of(visitor, reply)
    assert "from **Mon 1 Feb 2027**" in summary, summary


@pytest.mark.e2e
def test_a_plan_around_christmas_skips_the_public_holidays_and_says_why(bot: RunningBot) -> None:
    visitor = _visitor()
    summary = bot.text_of(visitor, UP_FRONT.format(when="18 December"))
    assert "from **Fri 18 Dec 2026**" in summary
    plan = bot.text_of(visitor, "yes")
    days = re.findall(r"^\d+\. \*\*(\w{3} \d+ \w{3} \d{4})", plan, re.M) or re.findall(
        r"^\d+\. (\w{3} \d+ \w{3} \d{4})", plan, re.M
    )
    assert days[:2] == ["Fri 18 Dec 2026", "Tue 29 Dec 2026"], plan
    assert "Christmas Day is a public holiday" in plan

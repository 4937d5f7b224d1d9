"""A visitor plans a schedule with the real Rasa and action servers, over HTTP."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest

from tests.support.servers import RunningBot


def _day(offset: int) -> date:
    return date.today() + timedelta(days=offset)


@pytest.mark.e2e
def test_everything_up_front_then_confirm_gives_a_schedule_and_a_calendar(
    bot: RunningBot,
) -> None:
    visitor = f"planner-{uuid.uuid4().hex[:8]}"
    start, peel = _day(14), _day(20)
    first = bot.text_of(
        visitor,
        f"Plan 6 sessions starting {start:%-d %B %Y} for hair thinning, "
        f"I have a peel on {peel:%-d %B %Y}",
    )
    assert "Which days suit you" in first, "what was given up front is not asked again"
    assert "sunny holidays" in bot.text_of(visitor, "any day")
    summary = bot.text_of(visitor, "none")
    assert "6 sessions" in summary and "hair thinning" in summary and "peel" in summary

    reply = bot.text_of(visitor, "yes")
    lines = [line for line in reply.splitlines() if re.match(r"^\d+\. ", line)]
    assert len(lines) == 6
    assert "clinician" in reply and "sunscreen" in reply.lower()
    assert "7 days before your peel" in reply, "the session in the week before the peel moved"

    calendar_path = Path(re.search(r"(/\S+\.ics)", reply).group(1))  # type: ignore[union-attr]
    events = list(icalendar.Calendar.from_ical(calendar_path.read_bytes()).walk("VEVENT"))
    assert len(events) == 6
    for event in events:
        assert not 0 <= (peel - event.decoded("dtstart")).days < 7


@pytest.mark.e2e
def test_a_question_in_the_middle_is_answered_and_planning_carries_on(bot: RunningBot) -> None:
    visitor = f"planner-{uuid.uuid4().hex[:8]}"
    assert "When would you like to start" in bot.text_of(visitor, "plan my sessions")
    reply = bot.text_of(visitor, "how many sessions will I need?")
    assert "between 3 and" in reply
    assert "When would you like to start" in reply
    assert "How many sessions has your clinician" in bot.text_of(visitor, f"{_day(3):%-d %B}")
    assert "stopped planning" in bot.text_of(visitor, "cancel")

"""Conversations written into `events` as Rasa 3.6's SQL tracker store stores them.

`Visit` is bench/console_seed.py's writer with the steps the tests need named:
a session start with the privacy notice, a question and its answer, 👍/👎, the
planner. Rows are only kept until `store()` writes them, so a test can write a
conversation in several parts and index between them.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from bench.console_seed import Writer
from clinic.tracker_db import EVENTS
from staff.db import CONVERSATIONS, TURNS

NOW = 1_800_000_000.0  # a fixed "now" (January 2027), so periods don't depend on the clock
DAY = 86400.0


class Visit(Writer):
    """One visitor's conversation, event by event."""

    def ask(
        self,
        text: str,
        intent: str,
        response: str | None,
        answer: str = "an answer",
        action: str | None = None,
        confidence: float = 0.95,
    ) -> Visit:
        """A visitor message and the bot's one reply, then listening again.

        `response` is the name Rasa stores in the bot message's `utter_action`;
        None for a custom action's message that has none (then `action` names it).
        """
        self.user(text, intent, confidence)
        if response is not None and response.startswith("utter_faq/"):
            self.bot("utter_faq", answer, response)
        elif response is not None:
            self.bot(action or response, answer, response)
        else:
            assert action is not None
            self.bot(action, answer)
        self.listen()
        return self

    def thumbs(self, up: bool) -> Visit:
        intent = "feedback_up" if up else "feedback_down"
        self.user(f"/{intent}", intent, 1.0)
        if up:
            self.bot("utter_feedback_thanks", "Thanks!")
        else:
            self.bot("feedback_form", "What was missing?", "utter_ask_feedback_text")
        self.listen()
        return self

    def missing(self, text: str) -> Visit:
        """The one line on what was missing, after a 👎."""
        self.user(text, "faq", 0.6)
        self.bot("utter_feedback_thanks_down", "Thanks for telling us.")
        self.listen()
        return self

    def take(self) -> list[dict[str, Any]]:
        """The rows written so far, and start afresh (the clock keeps going)."""
        rows, self.rows = self.rows, []
        return rows


def planning(visit: Visit, completed: bool) -> None:
    """Asks for a plan, answers the first question, and maybe gets the plan."""
    visit.user("plan my sessions", "request_schedule")
    visit.add({"event": "action", "name": "schedule_form"})
    visit.add({"event": "active_loop", "name": "schedule_form"}, 0.0)
    visit.bot("schedule_form", "When would you like to start?", "utter_ask_start_date")
    visit.listen()
    visit.user("next monday", "inform")
    visit.add({"event": "action", "name": "schedule_form"})
    if completed:
        visit.add({"event": "slot", "name": "schedule", "value": [{"date": "2027-01-04"}]})
    visit.add({"event": "active_loop", "name": None}, 0.0)
    if completed:
        visit.bot("action_plan_schedule", "Your plan: 6 sessions")
    else:
        visit.bot("utter_planner_cancelled", "No problem, the plan is cancelled.")
    visit.listen()


def store(engine: sa.engine.Engine, rows: list[dict[str, Any]]) -> list[int]:
    """Insert event rows the way the tracker store does; returns their ids."""
    ids = []
    with engine.begin() as connection:
        for row in rows:
            ids.append(
                int(connection.execute(sa.insert(EVENTS).values(**row)).inserted_primary_key[0])
            )
    return ids


def turns(engine: sa.engine.Engine, sender: str | None = None) -> list[Any]:
    """The index's turns, in the order the visitor sent them."""
    query = sa.select(TURNS).order_by(TURNS.c.event_id)
    if sender is not None:
        query = query.where(TURNS.c.sender_id == sender)
    with engine.connect() as connection:
        return list(connection.execute(query).all())


def turn(engine: sa.engine.Engine, text: str, sender: str | None = None) -> Any:
    """The one turn with this text (fails if there isn't exactly one)."""
    found = [t for t in turns(engine, sender) if t.text == text]
    assert len(found) == 1, f"{len(found)} turns say {text!r}"
    return found[0]


def conversation(engine: sa.engine.Engine, sender: str) -> Any:
    with engine.connect() as connection:
        return connection.execute(
            sa.select(CONVERSATIONS).where(CONVERSATIONS.c.sender_id == sender)
        ).one()


def replies(row: Any) -> list[str]:
    return list(json.loads(row.replies))


def topics(row: Any) -> list[str]:
    return list(json.loads(row.topics))


def snapshot(engine: sa.engine.Engine) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every indexed turn and conversation, for comparing two ways of indexing."""
    with engine.connect() as connection:
        indexed = [
            dict(r._mapping)
            for r in connection.execute(sa.select(TURNS).order_by(TURNS.c.event_id))
        ]
        talks = [
            dict(r._mapping)
            for r in connection.execute(
                sa.select(CONVERSATIONS).order_by(CONVERSATIONS.c.sender_id)
            )
        ]
    return indexed, talks

"""The answers visitors rated 👎, and what they said was missing.

The counts of 👍/👎 per topic are part of the overview (staff/insights.py);
this is the reading list beside them: the latest answers a visitor found
unhelpful, whatever the period, so staff can see what to improve.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from staff.db import TURNS

RECENT_LIMIT = 100


@dataclass(frozen=True)
class ThumbsDown:
    """One answer a visitor rated 👎."""

    event_id: int
    sender_id: str
    at: float
    text: str  # what the visitor asked
    reply_text: str  # what the bot answered
    feedback_text: str | None  # what was missing, if they said


def recent_thumbs_down(engine: sa.engine.Engine, limit: int = RECENT_LIMIT) -> list[ThumbsDown]:
    """The latest answers rated 👎, newest first."""
    query = (
        sa.select(
            TURNS.c.event_id,
            TURNS.c.sender_id,
            TURNS.c.at,
            TURNS.c.text,
            TURNS.c.reply_text,
            TURNS.c.feedback_text,
        )
        .where(TURNS.c.feedback == "down")
        .order_by(TURNS.c.at.desc())
        .limit(limit)
    )
    with engine.connect() as connection:
        return [ThumbsDown(**row._mapping) for row in connection.execute(query)]

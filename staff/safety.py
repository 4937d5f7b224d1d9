"""The safety log: every message the bot sent to the clinic's team, and who reviewed it.

A safety route (pregnancy, a reaction after treatment: staff/turns.py's
SAFETY outcome) is a clinical matter, so a clinician looks at each one and
marks it reviewed; the log keeps who did, so nothing is looked at twice or
missed. The turns come from the index (staff/indexer.py), the reviews from
`staff_safety_reviews`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from staff.db import EVENT_IDS, SAFETY_REVIEWS, TURNS
from staff.turns import SAFETY

LOG_LIMIT = 500


@dataclass(frozen=True)
class SafetyRoute:
    """One visitor message sent to the clinic's team, as the safety log shows it."""

    event_id: int
    sender_id: str
    at: float
    text: str
    intent: str | None
    confidence: float | None
    rule: str | None
    reply_text: str
    model_id: str | None
    reviewed_by: str | None


def safety_log(engine: sa.engine.Engine, limit: int = LOG_LIMIT) -> list[SafetyRoute]:
    """The latest safety routes, newest first, each with who reviewed it (None: nobody yet)."""
    query = (
        sa.select(
            TURNS.c.event_id,
            TURNS.c.sender_id,
            TURNS.c.at,
            TURNS.c.text,
            TURNS.c.intent,
            TURNS.c.confidence,
            TURNS.c.rule,
            TURNS.c.reply_text,
            TURNS.c.model_id,
            SAFETY_REVIEWS.c.account.label("reviewed_by"),
        )
        .select_from(TURNS.outerjoin(SAFETY_REVIEWS, SAFETY_REVIEWS.c.event_id == TURNS.c.event_id))
        .where(TURNS.c.outcome == SAFETY)
        .order_by(TURNS.c.at.desc())
        .limit(limit)
    )
    with engine.connect() as connection:
        return [SafetyRoute(**row._mapping) for row in connection.execute(query)]


def mark_reviewed(engine: sa.engine.Engine, event_id: int, account: str, now: float) -> bool:
    """Record that `account` reviewed this safety route (again, if someone already had).

    False, and nothing written, when `event_id` is no safety route.
    """
    if event_id not in EVENT_IDS:
        return False
    with engine.begin() as connection:
        found = connection.execute(
            sa.select(TURNS.c.event_id).where(
                TURNS.c.event_id == event_id, TURNS.c.outcome == SAFETY
            )
        ).first()
        if found is None:
            return False
        connection.execute(sa.delete(SAFETY_REVIEWS).where(SAFETY_REVIEWS.c.event_id == event_id))
        connection.execute(
            sa.insert(SAFETY_REVIEWS).values(event_id=event_id, account=account, at=now)
        )
    return True

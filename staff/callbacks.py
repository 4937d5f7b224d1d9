"""Callback requests for staff: who to call back, and who has done it.

A visitor who could not chat live may leave a name, a phone number or email
and a time that suits them (actions/callback_form.py; indexed into
`staff_callbacks` only with their consent). Staff work through the open ones,
the longest waiting first, and mark each done once someone has been in touch;
done ones stay listed below, with who did it, until the conversation is
deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from staff.db import CALLBACKS, EVENT_IDS

LIST_LIMIT = 500


@dataclass(frozen=True)
class CallbackRequest:
    """One visitor's request to be called or emailed back."""

    event_id: int
    sender_id: str
    at: float
    name: str
    contact: str  # a phone number in E.164, or an email address
    preferred_time: str
    done_by: str | None
    done_at: float | None


def callback_requests(engine: sa.engine.Engine, limit: int = LIST_LIMIT) -> list[CallbackRequest]:
    """Open requests first, oldest first (the longest waiting); then the done ones."""
    query = (
        sa.select(
            CALLBACKS.c.event_id,
            CALLBACKS.c.sender_id,
            CALLBACKS.c.at,
            CALLBACKS.c.name,
            CALLBACKS.c.contact,
            CALLBACKS.c.preferred_time,
            CALLBACKS.c.done_by,
            CALLBACKS.c.done_at,
        )
        .order_by(CALLBACKS.c.done_at.is_not(None), CALLBACKS.c.at)
        .limit(limit)
    )
    with engine.connect() as connection:
        return [CallbackRequest(**row._mapping) for row in connection.execute(query)]


def mark_done(engine: sa.engine.Engine, event_id: int, account: str, now: float) -> bool:
    """Record that `account` has been in touch (again, if it was already done).

    False when `event_id` is no callback request.
    """
    if event_id not in EVENT_IDS:
        return False
    with engine.begin() as connection:
        marked = connection.execute(
            sa.update(CALLBACKS)
            .where(CALLBACKS.c.event_id == event_id)
            .values(done_by=account, done_at=now)
        )
    return bool(marked.rowcount == 1)

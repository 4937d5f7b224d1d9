"""What is waiting for staff, for the badges in the console's navigation.

A clinician should see from any page that a safety route is still to be
reviewed, a visitor is waiting for a live chat, or a callback is still to be
made, without opening each page. Three counts, each one indexed query.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from staff.db import CALLBACKS, HANDOFFS
from staff.safety import count_unreviewed


@dataclass(frozen=True)
class WaitingWork:
    """Counts of what is waiting for someone on the team."""

    unreviewed_safety: int
    waiting_chats: int
    open_callbacks: int

    def of(self, path: str) -> int:
        """The count shown beside the navigation's link to `path` (0: none)."""
        return {
            "/staff/safety": self.unreviewed_safety,
            "/staff/live": self.waiting_chats,
            "/staff/callbacks": self.open_callbacks,
        }.get(path, 0)


def waiting_work(engine: sa.engine.Engine) -> WaitingWork:
    """Unreviewed safety routes, live chats nobody has taken yet, callbacks not yet done."""
    with engine.connect() as connection:
        safety = count_unreviewed(connection)
        chats = connection.execute(
            sa.select(sa.func.count())
            .select_from(HANDOFFS)
            .where(HANDOFFS.c.ended_at.is_(None), HANDOFFS.c.taken_by.is_(None))
        ).scalar()
        callbacks = connection.execute(
            sa.select(sa.func.count()).select_from(CALLBACKS).where(CALLBACKS.c.done_at.is_(None))
        ).scalar()
    return WaitingWork(safety, int(chats or 0), int(callbacks or 0))

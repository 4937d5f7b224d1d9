"""Canned replies: answers the clinic writes once and staff insert into a live chat.

Any signed-in member of staff may add, edit or delete them on the Live page's
"Canned replies" screen; the chat page offers them in a list that inserts the
text into the reply box, where it can still be changed before sending.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from staff.db import CANNED_REPLIES

MAX_TITLE_CHARS = 80
MAX_TEXT_CHARS = 2000  # what a staff message may hold (staff/routes/live.py)


class CannedReplyError(ValueError):
    """A title or text the console can't keep; the message says why."""


@dataclass(frozen=True)
class CannedReply:
    id: int
    title: str
    text: str
    updated_by: str
    updated_at: float


def _checked(title: str, text: str) -> tuple[str, str]:
    title, text = " ".join(title.split()), text.strip()
    if not title or len(title) > MAX_TITLE_CHARS:
        raise CannedReplyError(f"Give the reply a title of 1 to {MAX_TITLE_CHARS} characters.")
    if not text or len(text) > MAX_TEXT_CHARS:
        raise CannedReplyError(f"A reply is 1 to {MAX_TEXT_CHARS} characters.")
    return title, text


def replies(engine: sa.engine.Engine) -> list[CannedReply]:
    """Every canned reply, by title."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(CANNED_REPLIES).order_by(CANNED_REPLIES.c.title, CANNED_REPLIES.c.id)
        ).all()
    return [_reply(row) for row in rows]


def reply(engine: sa.engine.Engine, reply_id: int) -> CannedReply | None:
    """One canned reply, or None once it is deleted."""
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(CANNED_REPLIES).where(CANNED_REPLIES.c.id == reply_id)
        ).one_or_none()
    return _reply(row) if row else None


def _reply(row: sa.Row) -> CannedReply:
    return CannedReply(row.id, row.title, row.text, row.updated_by, row.updated_at)


def add(engine: sa.engine.Engine, title: str, text: str, account: str, now: float) -> int:
    """A new canned reply; its id."""
    title, text = _checked(title, text)
    with engine.begin() as connection:
        found = connection.execute(
            sa.insert(CANNED_REPLIES).values(
                title=title, text=text, updated_by=account, updated_at=now
            )
        )
    return int(found.inserted_primary_key[0])


def edit(
    engine: sa.engine.Engine, reply_id: int, title: str, text: str, account: str, now: float
) -> bool:
    """Change a canned reply; False if it no longer exists."""
    title, text = _checked(title, text)
    with engine.begin() as connection:
        found = connection.execute(
            sa.update(CANNED_REPLIES)
            .where(CANNED_REPLIES.c.id == reply_id)
            .values(title=title, text=text, updated_by=account, updated_at=now)
        )
    return bool(found.rowcount)


def delete(engine: sa.engine.Engine, reply_id: int) -> bool:
    """Delete a canned reply; False if it was already gone."""
    with engine.begin() as connection:
        found = connection.execute(sa.delete(CANNED_REPLIES).where(CANNED_REPLIES.c.id == reply_id))
    return bool(found.rowcount)

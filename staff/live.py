"""Live chat on the console's side: who is available, the queue, taking and timing out.

Rasa's `ConversationPaused`/`ConversationResumed` events (indexed into
`staff_handoffs` by staff/indexer.py) say whether a person has a conversation;
this module adds the rest, all in the shared database so any web replica
agrees: staff presence (the live page checks in every few seconds, so a
closed browser stops counting), an atomic claim so two people can't take one
visitor, and which chats have waited too long or lost their staff member.
Nothing here talks to Rasa: staff/routes/live.py and staff/background.py do, through
staff/rasa_link.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from clinic.handoff.live_chat import LiveChatSettings
from staff.db import HANDOFFS, PRESENCE


@dataclass(frozen=True)
class Chat:
    """A live chat as the console lists it."""

    sender_id: str
    asked_at: float
    channel: str | None
    taken_by: str | None
    last_visitor_at: float | None


def check_in(
    engine: sa.engine.Engine, account: str, now: float, available: bool | None = None
) -> bool:
    """Record that `account`'s live page is open (and, if given, whether they take chats).

    Returns whether they are marked available.
    """
    with engine.begin() as connection:
        row = connection.execute(
            sa.select(PRESENCE.c.available).where(PRESENCE.c.account == account)
        ).first()
        keep = bool(row.available) if row is not None else False
        chosen = keep if available is None else available
        if row is None:
            connection.execute(
                sa.insert(PRESENCE).values(account=account, available=chosen, seen_at=now)
            )
        else:
            connection.execute(
                sa.update(PRESENCE)
                .where(PRESENCE.c.account == account)
                .values(available=chosen, seen_at=now)
            )
    return chosen


def sign_off(engine: sa.engine.Engine, account: str) -> None:
    """Not available any more (signing out does this)."""
    with engine.begin() as connection:
        connection.execute(
            sa.update(PRESENCE).where(PRESENCE.c.account == account).values(available=False)
        )


def available_staff(engine: sa.engine.Engine, now: float, timeout_s: float) -> list[str]:
    """Accounts marked available whose live page has checked in within `timeout_s`."""
    present = sa.and_(PRESENCE.c.available.is_(True), PRESENCE.c.seen_at >= now - timeout_s)
    with engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(PRESENCE.c.account).where(present).order_by(PRESENCE.c.account)
            ).scalars()
        )


def can_take_chats(engine: sa.engine.Engine, settings: LiveChatSettings, now: float) -> bool:
    """Within the live-chat hours and someone available: what the bot asks before connecting."""
    opened = settings.is_open(datetime.fromtimestamp(now, tz=timezone.utc))
    return opened and bool(available_staff(engine, now, settings.staff_timeout_s))


def _chat(row: sa.Row) -> Chat:
    return Chat(row.sender_id, row.asked_at, row.channel, row.taken_by, row.last_visitor_at)


def open_chats(engine: sa.engine.Engine) -> list[Chat]:
    """Every live chat not yet ended, longest waiting first."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(HANDOFFS).where(HANDOFFS.c.ended_at.is_(None)).order_by(HANDOFFS.c.asked_at)
        ).all()
    return [_chat(row) for row in rows]


def chat_of(engine: sa.engine.Engine, sender: str) -> Chat | None:
    """The conversation's live chat while it runs, else None."""
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(HANDOFFS).where(HANDOFFS.c.sender_id == sender, HANDOFFS.c.ended_at.is_(None))
        ).first()
    return _chat(row) if row is not None else None


def claim(engine: sa.engine.Engine, sender: str, account: str, now: float) -> bool:
    """Take a waiting chat: True for the one member of staff whose claim landed."""
    with engine.begin() as connection:
        taken = connection.execute(
            sa.update(HANDOFFS)
            .where(
                HANDOFFS.c.sender_id == sender,
                HANDOFFS.c.ended_at.is_(None),
                sa.or_(HANDOFFS.c.taken_by.is_(None), HANDOFFS.c.taken_by == account),
            )
            .values(taken_by=account, taken_at=now)
        )
    return bool(taken.rowcount == 1)


def unclaim(engine: sa.engine.Engine, sender: str, now: float) -> None:
    """Put a chat back in the queue (its staff member left), its wait starting again."""
    with engine.begin() as connection:
        connection.execute(
            sa.update(HANDOFFS)
            .where(HANDOFFS.c.sender_id == sender, HANDOFFS.c.ended_at.is_(None))
            .values(taken_by=None, taken_at=None, asked_at=now)
        )


@dataclass(frozen=True)
class Due:
    """What the console's background task should do now."""

    unanswered: list[str]  # hand back with the apology and the callback offer
    orphaned: list[str]  # their staff member's page went away: back to the queue


def due(engine: sa.engine.Engine, settings: LiveChatSettings, now: float) -> Due:
    """Chats nobody took within `wait_minutes` (or nobody can take now), and chats whose
    staff member closed the console."""
    present = set(available_staff(engine, now, settings.staff_timeout_s))
    with engine.connect() as connection:
        seen = dict(connection.execute(sa.select(PRESENCE.c.account, PRESENCE.c.seen_at)).all())
    unanswered, orphaned = [], []
    for chat in open_chats(engine):
        if chat.taken_by is None:
            waited = now - chat.asked_at
            if waited >= settings.wait_minutes * 60 or not present:
                unanswered.append(chat.sender_id)
        elif seen.get(chat.taken_by, 0.0) < now - settings.staff_timeout_s:
            orphaned.append(chat.sender_id)
    return Due(unanswered, orphaned)

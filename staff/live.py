"""Live chat on the console's side: who is available, the queue, taking and timing out.

Rasa's `ConversationPaused`/`ConversationResumed` events (indexed into
`staff_handoffs` by staff/indexer.py) say whether a person has a conversation;
this module adds the rest, all in the shared database so any web replica
agrees: staff presence (the live page checks in every few seconds, so a
closed browser stops counting), an atomic claim so two people can't take one
visitor, and which chats have waited too long or lost their staff member.
Each chat that ends is kept in `staff_live_chats` (copied by the indexer), for
the missed chats the Live page lists and the Overview's live-chat figures.
Nothing here talks to Rasa: staff/routes/live.py and staff/background.py do, through
staff/rasa_link.py.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timezone

import sqlalchemy as sa

from clinic.handoff.live_chat import LiveChatSettings
from staff.db import HANDOFFS, LIVE_CHATS, PRESENCE, VISITOR_TYPING

# How a chat nobody took ended: the wait ran out (or nobody was left to take it), or the
# visitor went (restarted, their session expired, or their widget closed).
NOBODY_TOOK_IT = "unanswered"
VISITOR_LEFT = ("visitor_left", "restarted", "session_expired")
TYPING_SHOWN_S = 5.0
# A typing signal this soon after the visitor's message was sent with it (the widget's
# request and the message race each other, a few tens of milliseconds apart): it is not
# the next message being written. Longer, it would hide a visitor typing again at once.
SENT_WITH_MESSAGE_S = 0.25


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


def visitor_typed(engine: sa.engine.Engine, sender: str, now: float) -> bool:
    """Note that a visitor in a live chat is typing; False (nothing noted) outside one."""
    if chat_of(engine, sender) is None:
        return False
    with engine.begin() as connection:
        found = connection.execute(
            sa.update(VISITOR_TYPING).where(VISITOR_TYPING.c.sender_id == sender).values(at=now)
        )
        if found.rowcount == 0:
            connection.execute(sa.insert(VISITOR_TYPING).values(sender_id=sender, at=now))
    return True


def visitor_is_typing(
    engine: sa.engine.Engine, sender: str, now: float, last_message_at: float | None = None
) -> bool:
    """Whether the visitor typed within the last few seconds, and since their last message.

    A message that lands ends the typing that wrote it: staff should not read "typing…"
    under the words it produced for the seconds the signal would otherwise last.
    """
    with engine.connect() as connection:
        at = connection.execute(
            sa.select(VISITOR_TYPING.c.at).where(VISITOR_TYPING.c.sender_id == sender)
        ).scalar()
    if at is None or now - float(at) > TYPING_SHOWN_S:
        return False
    return last_message_at is None or float(at) > last_message_at + SENT_WITH_MESSAGE_S


def keep_ended(connection: sa.engine.Connection, sender: str) -> None:
    """Copy the conversation's chat, just ended in `staff_handoffs`, into the chats kept
    for figures (the indexer calls this in the transaction that ended it)."""
    row = connection.execute(sa.select(HANDOFFS).where(HANDOFFS.c.sender_id == sender)).first()
    if row is None or row.ended_at is None:
        return
    connection.execute(
        sa.insert(LIVE_CHATS).values(
            sender_id=sender,
            channel=row.channel,
            asked_at=row.asked_at,
            taken_by=row.taken_by,
            taken_at=row.taken_at,
            ended_at=row.ended_at,
            end_reason=row.end_reason or NOBODY_TOOK_IT,
        )
    )


@dataclass(frozen=True)
class Missed:
    """A chat nobody took: who asked, on which channel, how long they waited and why."""

    sender_id: str
    channel: str | None
    asked_at: float
    ended_at: float
    reason: str  # "nobody took it" or "the visitor left"

    @property
    def waited_s(self) -> float:
        return max(0.0, self.ended_at - self.asked_at)


def why_missed(end_reason: str) -> str:
    return "the visitor left" if end_reason in VISITOR_LEFT else "nobody took it"


def missed_chats(engine: sa.engine.Engine, since: float, limit: int = 50) -> list[Missed]:
    """Chats since `since` that ended before anyone took them, newest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(LIVE_CHATS)
            .where(LIVE_CHATS.c.taken_at.is_(None), LIVE_CHATS.c.ended_at >= since)
            .order_by(LIVE_CHATS.c.ended_at.desc())
            .limit(limit)
        ).all()
    return [
        Missed(r.sender_id, r.channel, r.asked_at, r.ended_at, why_missed(r.end_reason))
        for r in rows
    ]


@dataclass(frozen=True)
class Figures:
    """Live chat over a period, for the Overview."""

    chats: int = 0
    taken: int = 0
    missed: int = 0
    missed_nobody: int = 0
    missed_left: int = 0
    median_wait_s: float | None = None  # before a member of staff took the chat
    longest_wait_s: float | None = None
    handled_by: list[tuple[str, int]] = field(default_factory=list)  # name, chats, most first


def figures(
    engine: sa.engine.Engine, since: float, until: float, names: dict[str, str] | None = None
) -> Figures:
    """Chats that ended within [since, until): how many, how long visitors waited before
    someone took them, how many were missed and why, and who handled them (by the
    display names in `names`, else the account)."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(
                LIVE_CHATS.c.asked_at,
                LIVE_CHATS.c.taken_at,
                LIVE_CHATS.c.taken_by,
                LIVE_CHATS.c.end_reason,
            ).where(LIVE_CHATS.c.ended_at >= since, LIVE_CHATS.c.ended_at < until)
        ).all()
    names = names or {}
    taken = [r for r in rows if r.taken_at is not None]
    missed = [r for r in rows if r.taken_at is None]
    waits = [max(0.0, r.taken_at - r.asked_at) for r in taken]
    handled: dict[str, int] = {}
    for r in taken:
        who = names.get(r.taken_by or "", r.taken_by or "?")
        handled[who] = handled.get(who, 0) + 1
    left = sum(1 for r in missed if r.end_reason in VISITOR_LEFT)
    return Figures(
        chats=len(rows),
        taken=len(taken),
        missed=len(missed),
        missed_nobody=len(missed) - left,
        missed_left=left,
        median_wait_s=statistics.median(waits) if waits else None,
        longest_wait_s=max(waits) if waits else None,
        handled_by=sorted(handled.items(), key=lambda item: (-item[1], item[0])),
    )

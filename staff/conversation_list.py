"""The Conversations page's list: when, on which channel, what the visitor asked first, how it went.

Staff look for a conversation by when it happened, where, what it was about or
how it ended ("yesterday's safety routes on WhatsApp"), so the list is paged
and filtered by those, newest first. Every filter is a bound parameter or a
name from a fixed set; the visitor's words are matched with LIKE wildcards
escaped (staff/conversations.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sqlalchemy as sa

from staff.alerts import CHANNELS
from staff.conversations import escape_like
from staff.db import CONVERSATIONS, TURNS
from staff.turns import ANSWERED, CLINIC_INFO, CONTACT, PLANNER, SAFETY, UNANSWERED

PER_PAGE = 25
# How a conversation went, by the turn that says most about it, first match wins.
OUTCOMES: dict[str, tuple[str, frozenset[str]]] = {
    "safety": ("Safety route", frozenset({SAFETY})),
    "contact": ("Asked for a person", frozenset({CONTACT})),
    "unanswered": ("Not answered", UNANSWERED),
    "answered": ("Answered", frozenset({ANSWERED, CLINIC_INFO})),
    "planner": ("Planned sessions", frozenset({PLANNER})),
}
SMALL_TALK = "Small talk only"


def channel_name(channel: str | None) -> str:
    """A channel as staff know it ("the website chat", "Telegram")."""
    if not channel:
        return "unknown"
    return CHANNELS.get(channel, channel)


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; empty values narrow nothing."""

    words: str = ""
    channel: str = ""
    outcome: str = ""
    since: float | None = None
    until: float | None = None


@dataclass(frozen=True)
class Listed:
    """One conversation in the list."""

    sender_id: str
    first_at: float
    last_at: float
    channel: str
    messages: int
    first_message: str
    outcome: str
    matching: str = ""  # the visitor's message that matched the words searched for


@dataclass(frozen=True)
class ConversationPage:
    page: int
    pages: int
    total: int
    rows: list[Listed] = field(default_factory=list)


def _where(filters: Filters) -> list[sa.ColumnElement[bool]]:
    """The filters as SQL. Turns are matched in a subquery run once, not per conversation:
    SQLite would otherwise walk the outcome index for each one (seconds on 10,000)."""
    where: list[sa.ColumnElement[bool]] = []
    words = filters.words.strip()[:200]
    if words:
        pattern = f"%{escape_like(words.lower())}%"
        said = sa.select(TURNS.c.sender_id).where(
            sa.func.lower(TURNS.c.text).like(pattern, escape="\\")
        )
        where.append(
            sa.or_(CONVERSATIONS.c.sender_id.in_(said), CONVERSATIONS.c.sender_id == words)
        )
    if filters.channel:
        where.append(CONVERSATIONS.c.channel == filters.channel)
    if filters.outcome in OUTCOMES:
        outcomes = sorted(OUTCOMES[filters.outcome][1])
        went = sa.select(TURNS.c.sender_id).where(TURNS.c.outcome.in_(outcomes))
        where.append(CONVERSATIONS.c.sender_id.in_(went))
    if filters.since is not None:
        where.append(CONVERSATIONS.c.last_at >= filters.since)
    if filters.until is not None:
        where.append(CONVERSATIONS.c.first_at < filters.until)
    return where


def _outcome(found: set[str]) -> str:
    return next((label for label, outcomes in OUTCOMES.values() if found & outcomes), SMALL_TALK)


def conversation_page(
    engine: sa.engine.Engine, filters: Filters, page: int = 1, per_page: int = PER_PAGE
) -> ConversationPage:
    """Page `page` of the conversations `filters` leave, the latest active first."""
    where = _where(filters)
    with engine.connect() as connection:
        total = int(
            connection.execute(
                sa.select(sa.func.count()).select_from(CONVERSATIONS).where(*where)
            ).scalar()
            or 0
        )
        pages = max(1, math.ceil(total / per_page))
        page = min(max(1, page), pages)
        found = connection.execute(
            sa.select(CONVERSATIONS)
            .where(*where)
            .order_by(CONVERSATIONS.c.last_at.desc(), CONVERSATIONS.c.sender_id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
        senders = [row.sender_id for row in found]
        turns = connection.execute(
            sa.select(TURNS.c.sender_id, TURNS.c.text, TURNS.c.outcome)
            .where(TURNS.c.sender_id.in_(senders))
            .order_by(TURNS.c.event_id)
        ).all()
    first: dict[str, str] = {}
    matching: dict[str, str] = {}
    outcomes: dict[str, set[str]] = {sender: set() for sender in senders}
    words = filters.words.strip().lower()
    for sender, text, outcome in turns:
        outcomes[sender].add(outcome)
        if text.startswith("/"):
            continue  # a button, or the widget's own greeting: not what they asked
        first.setdefault(sender, text)
        if words and words in text.lower():
            matching.setdefault(sender, text)
    rows = [
        Listed(
            sender_id=row.sender_id,
            first_at=row.first_at,
            last_at=row.last_at,
            channel=channel_name(row.channel),
            messages=row.messages,
            first_message=first.get(row.sender_id, ""),
            outcome=_outcome(outcomes[row.sender_id]),
            matching=matching.get(row.sender_id, ""),
        )
        for row in found
    ]
    return ConversationPage(page, pages, total, rows)


def channels(engine: sa.engine.Engine) -> list[tuple[str, str]]:
    """The channels conversations came from, as (stored name, name staff read)."""
    with engine.connect() as connection:
        stored = connection.execute(
            sa.select(CONVERSATIONS.c.channel)
            .where(CONVERSATIONS.c.channel.is_not(None))
            .distinct()
        ).scalars()
        return sorted(((name, channel_name(name)) for name in stored), key=lambda c: c[1])

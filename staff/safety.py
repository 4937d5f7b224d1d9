"""The safety log: every message the bot sent to the clinic's team, and who reviewed it.

A safety route (pregnancy, a reaction after treatment: staff/turns.py's
SAFETY outcome) is a clinical matter, so a clinician looks at each one and
marks it reviewed; the log keeps who did, so nothing is looked at twice or
missed. The turns come from the index (staff/indexer.py), the reviews from
`staff_safety_reviews`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sqlalchemy as sa

from staff.db import EVENT_IDS, SAFETY_REVIEWS, TURNS
from staff.turns import SAFETY

LOG_LIMIT = 500
PER_PAGE = 20
# What the log shows: the routes still to review (the default), the reviewed ones, or all.
SHOWS = ("unreviewed", "reviewed", "all")


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


_COLUMNS = (
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
_REVIEWED_JOIN = TURNS.outerjoin(SAFETY_REVIEWS, SAFETY_REVIEWS.c.event_id == TURNS.c.event_id)
_IS_SAFETY = TURNS.c.outcome == SAFETY
_UNREVIEWED = SAFETY_REVIEWS.c.account.is_(None)
# What each view shows, besides being a safety route.
_SHOWN = {
    "unreviewed": (_UNREVIEWED,),
    "reviewed": (SAFETY_REVIEWS.c.account.is_not(None),),
    "all": (),
}


def _routes(*where: sa.sql.ColumnElement[bool]) -> sa.sql.Select:
    """The safety routes, each with who reviewed it, that `where` keeps."""
    return sa.select(*_COLUMNS).select_from(_REVIEWED_JOIN).where(_IS_SAFETY, *where)


def _count(connection: sa.engine.Connection, *where: sa.sql.ColumnElement[bool]) -> int:
    """How many safety routes `where` keeps."""
    query = sa.select(sa.func.count()).select_from(_REVIEWED_JOIN).where(_IS_SAFETY, *where)
    return int(connection.execute(query).scalar() or 0)


def count_unreviewed(connection: sa.engine.Connection) -> int:
    """How many safety routes nobody has reviewed yet (the log, its badge and the alerts)."""
    return _count(connection, _UNREVIEWED)


@dataclass(frozen=True)
class SafetyPage:
    """One page of the safety log, and the counts around it."""

    show: str
    page: int
    pages: int
    shown: int  # routes in this view (all pages)
    unreviewed: int
    total: int
    routes: list[SafetyRoute] = field(default_factory=list)


def safety_page(
    engine: sa.engine.Engine, show: str = "unreviewed", page: int = 1, per_page: int = PER_PAGE
) -> SafetyPage:
    """Page `page` of the routes `show` asks for: the unreviewed ones first, newest first.

    A page past the last one is the last one (after marking its last route reviewed).
    """
    show = show if show in SHOWS else SHOWS[0]
    with engine.connect() as connection:
        total, unreviewed = _count(connection), count_unreviewed(connection)
        shown = {"unreviewed": unreviewed, "reviewed": total - unreviewed, "all": total}[show]
        pages = max(1, math.ceil(shown / per_page))
        page = min(max(1, page), pages)
        rows = connection.execute(
            _routes(*_SHOWN[show])
            .order_by(_UNREVIEWED.desc(), TURNS.c.at.desc(), TURNS.c.event_id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
    return SafetyPage(
        show, page, pages, shown, unreviewed, total, [SafetyRoute(**r._mapping) for r in rows]
    )


def safety_log(engine: sa.engine.Engine, limit: int = LOG_LIMIT) -> list[SafetyRoute]:
    """The latest safety routes, newest first, each with who reviewed it (None: nobody yet)."""
    query = _routes().order_by(TURNS.c.at.desc()).limit(limit)
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


def _whole(value: str | None, default: int) -> int:
    try:
        return max(1, int(value or default))
    except ValueError:
        return default


def log_address(show: str | None, page: str | None, anchor: str | None = None) -> str:
    """The safety log's address for a view, a page and a route to scroll to.

    Where "Mark reviewed" sends the reader back to: the same view and page, at the
    route after the one marked. Anything unexpected falls back to the defaults.
    """
    show = show if show in SHOWS else SHOWS[0]
    address = f"/staff/safety?show={show}&page={_whole(page, 1)}"
    if anchor and anchor.isdigit() and len(anchor) < 20:
        address += f"#route-{anchor}"
    return address

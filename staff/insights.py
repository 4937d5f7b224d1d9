"""The numbers on the console's overview, from the index of turns (staff/indexer.py).

Every figure is one SQL aggregate over the chosen period, so a page costs the
same with ten conversations or ten thousand.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from staff.db import CONVERSATIONS, TURNS
from staff.turns import (
    ANSWERED,
    CLARIFY_ACCEPTED,
    CLARIFY_OFFERED,
    CLARIFY_REFUSED,
    CONTACT,
    FALLBACK,
    NOT_COVERED,
    OUT_OF_SCOPE,
    QUESTIONS,
    RESOLVED,
    SAFETY,
    UNANSWERED,
)

PERIODS = {"day": 1, "week": 7, "month": 30}
# Chart buckets: hours for a day, days otherwise.
_BUCKET_S = {"day": 3600, "week": 86400, "month": 86400}
RESOLUTION_DEFINITION = (
    "Resolved: a visitor question answered from the article, with the clinic's own "
    "details, sent to the clinic's team (a safety route or a request for a person), or "
    'answered after a picked "did you mean…?" (the question counts once, as that answer), '
    "and not rated 👎. Out of every visitor question: all messages except small talk, "
    'feedback, the "did you mean…?" buttons and answers to the planner\'s questions.'
)


@dataclass(frozen=True)
class Overview:
    period: str
    since: float
    until: float
    counts: dict[str, int]
    series: list[dict[str, Any]] = field(default_factory=list)
    topics: list[dict[str, Any]] = field(default_factory=list)

    @property
    def resolution_rate(self) -> float | None:
        questions = self.counts["questions"]
        return None if not questions else self.counts["resolved"] / questions


def _since(period: str, now: float) -> float:
    return now - PERIODS[period] * 86400


def overview(
    engine: sa.engine.Engine, period: str, now: float, since: float | None = None
) -> Overview:
    """Counts, a time series and per-topic helpfulness for the period ending now.

    From `since` when given (dates staff picked), in `period`'s chart buckets.
    """
    since = _since(period, now) if since is None else since
    in_period = sa.and_(TURNS.c.at >= since, TURNS.c.at <= now)
    with engine.connect() as connection:
        by_outcome = dict(
            connection.execute(
                sa.select(TURNS.c.outcome, sa.func.count())
                .where(in_period)
                .group_by(TURNS.c.outcome)
            ).all()
        )
        feedback = dict(
            connection.execute(
                sa.select(TURNS.c.feedback, sa.func.count())
                .where(in_period, TURNS.c.feedback.is_not(None))
                .group_by(TURNS.c.feedback)
            ).all()
        )
        rated_down_resolved = connection.execute(
            sa.select(sa.func.count()).where(
                in_period, TURNS.c.feedback == "down", TURNS.c.outcome.in_(RESOLVED)
            )
        ).scalar()
        conversations = connection.execute(
            sa.select(
                sa.func.count(),
                sa.func.sum(sa.case((CONVERSATIONS.c.planner_started, 1), else_=0)),
                sa.func.sum(sa.case((CONVERSATIONS.c.planner_completed, 1), else_=0)),
            ).where(CONVERSATIONS.c.first_at >= since, CONVERSATIONS.c.first_at <= now)
        ).one()
        bucket = _BUCKET_S[period]
        slot = sa.func.floor(TURNS.c.at / bucket)
        rated_down = sa.case((TURNS.c.feedback == "down", 1), else_=0)
        rows = connection.execute(
            sa.select(slot, TURNS.c.outcome, sa.func.count(), sa.func.sum(rated_down))
            .where(in_period)
            .group_by(slot, TURNS.c.outcome)
        ).all()
        rated = connection.execute(
            sa.select(TURNS.c.topics, TURNS.c.feedback).where(
                in_period, TURNS.c.feedback.is_not(None)
            )
        ).all()
    counts = {
        "conversations": int(conversations[0] or 0),
        "messages": sum(by_outcome.values()),
        "answered": by_outcome.get(ANSWERED, 0),
        "not_covered": by_outcome.get(NOT_COVERED, 0),
        "out_of_scope": by_outcome.get(OUT_OF_SCOPE, 0),
        "fallback": by_outcome.get(FALLBACK, 0),
        "clarify_offered": sum(
            by_outcome.get(o, 0) for o in (CLARIFY_OFFERED, CLARIFY_ACCEPTED, CLARIFY_REFUSED)
        ),
        "clarify_accepted": by_outcome.get(CLARIFY_ACCEPTED, 0),
        "safety": by_outcome.get(SAFETY, 0),
        "contact": by_outcome.get(CONTACT, 0),
        "planner_started": int(conversations[1] or 0),
        "planner_completed": int(conversations[2] or 0),
        "feedback_up": feedback.get("up", 0),
        "feedback_down": feedback.get("down", 0),
        "questions": sum(by_outcome.get(o, 0) for o in QUESTIONS),
        "resolved": sum(by_outcome.get(o, 0) for o in RESOLVED) - int(rated_down_resolved or 0),
    }
    return Overview(
        period=period,
        since=since,
        until=now,
        counts=counts,
        series=_series(rows, since, now, bucket),
        topics=_helpfulness(rated),
    )


def _series(rows: list[Any], since: float, now: float, bucket: int) -> list[dict[str, Any]]:
    """Per bucket: visitor messages, resolved (as the count above: 👎 not), unanswered."""
    first, last = math.floor(since / bucket), math.floor(now / bucket)
    points = {
        n: {"at": n * bucket, "messages": 0, "resolved": 0, "unanswered": 0}
        for n in range(first, last + 1)
    }
    for slot, outcome, count, rated_down in rows:
        point = points.get(int(slot))
        if point is None:
            continue
        point["messages"] += count
        if outcome in RESOLVED:
            point["resolved"] += count - int(rated_down or 0)
        elif outcome in UNANSWERED:
            point["unanswered"] += count
    return list(points.values())


def _helpfulness(rated: list[Any]) -> list[dict[str, Any]]:
    up: Counter[str] = Counter()
    down: Counter[str] = Counter()
    for topics, given in rated:
        for topic in json.loads(topics or "[]") or ["(no article topic)"]:
            (up if given == "up" else down)[topic] += 1
    names = sorted(set(up) | set(down), key=lambda t: (-(up[t] + down[t]), t))
    return [
        {"topic": t, "up": up[t], "down": down[t], "helpful": up[t] / (up[t] + down[t])}
        for t in names
    ]

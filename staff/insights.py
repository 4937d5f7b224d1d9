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

from staff.db import CONVERSATIONS, TURNS, WRITTEN
from staff.periods import DAY_S, DAYS
from staff.turns import (
    ANSWERED,
    CLARIFICATIONS,
    CLARIFY_ACCEPTED,
    CONTACT,
    FALLBACK,
    FEEDBACK_INTENTS,
    HOUR_S,
    NOT_COVERED,
    OUT_OF_SCOPE,
    QUESTIONS,
    RESOLUTION_WINDOW,
    SAFETY,
    UNANSWERED,
    hour_of,
)

RATINGS = sorted(set(FEEDBACK_INTENTS.values()))  # every `feedback` the index writes
# Chart buckets: hours for a day, days otherwise.
_BUCKET_S = {"day": HOUR_S, "week": DAY_S, "month": DAY_S}
RESOLUTION_DEFINITION = (
    "Resolved: a visitor question the bot answered from the article or with the clinic's "
    "own details, or sent to the clinic's team as a safety question, that has words in it "
    f'(not "????"), and that none of the visitor\'s next {RESOLUTION_WINDOW} messages '
    "took back: no 👎 on the answer, no request for a person or a call back (except after "
    'a safety answer, which tells them to talk to the team), no "no, that\'s not it" '
    "straight after, and not the same question again in nearly the same words. A request "
    'for a person, a "not covered" answer, a decline, a "did you mean…?" nobody picked and '
    "an answer in another language are never resolved. Out of every visitor question: all "
    'messages except small talk, feedback, the "did you mean…?" buttons (a picked guess '
    "counts once, as the answer it got; a refused one asked again in other words, once, as "
    "the new words) and answers to the planner's questions. It is an "
    "estimate that can be wrong both ways: a wrong answer the visitor silently left counts "
    "as resolved, a right one followed by a rephrased follow-up as not."
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
    return now - DAYS[period] * DAY_S


def overview(
    engine: sa.engine.Engine, period: str, now: float, since: float | None = None
) -> Overview:
    """Counts, a time series and per-topic helpfulness for the period ending now.

    From `since` when given (dates staff picked), in `period`'s chart buckets.
    """
    since = _since(period, now) if since is None else since
    bucket = _BUCKET_S[period]
    with engine.connect() as connection:
        rows = _turns_per_bucket(connection, since, now, bucket)
        started, planned, completed = _conversations(connection, since, now)
        rated = _ratings(connection, since, now)
    by_outcome: Counter[str] = Counter()
    for _, outcome, count, _, _ in rows:
        by_outcome[outcome] += count
    counts = {
        "conversations": started,
        "messages": sum(written for *_, written, _ in rows),
        "answered": by_outcome[ANSWERED],
        "not_covered": by_outcome[NOT_COVERED],
        "out_of_scope": by_outcome[OUT_OF_SCOPE],
        "fallback": by_outcome[FALLBACK],
        "clarify_offered": sum(by_outcome[o] for o in CLARIFICATIONS),
        "clarify_accepted": by_outcome[CLARIFY_ACCEPTED],
        "safety": by_outcome[SAFETY],
        "contact": by_outcome[CONTACT],
        "planner_started": planned,
        "planner_completed": completed,
        "feedback_up": rated.up,
        "feedback_down": rated.down,
        "questions": sum(by_outcome[o] for o in QUESTIONS),
        "resolved": sum(resolved for *_, resolved in rows),
    }
    return Overview(
        period=period,
        since=since,
        until=now,
        counts=counts,
        series=_series(rows, since, now, bucket),
        topics=rated.topics,
    )


def _turns_per_bucket(
    connection: sa.engine.Connection, since: float, now: float, bucket: int
) -> list[tuple[int, str, int, int, int]]:
    """Per chart bucket and outcome: turns, messages visitors wrote, turns resolved.

    One pass over the period's turns in the index's order, per hour and outcome (no sort
    of the turns), then those rows (some 6,000 in a month) summed per bucket.
    """
    in_period = sa.and_(TURNS.c.at >= since, TURNS.c.at <= now)
    # The same turns' hours, which `in_period` implies: what lets the pass read
    # `ix_staff_turns_period` (staff/db.py) from the period's first hour to its last.
    hours = sa.and_(TURNS.c.hour >= hour_of(since), TURNS.c.hour <= hour_of(now))
    per_hour = (
        sa.select(
            TURNS.c.hour,
            TURNS.c.outcome,
            sa.func.count().label("turns"),
            _number_of(WRITTEN).label("written"),
            _number_of(TURNS.c.resolved).label("resolved"),
        )
        .where(in_period, hours)
        .group_by(TURNS.c.hour, TURNS.c.outcome)
        .subquery("per_hour")
    )
    # A bucket is a whole number of hours: an integer division of positive whole
    # numbers, the same in SQLite and PostgreSQL; written out, so that PostgreSQL
    # sees the selected and the grouped expression as one.
    hours_per_bucket = sa.literal_column(str(bucket // HOUR_S), sa.Integer)
    in_bucket = (per_hour.c.hour / hours_per_bucket).label("bucket")
    summed = connection.execute(
        sa.select(
            in_bucket,
            per_hour.c.outcome,
            sa.func.sum(per_hour.c.turns),
            sa.func.sum(per_hour.c.written),
            sa.func.sum(per_hour.c.resolved),
        ).group_by(in_bucket, per_hour.c.outcome)
    ).all()
    # Whole numbers (PostgreSQL's sum of sums is a decimal).
    return [
        (int(number), outcome, int(turns), int(written or 0), int(resolved or 0))
        for number, outcome, turns, written, resolved in summed
    ]


def _conversations(
    connection: sa.engine.Connection, since: float, now: float
) -> tuple[int, int, int]:
    """Conversations started in the period, and how many started and completed a plan."""
    started, planned, completed = connection.execute(
        sa.select(
            sa.func.count(),
            _number_of(CONVERSATIONS.c.planner_started),
            _number_of(CONVERSATIONS.c.planner_completed),
        ).where(CONVERSATIONS.c.first_at >= since, CONVERSATIONS.c.first_at <= now)
    ).one()
    return int(started or 0), int(planned or 0), int(completed or 0)


def _number_of(condition: sa.sql.ColumnElement[bool]) -> sa.sql.ColumnElement[int]:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def _series(rows: list[Any], since: float, now: float, bucket: int) -> list[dict[str, Any]]:
    """Per bucket: messages visitors wrote, resolved (as the count above), unanswered.

    `rows` are per bucket number and outcome.
    """
    first, last = math.floor(since / bucket), math.floor(now / bucket)
    points = {
        n: {"at": n * bucket, "messages": 0, "resolved": 0, "unanswered": 0}
        for n in range(first, last + 1)
    }
    for number, outcome, _, written, resolved in rows:
        point = points.get(number)
        if point is None:
            continue
        point["messages"] += written
        point["resolved"] += resolved
        if outcome in UNANSWERED:
            point["unanswered"] += written
    return list(points.values())


@dataclass(frozen=True)
class Ratings:
    """The 👍 and 👎 visitors gave the period's answers, in all and per article topic."""

    up: int
    down: int
    topics: list[dict[str, Any]]


def ratings(engine: sa.engine.Engine, since: float, until: float) -> Ratings:
    """The period's ratings alone: the feedback page needs no other figure."""
    with engine.connect() as connection:
        return _ratings(connection, since, until)


def _ratings(connection: sa.engine.Connection, since: float, until: float) -> Ratings:
    """Rated turns, counted per (topics, rating) in SQL: a month holds tens of thousands,
    each read from `ix_staff_turns_rated` (an equality on the rating, then the time)."""
    rows = connection.execute(
        sa.select(TURNS.c.topics, TURNS.c.feedback, sa.func.count())
        .where(TURNS.c.feedback.in_(RATINGS), TURNS.c.at >= since, TURNS.c.at <= until)
        .group_by(TURNS.c.topics, TURNS.c.feedback)
    ).all()
    up: Counter[str] = Counter()
    down: Counter[str] = Counter()
    for topics, given, count in rows:
        for topic in json.loads(topics or "[]") or ["(no article topic)"]:
            (up if given == "up" else down)[topic] += count
    names = sorted(set(up) | set(down), key=lambda t: (-(up[t] + down[t]), t))
    return Ratings(
        up=sum(count for _, given, count in rows if given == "up"),
        down=sum(count for _, given, count in rows if given == "down"),
        topics=[
            {"topic": t, "up": up[t], "down": down[t], "helpful": up[t] / (up[t] + down[t])}
            for t in names
        ],
    )

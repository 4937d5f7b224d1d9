"""Visitor messages the bot didn't answer, grouped by what they ask, and filed by staff.

Messages that differ only in case, spacing or punctuation are one wording,
counted with their number ("how much is it?" and "How much is it"); wordings
are grouped by what they ask (staff/grouping.py), never by the answer the bot
happened to give. A message of emoji or punctuation only is a wording too.
Staff file wordings, not groups: what they file is what they saw and ticked,
and a wording is marked done only once it is in the review file
(staff/review.py). A filed wording is hidden until a new one arrives.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from staff import review
from staff.db import DECISIONS, TURNS, WRITTEN
from staff.grouping import group_labels
from staff.turns import UNANSWERED

DECISIONS_TAKEN = ("new_wording", "article", "dismissed")
SHOWN_CONVERSATIONS = 5
_PUNCTUATION = re.compile(r"[^\w\s]")


def key_of(text: str) -> str:
    """Messages that differ only in case, spacing or punctuation share a key.

    A message with no words ("🙂🙂🙂", "???") keeps its signs: it is still a message.
    """
    words = " ".join(_PUNCTUATION.sub(" ", text.lower()).split())
    return (words or " ".join(text.lower().split()))[:255]


@dataclass
class Wording:
    """Every message with one key: how often, when, and in which conversations."""

    key: str
    text: str  # as most recently written
    count: int = 0
    first_seen: float = float("inf")
    last_seen: float = 0.0
    outcomes: Counter[str] = field(default_factory=Counter)
    conversations: list[str] = field(default_factory=list)
    decision: str | None = None  # filed as new_wording / article / dismissed, if it was


@dataclass
class Group:
    """Wordings that ask the same thing, the most asked first."""

    wordings: list[Wording]

    @property
    def key(self) -> str:
        return self.wordings[0].key

    @property
    def keys(self) -> list[str]:
        return [w.key for w in self.wordings]

    @property
    def examples(self) -> list[str]:
        return [w.text for w in self.wordings]

    @property
    def count(self) -> int:
        return sum(w.count for w in self.wordings)

    @property
    def first_seen(self) -> float:
        return min(w.first_seen for w in self.wordings)

    @property
    def last_seen(self) -> float:
        return max(w.last_seen for w in self.wordings)

    @property
    def outcomes(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for wording in self.wordings:
            total.update(wording.outcomes)
        return dict(total)

    @property
    def conversations(self) -> list[str]:
        senders = dict.fromkeys(s for w in self.wordings for s in w.conversations)
        return list(senders)[:SHOWN_CONVERSATIONS]


def _unanswered(since: float, until: float) -> sa.sql.ColumnElement[bool]:
    return sa.and_(
        TURNS.c.outcome.in_(UNANSWERED),
        WRITTEN,  # button payloads aren't questions
        TURNS.c.at >= since,
        TURNS.c.at <= until,
    )


def wordings(
    engine: sa.engine.Engine, since: float, until: float, with_decided: bool = False
) -> list[Wording]:
    """Every unanswered wording of the period, the most asked first (filed ones too if asked)."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(
                TURNS.c.text,
                TURNS.c.outcome,
                sa.func.count(),
                sa.func.min(TURNS.c.at),
                sa.func.max(TURNS.c.at),
                sa.func.max(TURNS.c.sender_id),
            )
            .where(_unanswered(since, until))
            .group_by(TURNS.c.text, TURNS.c.outcome)
        ).all()
        decided = dict(connection.execute(sa.select(DECISIONS.c.key, DECISIONS.c.decision)).all())
    found: dict[str, Wording] = {}
    for text, outcome, count, first, last, sender in rows:
        key = key_of(text)
        if not key or (key in decided and not with_decided):
            continue
        wording = found.setdefault(key, Wording(key, text, decision=decided.get(key)))
        if last > wording.last_seen:
            wording.text = text
        wording.count += count
        wording.first_seen = min(wording.first_seen, first)
        wording.last_seen = max(wording.last_seen, last)
        wording.outcomes[outcome] += count
        if sender not in wording.conversations:
            wording.conversations.append(sender)
    return sorted(found.values(), key=lambda w: (-w.count, -w.last_seen, w.key))


def unanswered_groups(
    engine: sa.engine.Engine, since: float, until: float, with_decided: bool = False
) -> list[Group]:
    """Groups of the period's unanswered wordings, the biggest first (undecided only,
    unless asked)."""
    found = wordings(engine, since, until, with_decided)
    groups: dict[int, list[Wording]] = {}
    for wording, label in zip(found, group_labels([w.key for w in found]), strict=True):
        groups.setdefault(label, []).append(wording)
    return sorted(
        (Group(members) for members in groups.values()), key=lambda g: (-g.count, -g.last_seen)
    )


def group_with(groups: list[Group], key: str) -> Group | None:
    """The group a wording is in now (groups change as messages arrive)."""
    return next((group for group in groups if key in group.keys), None)


def messages(engine: sa.engine.Engine, since: float, until: float) -> list[sa.engine.Row]:
    """Every unanswered message of the period, oldest first: at, sender_id, outcome, text."""
    with engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(TURNS.c.at, TURNS.c.sender_id, TURNS.c.outcome, TURNS.c.text)
                .where(_unanswered(since, until))
                .order_by(TURNS.c.at, TURNS.c.event_id)
            )
        )


@dataclass(frozen=True)
class Filed:
    wordings: int
    messages: int
    left_out: int  # ticked, but not filed: already filed, gone, or nothing left to write


def file_wordings(
    engine: sa.engine.Engine,
    review_dir: Path,
    keys: list[str],
    decision: str,
    account: str,
    at: float,
    topic: str | None = None,
) -> Filed:
    """File the ticked wordings: write them for review, then mark done what was written.

    Only wordings still unanswered and undecided are filed; a new wording is marked
    done only if the review file holds it afterwards.
    """
    ticked = set(keys)
    found = [w for w in wordings(engine, 0.0, at) if w.key in ticked]
    texts = [w.text for w in found]
    if decision == "new_wording":
        assert topic is not None
        review.add_new_wording(review_dir, topic, texts)
        held = set(review.new_wordings(review_dir, topic))
        found = [w for w in found if review.cleaned_example(w.text) in held]
    elif decision == "article" and found:
        review.add_article_question(review_dir, texts, sum(w.count for w in found), account)
    decide(engine, [w.key for w in found], decision, account, at, topic)
    return Filed(len(found), sum(w.count for w in found), len(ticked) - len(found))


def decide(
    engine: sa.engine.Engine,
    keys: list[str],
    decision: str,
    account: str,
    at: float,
    topic: str | None = None,
) -> None:
    """File message keys under one decision, so their wordings are hidden."""
    if not keys:
        return
    with engine.begin() as connection:
        connection.execute(sa.delete(DECISIONS).where(DECISIONS.c.key.in_(keys)))
        connection.execute(
            sa.insert(DECISIONS),
            [
                {"key": key, "decision": decision, "topic": topic, "account": account, "at": at}
                for key in keys
            ],
        )

"""Visitor messages the bot didn't answer, grouped by what they ask.

The same question comes in many wordings ("how much is it", "whats the
price?", "cost??"). Messages given the same "not covered" answer (the one
about prices, say) form one group; the rest are grouped by the similarity of
their words and letters: TF-IDF over character n-grams (robust to typos),
reduced with truncated SVD when there are many, then average-linkage
clustering on cosine distance with a threshold, all from scikit-learn.
Identical messages (after lower-casing and dropping punctuation) are counted
once with their number. A group that staff filed or dismissed is hidden until
a new wording arrives.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import sqlalchemy as sa
from sklearn.cluster import AgglomerativeClustering
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from staff.db import DECISIONS, TURNS, WRITTEN
from staff.turns import UNANSWERED

MAX_MESSAGES = 5000  # the most recent; older ones are in the export
MAX_DISTINCT = 1500
DISTANCE = 0.75  # cosine distance within a group (average linkage)
SVD_DIMENSIONS = 100
_PUNCTUATION = re.compile(r"[^\w\s]")


def key_of(text: str) -> str:
    """Messages that differ only in case, spacing or punctuation share a key."""
    return " ".join(_PUNCTUATION.sub(" ", text.lower()).split())[:255]


@dataclass
class Group:
    key: str  # the most frequent message's key: what decisions are filed under
    count: int
    first_seen: float
    last_seen: float
    examples: list[str]
    keys: list[str]
    outcomes: dict[str, int] = field(default_factory=dict)
    conversations: list[str] = field(default_factory=list)


@dataclass
class _Distinct:
    key: str
    text: str
    count: int = 0
    first: float = float("inf")
    last: float = 0.0
    outcomes: Counter[str] = field(default_factory=Counter)
    senders: list[str] = field(default_factory=list)
    answer: str = ""  # the "not covered" topic it got, if any: the same question's mark


def _answer(replies: str | None) -> str:
    names = json.loads(replies or "[]")
    return next((n.removeprefix("utter_faq/") for n in names if n.startswith("utter_faq/")), "")


def _partition(item: _Distinct) -> str:
    """Messages told the same specific "not covered" answer (price, pain…) ask the same."""
    return "" if item.answer in ("", "not_in_article") else item.answer


def _clusters(texts: list[str]) -> list[int]:
    if len(texts) < 2:
        return [0] * len(texts)
    vectors = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True
    ).fit_transform(texts)
    if vectors.shape[1] > SVD_DIMENSIONS and len(texts) > SVD_DIMENSIONS:
        dense = TruncatedSVD(SVD_DIMENSIONS, random_state=0).fit_transform(vectors)
    else:
        dense = vectors.toarray()
    dense = normalize(np.asarray(dense))
    labels = AgglomerativeClustering(
        n_clusters=None, distance_threshold=DISTANCE, affinity="cosine", linkage="average"
    ).fit_predict(dense)
    return [int(label) for label in labels]


def unanswered_groups(engine: sa.engine.Engine, since: float, until: float) -> list[Group]:
    """Groups of unanswered messages in the period, the biggest first, undecided only."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(TURNS.c.text, TURNS.c.at, TURNS.c.outcome, TURNS.c.sender_id, TURNS.c.replies)
            .where(TURNS.c.outcome.in_(UNANSWERED), TURNS.c.at >= since, TURNS.c.at <= until)
            .where(WRITTEN)  # button payloads aren't questions
            .order_by(TURNS.c.at.desc())
            .limit(MAX_MESSAGES)
        ).all()
        decided = set(connection.execute(sa.select(DECISIONS.c.key)).scalars())
    distinct: dict[str, _Distinct] = {}
    for text, at, outcome, sender, replies in rows:
        key = key_of(text)
        if not key or key in decided:
            continue
        item = distinct.setdefault(key, _Distinct(key, text, answer=_answer(replies)))
        item.count += 1
        item.first, item.last = min(item.first, at), max(item.last, at)
        item.outcomes[outcome] += 1
        if sender not in item.senders:
            item.senders.append(sender)
    items = sorted(distinct.values(), key=lambda d: (-d.count, -d.last))[:MAX_DISTINCT]
    parts: dict[str, list[_Distinct]] = {}
    for item in items:
        parts.setdefault(_partition(item), []).append(item)
    groups: dict[tuple[str, int], list[_Distinct]] = {}
    for part, members in parts.items():
        labels = _clusters([m.key for m in members]) if not part else [0] * len(members)
        for item, label in zip(members, labels, strict=True):
            groups.setdefault((part, label), []).append(item)
    found = []
    for members in groups.values():
        members.sort(key=lambda d: (-d.count, -d.last))
        outcomes: Counter[str] = Counter()
        for member in members:
            outcomes.update(member.outcomes)
        found.append(
            Group(
                key=members[0].key,
                count=sum(m.count for m in members),
                first_seen=min(m.first for m in members),
                last_seen=max(m.last for m in members),
                examples=[m.text for m in members[:5]],
                keys=[m.key for m in members],
                outcomes=dict(outcomes),
                conversations=list(dict.fromkeys(s for m in members for s in m.senders))[:5],
            )
        )
    return sorted(found, key=lambda g: (-g.count, -g.last_seen))


def decide(
    engine: sa.engine.Engine,
    keys: list[str],
    decision: str,
    account: str,
    at: float,
    topic: str | None = None,
) -> None:
    """File every message key of a group under one decision, so the group is hidden."""
    with engine.begin() as connection:
        connection.execute(sa.delete(DECISIONS).where(DECISIONS.c.key.in_(keys)))
        connection.execute(
            sa.insert(DECISIONS),
            [
                {"key": key, "decision": decision, "topic": topic, "account": account, "at": at}
                for key in keys
            ],
        )

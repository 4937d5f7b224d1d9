"""Visitor questions grouped by what they ask, for the Unanswered page.

Each question is read three ways, side by side: its words (the common ones
left out), the letters of those words (so "coldsore" meets "cold sores" and a
typo meets its word), and the bot's topics those words are used for in its own
training data, `data/nlu/` ("cost", "charge" and "price" are all words of
faq/price; "hurt" and "sting" of faq/pain), leaving out topics that list many
things. The training data only lends its vocabulary: a question is never put
with the answer the bot happened to give it. Questions are joined by
complete-linkage clustering on cosine distance (scikit-learn), so every two
questions in a group are close and one shared word doesn't chain two
questions into a group. The weights and the distance
were chosen on tests/console/data/unanswered_labelled.yml, whose test
(tests/console/test_grouping_quality.py) keeps them honest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import yaml
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

from clinic.settings import PROJECT_ROOT

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
DISTANCE = 0.8  # the largest cosine distance between two questions of a group
LETTERS_WEIGHT = 0.4
TOPICS_WEIGHT = 0.7
MAX_CLUSTERED = 1500  # more distinct questions join their nearest group (memory is n²)
# Words nearly every question here has: they say nothing about what it asks.
DOMAIN_WORDS = frozenset(
    {"mesotherapy", "meso", "treatment", "treatments", "clinic", "does", "im", "id", "ive", "ok"}
)
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | DOMAIN_WORDS)
# Declines cover everything the bot doesn't do: their words would join unrelated questions.
UNRELATED_INTENTS = frozenset({"out_of_scope"})
# Topics that list many things (the conditions, what rules it out, the ingredients, and
# everything the article doesn't cover):
# their words ask different questions ("what age…", "i have rosacea…", "can men…"), they
# aren't other words for one. Named, not found by a count of their words: a count moved
# with every example added to the training data (0.57–0.64 adjusted Rand on the
# labelled set as examples were added), names don't.
BROAD_TOPICS = frozenset(
    {"faq/conditions", "faq/contraindications", "faq/ingredients", "faq/not_in_article"}
)
_TOKEN = r"(?u)\b\w+\b"
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class _Topics:
    """Which of the bot's topics each word of its training data is used for."""

    words: TfidfVectorizer
    profiles: sp.csr_matrix  # word × topic, each word's row of unit length


def _examples(nlu_dir: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(nlu_dir.glob("*.yml")):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in loaded.get("nlu") or []:
            intent, examples = block.get("intent"), block.get("examples")
            if not intent or not isinstance(examples, str) or intent in UNRELATED_INTENTS:
                continue
            found.setdefault(str(intent), []).extend(
                _ANNOTATION.sub(r"\1", line[2:]).lower()
                for line in examples.splitlines()
                if line.startswith("- ")
            )
    return found


@cache
def _topics(nlu_dir: Path = NLU_DIR) -> _Topics | None:
    """Read once per process; None where the training data isn't installed."""
    examples = _examples(nlu_dir) if nlu_dir.is_dir() else {}
    if not examples:
        return None
    words = TfidfVectorizer(stop_words=STOP_WORDS, token_pattern=_TOKEN, sublinear_tf=True)
    by_topic = sp.csr_matrix(words.fit_transform([" ".join(t) for t in examples.values()]))
    narrow = np.asarray([topic not in BROAD_TOPICS for topic in examples], dtype=float)
    return _Topics(words, normalize(sp.csr_matrix((sp.diags(narrow) @ by_topic).T)))


def features(texts: Sequence[str], nlu_dir: Path = NLU_DIR) -> sp.csr_matrix:
    """One row per question: its words, their letters and their topics, of unit length."""
    words = TfidfVectorizer(stop_words=STOP_WORDS, token_pattern=_TOKEN, sublinear_tf=True)
    letters = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    content = [" ".join(w for w in text.split() if w not in STOP_WORDS) or text for text in texts]
    parts = [_fit(words, texts), LETTERS_WEIGHT * _fit(letters, content)]
    topics = _topics(nlu_dir)
    if topics is not None:
        parts.append(TOPICS_WEIGHT * normalize(topics.words.transform(texts) @ topics.profiles))
    return normalize(sp.hstack(parts).tocsr())


def _fit(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    try:
        return sp.csr_matrix(vectorizer.fit_transform(texts))
    except ValueError:  # nothing to count: every text was common words only
        return sp.csr_matrix((len(texts), 1))


def group_labels(texts: Sequence[str], nlu_dir: Path = NLU_DIR) -> list[int]:
    """A group number for each question (messages as `staff.unanswered.key_of` keeps them).

    Give the most frequent first: beyond MAX_CLUSTERED, a question joins the group
    of its nearest clustered one when that is close enough, else one of its own.
    """
    if len(texts) < 2:
        return [0] * len(texts)
    vectors = features(texts, nlu_dir)
    clustered = vectors[:MAX_CLUSTERED]
    distances = _distances(clustered, clustered)
    np.fill_diagonal(distances, 0.0)
    labels = [
        int(label)
        for label in AgglomerativeClustering(
            n_clusters=None,
            distance_threshold=DISTANCE,
            affinity="precomputed",
            linkage="complete",
        ).fit_predict(distances)
    ]
    following = max(labels) + 1
    for start in range(MAX_CLUSTERED, vectors.shape[0], MAX_CLUSTERED):
        rest = _distances(vectors[start : start + MAX_CLUSTERED], clustered)
        for row, column in enumerate(rest.argmin(axis=1)):
            if rest[row, column] <= DISTANCE:
                labels.append(labels[column])
            else:
                labels.append(following)
                following += 1
    return labels


def warm_up() -> None:
    """Read the training data's vocabulary and run the clustering once, so the first
    staff member to open the Unanswered page doesn't wait for it."""
    group_labels(["how much does it cost", "does it hurt"])


def _distances(a: sp.csr_matrix, b: sp.csr_matrix) -> npt.NDArray[np.float64]:
    """Cosine distances of unit rows; a row with no features is far from everything."""
    similarity = np.asarray((a @ b.T).todense())
    distances = np.clip(1.0 - similarity, 0.0, 2.0)
    empty_a = np.asarray(a.getnnz(axis=1) == 0)
    empty_b = np.asarray(b.getnnz(axis=1) == 0)
    distances[empty_a, :] = 2.0
    distances[:, empty_b] = 2.0
    return distances

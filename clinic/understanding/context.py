"""What a message does in the conversation, learned from examples written after each answer.

A visitor's message after an answer may stand on its own ("how many
sessions will I need?"), lean on that answer ("and alcohol?", "for how
long?", "which country?"), correct the question it answered ("no, I meant
afterwards"), close politely ("no thanks, I was only asking") or, after a
safety route, go on about it ("is that normal?"). Which of these a message
does is its *move*; the words alone often can't tell ("how long?" asks one
thing after the exercise advice and another out of the blue).

`MoveModel` is a logistic regression over the message's words together with
the label of the bot's last answer: each word on its own, each word joined to
that label and to its frame (content/topics.yml), and the message's shape
(length, a question mark). It is trained on `data/context/*.yml`, pairs of a
last answer and a message with the move it makes there, and on the project's
ordinary questions as `new` after any answer, so a full question keeps its
own meaning wherever it comes. Plain Python and scikit-learn; the Rasa
component around it is rasa_ext/nlu/context.py.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import numpy.typing as npt
import scipy.sparse
import yaml
from sklearn.linear_model import LogisticRegression

from clinic.content import load_topics
from clinic.understanding.details import topics_with

NEW = "new"  # the message stands on its own
FOLLOWUP = "followup"  # the last answer's question, about something else or more of it
CORRECTION = "correction"  # the visitor meant another topic, time or condition
BACK = "back"  # back to an earlier answer's topic ("back to the sessions, after the first few?")
AGAIN = "again"  # the last answer again, or to confirm it ("so is that a yes?")
CLOSE = "close"  # a polite close with no new question
ROUTE = "route"  # goes on about a safety route: back to the clinic's team
DETAIL = "detail:"  # one detail of the last answer: DETAIL + an attribute of content/details.yml
NOTHING = "none"  # no answer before the message
ANY = "any"  # in data/context: after any answered topic
WEIGHTS = "context_moves.npz"
VOCABULARY = "context_moves.json"
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?|\?")


@dataclass(frozen=True)
class ContextExample:
    """One message after one answer, and the move it makes there."""

    after: str
    text: str
    move: str


@dataclass(frozen=True)
class Move:
    """The model's reading of a message's move, with the next ones."""

    name: str
    confidence: float
    ranking: tuple[tuple[str, float], ...] = ()

    @property
    def attribute(self) -> str | None:
        """The detail asked ("how_long"), for a detail move."""
        return self.name.removeprefix(DETAIL) if self.name.startswith(DETAIL) else None


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _length(count: int) -> str:
    return str(count) if count <= 4 else "5-7" if count <= 7 else "8-12" if count <= 12 else "long"


def features(after: str | None, text: str) -> list[str]:
    """The features of a message after an answer (`after`: its label, or None)."""
    words = tokens(text)
    plain = [word for word in words if word != "?"]
    found = [f"w:{word}" for word in words]
    found += [f"b:{a} {b}" for a, b in pairwise(words)]
    found += [f"c:{word[i : i + 3]}" for word in plain for i in range(max(1, len(word) - 2))]
    found += [f"len:{_length(len(plain))}", f"first:{plain[0] if plain else ''}"]
    found += ["mark:?" if "?" in words else "mark:none"]
    after = after or NOTHING
    topic = load_topics().get(after)
    frame = topic.frame if topic and topic.frame else after
    found += [f"after:{after}", f"frame:{frame}"]
    found += [f"aw:{after}|{word}" for word in plain]
    found += [f"fw:{frame}|{word}" for word in plain]
    found += [f"alen:{after}|{_length(len(plain))}", f"flen:{frame}|{_length(len(plain))}"]
    return found


class MoveModel:
    """Which move a message makes after an answer: a logistic regression over `features`."""

    def __init__(
        self,
        vocabulary: dict[str, int],
        moves: Sequence[str],
        coef: npt.NDArray[np.float64],
        intercept: npt.NDArray[np.float64],
    ) -> None:
        self.vocabulary = vocabulary
        self.moves = tuple(moves)
        self.coef = coef
        self.intercept = intercept

    def _row(self, after: str | None, text: str) -> scipy.sparse.csr_matrix:
        columns = sorted(
            {self.vocabulary[f] for f in features(after, text) if f in self.vocabulary}
        )
        data = np.ones(len(columns))
        return scipy.sparse.csr_matrix(
            (data, (np.zeros(len(columns), dtype=int), columns)), shape=(1, len(self.vocabulary))
        )

    def probabilities(self, after: str | None, text: str) -> dict[str, float]:
        scores = self._row(after, text) @ self.coef.T + self.intercept
        scores = np.asarray(scores).ravel()
        exp = np.exp(scores - scores.max())
        return dict(zip(self.moves, (exp / exp.sum()).tolist(), strict=True))

    def predict(self, after: str | None, text: str) -> Move:
        ranked = sorted(self.probabilities(after, text).items(), key=lambda item: -item[1])
        return Move(ranked[0][0], ranked[0][1], tuple(ranked[:4]))

    @classmethod
    def fit(cls, examples: Sequence[ContextExample], c: float = 4.0) -> MoveModel:
        rows = [features(example.after, example.text) for example in examples]
        vocabulary: dict[str, int] = {}
        for row in rows:
            for feature in row:
                vocabulary.setdefault(feature, len(vocabulary))
        indptr, indices = [0], []
        for row in rows:
            indices += sorted({vocabulary[f] for f in row})
            indptr.append(len(indices))
        matrix = scipy.sparse.csr_matrix(
            (np.ones(len(indices)), indices, indptr), shape=(len(rows), len(vocabulary))
        )
        labels = [example.move for example in examples]
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        model.fit(matrix, labels)
        return cls(
            vocabulary,
            [str(label) for label in model.classes_],
            np.asfortranarray(model.coef_),
            model.intercept_,
        )

    def save(self, folder: Path) -> None:
        np.savez(folder / WEIGHTS, coef=self.coef, intercept=self.intercept)
        (folder / VOCABULARY).write_text(
            json.dumps({"moves": list(self.moves), "vocabulary": self.vocabulary}),
            encoding="utf-8",
        )

    @classmethod
    def load(cls, folder: Path) -> MoveModel:
        saved = json.loads((folder / VOCABULARY).read_text(encoding="utf-8"))
        with np.load(folder / WEIGHTS, allow_pickle=False) as arrays:
            coef, intercept = np.asfortranarray(arrays["coef"]), arrays["intercept"]
        return cls(saved["vocabulary"], saved["moves"], coef, intercept)


def load_examples(folder: Path, seed: int = 0, per_any: int = 6) -> list[ContextExample]:
    """The examples of `data/context/*.yml`, each paired with the answers it may follow.

    `after` names labels; `any` pairs each message with `per_any` answered
    topics drawn at random (and with no answer at all); `details` with every
    topic whose content/details.yml has the block's attribute.
    """
    rng = random.Random(seed)
    topics = sorted(name for name, topic in load_topics().items() if topic.frame)
    examples: list[ContextExample] = []
    for path in sorted(folder.glob("*.yml")):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in loaded.get("context") or []:
            move = str(block["means"])
            for text in _texts(block["examples"]):
                for after in _afters(block["after"], move, topics, rng, per_any):
                    examples.append(ContextExample(after, text, move))
    return examples


def _afters(
    after: str | list[str], move: str, topics: list[str], rng: random.Random, per_any: int
) -> list[str]:
    if after == ANY:
        return [NOTHING, *rng.sample(topics, per_any)]
    if after == "details":
        return topics_with(move.removeprefix(DETAIL))
    return [str(label) for label in after] if isinstance(after, list) else [str(after)]


def _texts(examples: str | list[str]) -> list[str]:
    if isinstance(examples, list):
        return [str(text) for text in examples]
    return [line.strip()[2:].strip() for line in examples.splitlines() if line.strip()[:2] == "- "]


def ordinary_questions(
    texts: Iterable[str], afters: Sequence[str], seed: int = 0, per_text: int = 2
) -> list[ContextExample]:
    """The project's ordinary training questions as `new`, after no answer and after others."""
    rng = random.Random(seed)
    examples = []
    for text in texts:
        examples.append(ContextExample(NOTHING, text, NEW))
        examples += [ContextExample(rng.choice(afters), text, NEW) for _ in range(per_text)]
    return examples


def example_counts(examples: Iterable[ContextExample]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for example in examples:
        counts[example.move] = counts.get(example.move, 0) + 1
    return counts

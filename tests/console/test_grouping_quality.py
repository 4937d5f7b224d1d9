"""How well the Unanswered page groups visitors' questions by what they ask.

tests/console/data/unanswered_labelled.yml holds questions the article doesn't
answer, labelled by hand with what each asks. They are grouped as the page
groups them (staff/grouping.py) and compared with the labels: the adjusted
Rand index (1 is the labels exactly, 0 what chance would give) and purity (the
share of questions that sit with the majority of their group). The floors are
just below what was measured (bench/README.md keeps the figures); a change
that groups worse fails here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.cluster import contingency_matrix

from staff.grouping import group_labels
from staff.unanswered import key_of

LABELLED = Path(__file__).with_name("data") / "unanswered_labelled.yml"
# Measured 0.574 once the training data it borrows words from grew (0.603 before;
# the grouping by answer it replaced: 0.27).
ADJUSTED_RAND_FLOOR = 0.55
PURITY_FLOOR = 0.85


def labelled() -> tuple[list[str], list[str]]:
    groups = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["groups"]
    pairs = [(key_of(text), label) for label, texts in groups.items() for text in texts]
    return [text for text, _ in pairs], [label for _, label in pairs]


@pytest.fixture(scope="module")
def grouped() -> tuple[list[str], list[str], list[int]]:
    texts, labels = labelled()
    return texts, labels, group_labels(texts)


def test_the_labelled_set_is_big_and_varied_enough_to_measure() -> None:
    texts, labels = labelled()
    assert 60 <= len(texts) <= 100 and 12 <= len(set(labels)) <= 20
    assert len(set(texts)) == len(texts), "no question twice"


def test_groups_agree_with_what_the_questions_ask(
    grouped: tuple[list[str], list[str], list[int]],
) -> None:
    _, labels, found = grouped
    assert adjusted_rand_score(labels, found) >= ADJUSTED_RAND_FLOOR


def test_a_group_rarely_mixes_two_questions(
    grouped: tuple[list[str], list[str], list[int]],
) -> None:
    _, labels, found = grouped
    table = contingency_matrix(labels, found)
    purity = float(np.amax(table, axis=0).sum() / table.sum())
    assert purity >= PURITY_FLOOR


@pytest.mark.parametrize(
    ("question", "others"),
    [
        # What the issue found hidden under the bot's answers.
        ("what age can you have it from", ["minimum_age"]),
        ("does it hurt", ["pain"]),
        ("write me a poem", ["poems_and_jokes"]),
    ],
)
def test_a_question_is_never_grouped_with_another_kind(
    grouped: tuple[list[str], list[str], list[int]], question: str, others: list[str]
) -> None:
    texts, labels, found = grouped
    group = found[texts.index(question)]
    assert {label for label, g in zip(labels, found, strict=True) if g == group} <= set(others)

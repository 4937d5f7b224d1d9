"""Grouping questions by what they ask (staff/grouping.py), apart from its measured quality
(tests/console/test_grouping_quality.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from staff import grouping
from staff.grouping import group_labels


def same(labels: list[int], *indexes: int) -> bool:
    return len({labels[i] for i in indexes}) == 1


def test_other_words_for_one_question_are_one_group() -> None:
    labels = group_labels(
        ["how much does it cost", "whats the price", "how much do you charge", "is there parking"]
    )
    assert same(labels, 0, 1, 2) and labels[3] != labels[0]


def test_questions_the_bot_files_under_one_broad_topic_stay_apart() -> None:
    # The training data has all three under faq/contraindications.
    labels = group_labels(
        ["what age can you have it from", "can i have it if i have rosacea", "can men have it"]
    )
    assert len(set(labels)) == 3


def test_without_the_training_data_questions_are_grouped_by_their_words(tmp_path: Path) -> None:
    labels = group_labels(
        ["is there parking at the clinic", "is parking free", "can i bring my dog"], tmp_path
    )
    assert same(labels, 0, 1) and labels[2] != labels[0]


def test_messages_of_common_words_or_signs_only_get_groups_of_their_own() -> None:
    labels = group_labels(["🙂🙂🙂", "is it", "???", "can i bring my dog"])
    assert len(labels) == 4 and len(set(labels)) == 4


def test_beyond_the_clustered_ones_a_question_joins_its_nearest_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(grouping, "MAX_CLUSTERED", 2)
    texts = ["is there parking", "can i bring my dog", "is parking free", "do you sell vouchers"]
    labels = group_labels(texts)
    assert same(labels, 0, 2), "joined the parking group"
    assert labels[3] not in labels[:3], "nothing near: a group of its own"


def test_warming_up_reads_the_vocabulary_once() -> None:
    grouping.warm_up()
    assert grouping._topics.cache_info().currsize >= 1
    assert group_labels(["one question"]) == [0] and group_labels([]) == []

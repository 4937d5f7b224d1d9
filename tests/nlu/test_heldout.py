"""NLU quality on questions written apart from the training data, with floors we only raise.

`tests/nlu/heldout.yml` was written by someone who never saw `data/nlu/`
(the few lines that collided with training examples were removed);
`tests/nlu/heldout_neighbours.yml` likewise, for the labels the conversation
issue added, with its own floors. A follow-up after a reported reaction is read
in that context, the only one where the bot takes it. The
fallback thresholds were tuned on `tests/nlu/dev.yml`, never on this set. An FAQ
example counts as right only when the intent is `faq` *and* the chosen answer
is its topic. Asking "did you mean…?" is not counted as right, but it is not a
wrong answer either; wrong answers get their own, stricter ceiling.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.model import get_latest_model
from rasa.shared.nlu.training_data.loading import load_data

from tests.nlu.in_context import predict

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
NEIGHBOURS = ROOT / "tests" / "nlu" / "heldout_neighbours.yml"

# Raise these as the bot improves; never lower them to make a change pass.
MIN_ACCURACY = 0.97
MAX_WRONG_ANSWER_RATE = 0.02
MIN_OUT_OF_SCOPE_DECLINED = 0.9
DECLINES = {"out_of_scope", "nlu_fallback"}
# The neighbour set, measured when it was written (75 % right, 15 % other
# answers on its first 72 examples, most of them a neighbouring "the article
# doesn't say"); with the source and feedback labels (93): 72 % and 18 %,
# typed thanks and "not what I asked" being close to `thank` and `deny`.
# Raise only.
MIN_NEIGHBOUR_ACCURACY = 0.70
MAX_NEIGHBOUR_WRONG_RATE = 0.20


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


def _label(example: Any) -> str:
    return str(example.get_full_intent())


@pytest.fixture(scope="module")
def agent() -> Agent:
    model = get_latest_model(str(ROOT / "models"))
    if model is None:
        pytest.fail("No trained model in models/: run `make train` first.")
    return Agent.load(model)


@pytest.fixture(scope="module")
def predictions(agent: Agent) -> list[tuple[str, str, str]]:
    """(text, expected label, predicted label) for every example of the original set."""
    return predict(agent, HELDOUT)


@pytest.fixture(scope="module")
def neighbour_predictions(agent: Agent) -> list[tuple[str, str, str]]:
    return predict(agent, NEIGHBOURS)


def test_heldout_examples_are_not_in_the_training_data() -> None:
    training = {
        _normalise(e.get("text")) for e in load_data(str(ROOT / "data" / "nlu")).intent_examples
    }
    for path in (HELDOUT, NEIGHBOURS):
        heldout = {_normalise(e.get("text")) for e in load_data(str(path)).intent_examples}
        # An emoji alone ("👍", "🙏") normalises to nothing: no wording in common.
        assert heldout & training - {""} == set(), path


def test_heldout_set_has_at_least_five_examples_per_intent() -> None:
    examples = [
        *load_data(str(HELDOUT)).intent_examples,
        *load_data(str(NEIGHBOURS)).intent_examples,
    ]
    counts = Counter(_label(e) for e in examples)
    training_labels = {_label(e) for e in load_data(str(ROOT / "data" / "nlu")).intent_examples}
    assert {label for label in training_labels if counts[label] < 5} == set()


def test_heldout_accuracy_is_above_the_floor(predictions: list[tuple[str, str, str]]) -> None:
    right = sum(expected == predicted for _, expected, predicted in predictions)
    misses = [(t, e, p) for t, e, p in predictions if e != p]
    assert right / len(predictions) >= MIN_ACCURACY, misses


def test_wrong_answers_are_rare(predictions: list[tuple[str, str, str]]) -> None:
    wrong = [
        (text, expected, predicted)
        for text, expected, predicted in predictions
        if predicted != expected and predicted not in DECLINES
    ]
    assert len(wrong) / len(predictions) <= MAX_WRONG_ANSWER_RATE, wrong


def test_out_of_scope_questions_are_declined(predictions: list[tuple[str, str, str]]) -> None:
    out_of_scope = [(t, p) for t, e, p in predictions if e == "out_of_scope"]
    declined = [t for t, p in out_of_scope if p in DECLINES]
    assert len(declined) / len(out_of_scope) >= MIN_OUT_OF_SCOPE_DECLINED, out_of_scope


def test_neighbour_questions_are_above_their_floor(
    neighbour_predictions: list[tuple[str, str, str]],
) -> None:
    right = sum(expected == predicted for _, expected, predicted in neighbour_predictions)
    misses = [(t, e, p) for t, e, p in neighbour_predictions if e != p]
    assert right / len(neighbour_predictions) >= MIN_NEIGHBOUR_ACCURACY, misses


def test_neighbour_questions_rarely_get_another_answer(
    neighbour_predictions: list[tuple[str, str, str]],
) -> None:
    wrong = [(t, e, p) for t, e, p in neighbour_predictions if p != e and p not in DECLINES]
    assert len(wrong) / len(neighbour_predictions) <= MAX_NEIGHBOUR_WRONG_RATE, wrong


def test_follow_ups_after_a_reaction_go_to_the_team(
    neighbour_predictions: list[tuple[str, str, str]],
) -> None:
    """In context, every such follow-up is a safety route: none may get an FAQ answer."""
    followups = [(t, p) for t, e, p in neighbour_predictions if e == "safety_followup"]
    assert followups and all(p == "safety_followup" for _, p in followups), followups

"""The context reader: what a message does after the last answer, learned from data/context/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from clinic.understanding.context import (
    ANY,
    CORRECTION,
    NEW,
    NOTHING,
    ContextExample,
    Move,
    MoveModel,
    features,
    load_examples,
    ordinary_questions,
)
from clinic.understanding.decision import BEFORE
from clinic.understanding.details import load_details
from tests.support.servers import ROOT

EXAMPLES = ROOT / "data" / "context"


def _nlu_questions() -> list[str]:
    texts = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if block.get("intent") in (None, "deny", "affirm", "inform"):
                continue
            for line in str(block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    texts.append(re.sub(r"\[([^\]]+)\]\{[^}]*\}", r"\1", line.strip()[2:]))
    return texts


@pytest.fixture(scope="module")
def model() -> MoveModel:
    examples = load_examples(EXAMPLES)
    topics = sorted({example.after for example in examples} - {NOTHING})
    return MoveModel.fit(examples + ordinary_questions(_nlu_questions(), topics))


# Phrasings written for this test, not in data/context/: the model must generalise.
UNSEEN = [
    ("faq/origin", "in what country was that?", "detail:where"),
    ("faq/origin", "what year was it developed", "detail:when"),
    ("faq/exercise_after", "how many hours is that", "detail:how_long"),
    ("faq/combine_anti_wrinkle", "which should come first then", "detail:order"),
    ("faq/session_frequency", "and after a few months?", "detail:later"),
    ("faq/aftercare", "and what about wine?", "followup"),
    ("faq/conditions", "what about my crows feet", "followup"),
    ("faq/preparation", "no sorry, I meant after the treatment", "correction"),
    ("faq/sessions_needed", "no thanks, I was just curious", "close"),
    ("ask_pregnancy", "is it definitely not safe?", "route"),
    ("report_adverse_reaction", "it's still really red today", "route"),
    ("ask_pregnancy", "how many sessions does a course take?", "new"),
    ("faq/sun_after", "what is mesotherapy exactly?", "new"),
    ("faq/booking", "does it help with stretch marks", "new"),
]


@pytest.mark.parametrize(("after", "text", "expected"), UNSEEN)
def test_a_message_s_move_after_an_answer_is_read_from_the_examples(
    model: MoveModel, after: str, text: str, expected: str
) -> None:
    assert model.predict(after, text).name == expected


def test_the_same_words_make_another_move_after_another_answer(model: MoveModel) -> None:
    assert model.predict("report_adverse_reaction", "is that normal?").name == "route"
    assert model.predict("faq/session_frequency", "is that normal?").name != "route"


def test_the_unseen_phrasings_really_are_unseen() -> None:
    written = {example.text.lower().strip() for example in load_examples(EXAMPLES)}
    assert not written & {text.lower() for _, text, _ in UNSEEN}


def test_a_saved_model_reads_the_same(tmp_path: Path, model: MoveModel) -> None:
    model.save(tmp_path)
    loaded = MoveModel.load(tmp_path)
    for after, text, _ in UNSEEN:
        assert loaded.predict(after, text) == model.predict(after, text)


def test_every_detail_move_has_an_answer_in_the_table_and_examples() -> None:
    moves = {example.move for example in load_examples(EXAMPLES)}
    # The time before the treatment is found by its words, not by a move (decision rule 8).
    attributes = {attribute for _, attribute in load_details()} - {BEFORE}
    assert {move for move in moves if move.startswith("detail:")} == {
        f"detail:{attribute}" for attribute in attributes
    }


def test_examples_after_any_answer_are_paired_with_several_answers() -> None:
    examples = load_examples(EXAMPLES, seed=1, per_any=3)
    corrections = [e for e in examples if e.move == CORRECTION and e.text == "no i meant after"]
    assert len(corrections) == 4 and NOTHING in {e.after for e in corrections}
    assert ANY not in {e.after for e in examples}


def test_ordinary_questions_are_new_after_no_answer_and_after_others() -> None:
    examples = ordinary_questions(["what is it"], ["faq/price", "faq/origin"], per_text=2)
    assert [e.move for e in examples] == [NEW, NEW, NEW]
    assert examples[0] == ContextExample(NOTHING, "what is it", NEW)


def test_the_features_join_each_word_to_the_last_answer_and_its_kind() -> None:
    found = features("faq/sun_after", "how long?")
    assert {"w:how", "w:?", "aw:faq/sun_after|long", "fw:after|long", "after:faq/sun_after"} <= set(
        found
    )
    assert "after:none" in features(None, "how long?")


def test_a_move_knows_its_attribute() -> None:
    assert Move("detail:how_long", 0.9).attribute == "how_long"
    assert Move("followup", 0.9).attribute is None

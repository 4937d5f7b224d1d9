"""The spaCy pipeline built in code: normalised entities, lemmas, retraining on edits."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.nlu.training_data.message import Message

from rasa_ext.nlu import spacy_pipeline
from rasa_ext.nlu.spacy_model import ClinicEntityExtractor


@pytest.fixture(scope="module")
def nlp() -> Any:
    return spacy_pipeline.build_pipeline()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Does it help with THINNING HAIR?", [("condition", "hair_thinning")]),
        # Wider than the article's "hair thinning": a condition it doesn't name.
        ("Does it help with HAIR LOSS?", [("condition", "not_named_hair")]),
        # A bare "hair" beside a condition the article doesn't name goes, so the
        # answer follows the one it doesn't name.
        ("my alopecia, will my hair grow back", [("condition", "not_named_hair")]),
        # Regrowth is not in the article: "hair" in it is no "yes" to hair thinning.
        ("will my hair grow back?", [("condition", "not_named_hair")]),
        ("is it ok for oily skin", [("condition", "not_named")]),
        # The colour of hair is no thinning: "grey hair" gets no "yes".
        ("I meant grey hair", [("condition", "not_named")]),
        ("what about stretchmarks", [("condition", "stretch_marks")]),
        # The article's "loss of elasticity and tone"; uneven tone is pigmentation.
        ("4 sessions, for skin tone", [("condition", "elasticity")]),
        ("my uneven skin tone", [("condition", "pigmentation")]),
        ("acne scars on my face", [("condition", "acne_scarring"), ("body_area", "face")]),
        (
            "I have a chemical peel and botox",
            [("treatment", "peel"), ("treatment", "anti_wrinkle")],
        ),
        ("how many sessions do I need", []),
    ],
)
def test_entity_ruler_finds_normalised_conditions_and_treatments(
    nlp: Any, text: str, expected: list[tuple[str, str]]
) -> None:
    message = Message(data={"text": text, "text_spacy_doc": nlp(text.lower())})
    ClinicEntityExtractor.create(
        ClinicEntityExtractor.get_default_config(),
        None,
        None,
        None,  # type: ignore[arg-type]
    ).process([message], model=None)  # type: ignore[arg-type]
    assert [(e["entity"], e["value"]) for e in message.get("entities")] == expected


def test_lemmatizer_merges_plural_and_singular(nlp: Any) -> None:
    assert [token.lemma_ for token in nlp("sessions treatments")] == ["session", "treatment"]


def test_editing_patterns_changes_the_fingerprint(tmp_path: Any) -> None:
    patterns = tmp_path / "patterns.yml"
    patterns.write_text("condition:\n  acne: [acne]\n", encoding="utf-8")
    before = spacy_pipeline.patterns_fingerprint(patterns)
    patterns.write_text("condition:\n  acne: [acne, spots]\n", encoding="utf-8")
    assert spacy_pipeline.patterns_fingerprint(patterns) != before

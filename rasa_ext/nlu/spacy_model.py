"""Rasa's spaCy loader for the pipeline built in code, and the entities its EntityRuler finds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils import spacy_utils
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

from clinic.content import NAMED_CONDITIONS
from rasa_ext.nlu import spacy_pipeline
from rasa_ext.nlu.untrained import UntrainedComponent

SPACY_DOC = "text_spacy_doc"


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(spacy_utils.SpacyNLP):
    """Rasa's `SpacyNLP` for the pipeline this project builds in code.

    It keeps Rasa's class name so Rasa's spaCy tokenizer finds it. It builds
    the pipeline when it is missing or stale, and adds the entity patterns to
    the model fingerprint so that editing them retrains the model.
    """

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        return spacy_pipeline.patterns_fingerprint()

    @staticmethod
    def load_model(spacy_model_name: str) -> SpacyModel:
        model_dir = Path(spacy_model_name)
        if not spacy_pipeline.is_current(model_dir):
            spacy_pipeline.write_pipeline(model_dir)
        return spacy_utils.SpacyNLP.load_model(spacy_model_name)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyNLP"
)
class ClinicEntityExtractor(UntrainedComponent, EntityExtractorMixin):
    """Conditions, treatments and body areas found by the EntityRuler, with normalised values.

    "hair loss" and "thinning hair" both come out as `condition: hair_thinning`,
    so slots, conditional responses and the planner see one value per idea.
    """

    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"dimensions": None}

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        for message in messages:
            doc = message.get(SPACY_DOC)
            if doc is None:
                continue
            found = [
                {
                    "entity": ent.label_,
                    "value": ent.ent_id_ or ent.text,
                    "start": ent.start_char,
                    "end": ent.end_char,
                    "confidence": None,
                    "text": ent.text,
                }
                for ent in doc.ents
            ]
            found = self.filter_irrelevant_entities(
                self.add_extractor_name(_named_first(found)), self._config["dimensions"]
            )
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages


def _named_first(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Conditions the article doesn't name come last, and a bare "hair" then goes.

    Rasa fills the `condition` slot with the last condition in the message, and
    the answer follows it: a message naming alopecia and "hair" must get the
    answer that says the article names hair thinning only, not a "yes".
    """
    not_named = [
        entity
        for entity in found
        if entity["entity"] == "condition" and entity["value"] not in NAMED_CONDITIONS
    ]
    if not_named:
        found = [entity for entity in found if entity.pop("text", "").lower() != "hair"]
        found.sort(key=lambda entity: entity in not_named)
    for entity in found:
        entity.pop("text", None)
    # The same value named twice ("my alopecia, will my hair grow back") is one entity.
    seen: set[tuple[str, str]] = set()
    unique = []
    for entity in found:
        key = (str(entity["entity"]), str(entity["value"]))
        if key not in seen:
            seen.add(key)
            unique.append(entity)
    return unique

"""The context reader in Rasa's pipeline: what a message does after the bot's last answer.

Trains clinic.understanding.context.MoveModel on `data/context/*.yml` and on
the NLU training questions (as `new`), saves it with the model, and sets the
visitor's message's move (`clinic_move`) for the ReadingCollector
(rasa_ext/nlu/readings.py) to weigh. It runs after the ReadingExpander, which
puts the conversation's context on the message.

The examples are not NLU data Rasa knows, so Rasa's training cache can't see
them change: `fingerprint_addon` hashes them (and the topics and details
tables they are read with), so a changed example retrains this component.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic.content import TOPICS, load_topics
from clinic.names import AFFIRM, DENY, INFORM, NLU_FALLBACK
from clinic.settings import PROJECT_ROOT
from clinic.understanding.context import NEW, MoveModel, load_examples, ordinary_questions
from clinic.understanding.decision import Context
from clinic.understanding.details import DETAILS
from rasa_ext.nlu.readings import CONTEXT, JOINED, MOVE, PART, REWRITE, SWAPPED

# Intents whose examples are not ordinary questions for the context reader:
# a bare "no" after an answer is a polite close (data/context/courtesy.yml).
NOT_ORDINARY = frozenset({DENY, AFFIRM, INFORM, NLU_FALLBACK})
# A message the reader is at least this sure is a new question is read on its own: its
# readings in the last answer's context (reworded, turned round, joined) are dropped.
SURE_NEW = 0.9
IN_CONTEXT = frozenset({REWRITE, SWAPPED, JOINED})


def examples_folder(config: dict[str, Any]) -> Path:
    """Where the examples are: the config's `examples`, else data/context."""
    examples = config.get("examples") or ContextMoveClassifier.get_default_config()["examples"]
    return PROJECT_ROOT / str(examples)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ContextMoveClassifier(GraphComponent):
    """Reads each visitor message's move after the last answer (clinic/understanding/context.py)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"examples": "data/context", "C": 4.0, "per_any": 6, "random_seed": 0}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        digest = hashlib.sha256()
        for path in [*sorted(examples_folder(config).glob("*.yml")), TOPICS, DETAILS]:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: MoveModel | None = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ContextMoveClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ContextMoveClassifier:
        try:
            with model_storage.read_from(resource) as folder:
                model = MoveModel.load(folder)
        except ValueError:
            model = None  # not trained (no examples): every message is read as it is
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        seed = int(self._config["random_seed"])
        examples = load_examples(
            examples_folder(self._config), seed=seed, per_any=int(self._config["per_any"])
        )
        questions = [
            str(message.get(TEXT))
            for message in training_data.intent_examples
            if message.get(INTENT) not in NOT_ORDINARY
            and not str(message.get(TEXT)).startswith("/")
        ]
        topics = sorted(name for name, topic in load_topics().items() if topic.frame)
        examples += ordinary_questions(questions, topics, seed=seed)
        self._model = MoveModel.fit(examples, c=float(self._config["C"]))
        with self._model_storage.write_to(self._resource) as folder:
            self._model.save(folder)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None or not messages:
            return messages
        message = messages[0]
        context = message.get(CONTEXT)
        text = str(message.get(TEXT) or "")
        if isinstance(context, Context) and context.after and text and not text.startswith("/"):
            move = self._model.predict(context.after, text)
            message.set(MOVE, move)
            if move.name == NEW and move.confidence >= SURE_NEW:
                # Read on its own: the readings in the last answer's context would cost
                # three or four more passes through the pipeline and change nothing.
                return [m for m in messages if m.get(PART) not in IN_CONTEXT]
        return messages

"""One logistic regression for the intent and, for FAQs, the answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

RESPONSE_SELECTOR = "response_selector"
LOGISTIC_REGRESSION_ARRAYS = "logistic_regression.npz"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TunedLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Rasa's LogisticRegressionClassifier with scikit-learn's `C` in the config.

    Rasa fixes C at 1.0, strong regularisation for thousands of sparse n-gram
    features: the model then misreads even some of its own training sentences
    ("and stretch marks?" as an answer to the planner). `C` is chosen on
    tests/nlu/dev.yml (docs/nlu-pipeline.md).
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0}

    def __init__(self, config: dict[str, Any], *args: Any) -> None:
        super().__init__(config, *args)
        self.clf.C = float(self.config["C"])

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # Persisted as plain arrays: Rasa's training cache must not hand back
        # a skops file saved by an earlier version of this class.
        return "arrays-v1"

    def train(self, training_data: TrainingData) -> Resource:
        resource = super().train(training_data)
        self._lay_out_weights()
        return resource

    def _lay_out_weights(self) -> None:
        """Weights in column-major order, so that `coef_.T` is C-contiguous.

        scikit-learn predicts with `X @ coef_.T`; for a sparse `X`, scipy
        copies a non-contiguous right-hand side whole on every call, tens of
        thousands of n-gram columns for every label (bench/README.md).
        """
        if hasattr(self.clf, "coef_"):
            self.clf.coef_ = np.asfortranarray(self.clf.coef_)

    def persist(self) -> None:
        """The fitted weights as plain arrays (`numpy.savez`, no pickle).

        Rasa saves with skops, whose import loads every scikit-learn estimator,
        a large part of the server's start-up (bench/README.md).
        """
        with self._model_storage.write_to(self._resource) as model_dir:
            np.savez(
                model_dir / LOGISTIC_REGRESSION_ARRAYS,
                coef=self.clf.coef_,
                intercept=self.clf.intercept_,
                classes=np.asarray(self.clf.classes_).astype(str),
            )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TunedLogisticRegressionClassifier:
        try:
            with model_storage.read_from(resource) as model_dir:
                path = model_dir / LOGISTIC_REGRESSION_ARRAYS
                arrays = dict(np.load(path, allow_pickle=False)) if path.exists() else None
        except ValueError:  # nothing was trained (Rasa's own load does the same)
            return cls.create(config, model_storage, resource, execution_context)
        if arrays is None:  # saved by Rasa's LogisticRegressionClassifier (skops)
            component = super().load(config, model_storage, resource, execution_context, **kwargs)
        else:
            component = cls(config, execution_context.node_name, model_storage, resource)
            component.clf.coef_ = arrays["coef"]
            component.clf.intercept_ = arrays["intercept"]
            component.clf.classes_ = arrays["classes"]
            component.clf.n_features_in_ = arrays["coef"].shape[1]
        component._lay_out_weights()
        return component

    def _create_X(self, messages: list[Message]) -> scipy.sparse.csr_matrix:
        """The same matrix as Rasa's, built in a fraction of the time.

        Rasa's version combines every feature of the message (token-level ones
        too, which it then drops) and stacks an empty dense part onto it, which
        costs more than the prediction itself (bench/README.md). Here each
        message's sentence features (sparse first, then dense, as Rasa orders
        them) become one row, columns laid side by side.
        """
        columns: list[np.ndarray[Any, Any]] = []
        values: list[np.ndarray[Any, Any]] = []
        row_ends = [0]
        width = 0
        for message in messages:
            sentence = [
                feature
                for feature in message.features
                if feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE
            ]
            width = stored = 0
            for feature in sorted(sentence, key=lambda f: f.is_dense()):  # stable: sparse first
                block = scipy.sparse.coo_matrix(feature.features)
                columns.append(block.col + width)
                values.append(block.data)
                width += block.shape[1]
                stored += block.nnz
            row_ends.append(row_ends[-1] + stored)
        return scipy.sparse.csr_matrix(
            (
                np.concatenate(values) if values else np.zeros(0),
                np.concatenate(columns) if columns else np.zeros(0, dtype=np.int32),
                np.array(row_ends),
            ),
            shape=(len(messages), width),
        )


def split_ranking(
    labels: Sequence[str], probabilities: Sequence[float], retrieval_intent: str
) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """Intent and answer rankings, most likely first, from one distribution over
    intents and `<retrieval_intent>/<topic>` answers.

    The retrieval intent's confidence is the sum over its answers; each
    answer's confidence is its share of that sum, the answer's probability
    given that the message asks this kind of question.
    """
    prefix = f"{retrieval_intent}/"
    intents: dict[str, float] = {}
    answers: list[tuple[str, float]] = []
    for label, probability in zip(labels, probabilities, strict=True):
        if label.startswith(prefix):
            answers.append((label, float(probability)))
            intents[retrieval_intent] = intents.get(retrieval_intent, 0.0) + float(probability)
        else:
            intents[label] = float(probability)
    total = intents.get(retrieval_intent, 0.0)
    answers = [(label, probability / total if total else 0.0) for label, probability in answers]
    by_confidence = lambda pair: -pair[1]  # noqa: E731
    return sorted(intents.items(), key=by_confidence), sorted(answers, key=by_confidence)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class IntentAndAnswerClassifier(TunedLogisticRegressionClassifier):
    """One logistic regression for the intent and, for FAQs, the answer.

    It learns `faq/<topic>` as labels of their own beside the other intents,
    then reports the `faq` intent (its answers' summed probability) and, in
    Rasa's ResponseSelector format, the answers ranked. It replaces Rasa's
    ResponseSelector and its TensorFlow model: faster to train and to start, less
    memory, and answers as good (bench/README.md, docs/nlu-pipeline.md).
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**TunedLogisticRegressionClassifier.get_default_config(), "retrieval_intent": "faq"}

    @property
    def _retrieval_intent(self) -> str:
        return str(self.config["retrieval_intent"])

    def _create_training_matrix(
        self, training_data: TrainingData
    ) -> tuple[scipy.sparse.csr_matrix, list[str]]:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        return self._create_X(examples), [str(e.get_full_intent()) for e in examples]

    def process(self, messages: list[Message]) -> list[Message]:
        if not messages or not hasattr(self.clf, "classes_"):  # nothing to predict, or untrained
            return messages
        probabilities = self.clf.predict_proba(self._create_X(messages))
        labels = [str(label) for label in self.clf.classes_]
        ranking_length = int(self.config["ranking_length"])
        for message, row in zip(messages, probabilities, strict=True):
            intents, answers = split_ranking(labels, row, self._retrieval_intent)
            ranking = [{INTENT_NAME_KEY: n, PREDICTED_CONFIDENCE_KEY: c} for n, c in intents]
            message.set(INTENT, ranking[0], add_to_output=True)
            if ranking_length > 0:
                ranking = ranking[:ranking_length]
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            if answers:
                self._set_answers(message, answers)
        return messages

    def _set_answers(self, message: Message, answers: list[tuple[str, float]]) -> None:
        """Every answer ranked, so a `/faq/<topic>` button can always be resolved."""
        best, confidence = answers[0]
        message.set(
            RESPONSE_SELECTOR,
            {
                "all_retrieval_intents": [self._retrieval_intent],
                self._retrieval_intent: {
                    "response": {
                        "responses": None,  # the dialogue side reads `utter_action`
                        PREDICTED_CONFIDENCE_KEY: confidence,
                        "intent_response_key": best,
                        "utter_action": f"utter_{best}",
                    },
                    "ranking": [
                        {PREDICTED_CONFIDENCE_KEY: c, "intent_response_key": key}
                        for key, c in answers
                    ],
                },
            },
            add_to_output=True,
        )

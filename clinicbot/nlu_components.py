"""Custom Rasa NLU components: the in-code spaCy pipeline, entities, classifiers, FAQ guard."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.utils import spacy_utils
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinicbot import action_replies, spacy_pipeline

SPACY_DOC = "text_spacy_doc"

# Rasa's RegexMessageHandler warns on every `/faq/<topic>` button, which
# FaqAnswerGuard below resolves; the warning is noise in logs and the shell.
warnings.filterwarnings("ignore", message=r"Failed to parse arguments in line '/faq/")
# Rasa's recipe validator asks for a ResponseSelector whenever the data has
# retrieval intents; IntentAndAnswerClassifier below chooses the answers.
warnings.filterwarnings(
    "ignore", message=r"You have defined training data with examples for training a response"
)
# Every Rasa process that serves this model imports this module: replies
# from the action server are checked without re-checking Rasa's constant
# schema each time (clinicbot/action_replies.py).
action_replies.install()
RESPONSE_SELECTOR = "response_selector"
LOGISTIC_REGRESSION_ARRAYS = "logistic_regression.npz"
DEFAULT_SELECTOR = "default"


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
class ClinicEntityExtractor(GraphComponent, EntityExtractorMixin):
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

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ClinicEntityExtractor:
        return cls(config)

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
                }
                for ent in doc.ents
            ]
            found = self.filter_irrelevant_entities(
                self.add_extractor_name(found), self._config["dimensions"]
            )
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceCountsFeaturizer(CountVectorsFeaturizer):
    """Rasa's CountVectorsFeaturizer, making only what the classifier reads.

    Rasa's version counts n-grams for every token and for the whole message,
    for the text and for intents, responses and action names, one message
    and one scikit-learn call at a time: 16 s of a 54 s training and about
    2.5 ms a message. The logistic regression reads only the text's sentence
    row, so this one builds the same vocabulary and the same rows, for the
    text alone, in one call per batch (a unit test compares the two).
    """

    @staticmethod
    def _attributes_for(analyzer: str) -> list[str]:
        return [TEXT]

    def process(self, messages: list[Message]) -> list[Message]:
        if self._get_attribute_vocabulary(TEXT) is None:
            return messages  # untrained: nothing to count with
        vectorizer = self.vectorizers[TEXT]
        tokenized = [
            (message, self._get_processed_message_tokens_by_attribute(message, TEXT))
            for message in messages
        ]
        tokenized = [(message, tokens) for message, tokens in tokenized if tokens]
        if not tokenized:
            return messages
        rows = vectorizer.transform([" ".join(tokens) for _, tokens in tokenized])
        rows.sort_indices()
        for index, (message, _) in enumerate(tokenized):
            self.add_features_to_message(None, rows[index].tocoo(), TEXT, message)
        return messages


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
        copies a non-contiguous right-hand side whole on every call: 3 ms a
        message with tens of thousands of n-gram columns and 45 labels.
        """
        if hasattr(self.clf, "coef_"):
            self.clf.coef_ = np.asfortranarray(self.clf.coef_)

    def persist(self) -> None:
        """The fitted weights as plain arrays (`numpy.savez`, no pickle).

        Rasa saves with skops, whose import loads every scikit-learn estimator:
        8 of the server's 24 s start-up (bench/README.md).
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
        too, which it then drops) and stacks an empty dense part onto it: about
        3 ms a message, against 0.5 ms for the prediction itself. Here each
        message's sentence features (sparse first, then dense, as Rasa orders
        them) become one row, columns laid side by side.
        """
        columns: list[np.ndarray] = []
        values: list[np.ndarray] = []
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
    ResponseSelector and its TensorFlow model: training from scratch went
    from 179 to 102 s, start-up from 16–22 to 11.6 s and the server's memory
    from about 860 to 685 MB, with answers as good on dev and better on
    held-out (bench/README.md, docs/nlu-pipeline.md).
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


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FaqAnswerGuard(GraphComponent):
    """Sends an unsure FAQ answer to clarification instead of answering wrongly.

    Rasa's FallbackClassifier only looks at the intent. A confident `faq` intent
    can still come with an unsure choice of *which* answer; then this component
    turns the prediction into `nlu_fallback`, and the "did you mean…?" step
    offers the candidate answers. It also reads the payload `/faq/<topic>` of
    those buttons as a certain choice of that answer.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"retrieval_intent": "faq", "threshold": 0.5, "ambiguity_threshold": 0.1}

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config
        self._payload = re.compile(rf"^/{re.escape(config['retrieval_intent'])}/(\w+)$")

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FaqAnswerGuard:
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            selectors = message.get(RESPONSE_SELECTOR) or {}
            selector = selectors.get(self._config["retrieval_intent"]) or selectors.get(
                DEFAULT_SELECTOR
            )
            if not selector:
                continue
            payload = self._payload.match((message.get(TEXT) or "").strip())
            if payload:
                self._choose_answer(message, selector, payload.group(1))
            elif self._is_unsure(message, selector):
                self._fall_back(message, selector)
        return messages

    def _choose_answer(self, message: Message, selector: dict[str, Any], topic: str) -> None:
        key = f"{self._config['retrieval_intent']}/{topic}"
        known = {candidate.get("intent_response_key") for candidate in selector.get("ranking", [])}
        if key not in known:
            return
        selector["response"] = {
            **selector.get("response", {}),
            "intent_response_key": key,
            "utter_action": f"utter_{key}",
            "confidence": 1.0,
            "responses": None,
        }
        message.set(
            INTENT,
            {INTENT_NAME_KEY: self._config["retrieval_intent"], PREDICTED_CONFIDENCE_KEY: 1.0},
            add_to_output=True,
        )

    def _is_unsure(self, message: Message, selector: dict[str, Any]) -> bool:
        intent = message.get(INTENT) or {}
        if intent.get(INTENT_NAME_KEY) != self._config["retrieval_intent"]:
            return False
        scores = sorted(
            (candidate.get("confidence", 0.0) for candidate in selector.get("ranking", [])),
            reverse=True,
        )
        if not scores:
            return False
        best = scores[0]
        runner_up = scores[1] if len(scores) > 1 else 0.0
        return bool(
            best < self._config["threshold"]
            or best - runner_up < self._config["ambiguity_threshold"]
        )

    def _fall_back(self, message: Message, selector: dict[str, Any]) -> None:
        confidence = float(selector.get("response", {}).get("confidence", 0.0))
        fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME}
        fallback[PREDICTED_CONFIDENCE_KEY] = confidence  # type: ignore[assignment]
        message.set(INTENT, fallback, add_to_output=True)
        ranking = message.get(INTENT_RANKING_KEY) or []
        message.set(INTENT_RANKING_KEY, [fallback, *ranking], add_to_output=True)

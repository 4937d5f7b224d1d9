"""One logistic regression for intents and FAQ answers: trained, saved, reloaded, as Rasa's own."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.nlu.training_data.message import Message

from rasa_ext.nlu.answer_guard import FaqAnswerGuard

FAQ_EXAMPLES = {
    "faq/sessions_needed": ["how many sessions", "how many treatments do i need", "visits needed"],
    "faq/sun_after": ["can i sunbathe after", "is the sun ok afterwards", "beach after treatment"],
    "faq/price": ["what does it cost", "how much is it", "price of a session"],
}


def _train_classifier(
    tmp_path: Any, c: float, classifier_class: Any = None, faq_answers: bool = False
) -> Any:
    """Trains a logistic-regression classifier with `C=c` on a tiny featurized set.

    `faq_answers` gives the `faq` examples their `faq/<topic>` answer keys.
    """
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
        CountVectorsFeaturizer,
    )
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from rasa_ext.nlu.classifier import TunedLogisticRegressionClassifier

    (tmp_path / f"c{c}").mkdir()
    storage = LocalModelStorage(tmp_path / f"c{c}")
    # `featurize` turns a new message into what the classifier reads.
    context = ExecutionContext(GraphSchema({}), "test")
    examples = {
        "greet": ["hello", "hi there", "good morning", "hey"],
        "goodbye": ["bye", "see you later", "goodbye then", "cheers bye"],
        "faq": ["how many sessions", "what does it cost", "is it safe", "how long does it last"],
    }
    messages = [
        Message(data={"text": text, "intent": intent})
        for intent, texts in examples.items()
        for text in texts
        if not (faq_answers and intent == "faq")
    ]
    if faq_answers:
        messages += [
            Message(data={"text": text, "intent": "faq", "intent_response_key": key})
            for key, texts in FAQ_EXAMPLES.items()
            for text in texts
        ]
    data = TrainingData(messages)
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process_training_data(data)
    featurizer = CountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(), storage, Resource("cvf"), context
    )
    featurizer.train(data)
    featurizer.process_training_data(data)
    classifier_class = classifier_class or TunedLogisticRegressionClassifier
    classifier = classifier_class.create(
        {**classifier_class.get_default_config(), "C": c}, storage, Resource(f"lr{c}"), context
    )
    classifier.train(data)

    def featurize(text: str) -> Message:
        message = Message(data={"text": text})
        WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
        featurizer.process([message])
        return message

    classifier.featurize = featurize
    return classifier, data


def test_tuned_classifier_takes_c_from_the_config(tmp_path: Any) -> None:
    loose, data = _train_classifier(tmp_path, 4.0)
    strict, _ = _train_classifier(tmp_path, 1.0)
    assert (loose.clf.C, strict.clf.C) == (4.0, 1.0)
    # Weaker regularisation: more confident on the sentences it was trained on.
    sentence = data.intent_examples[0]
    loose.process([sentence])
    loose_score = sentence.get("intent")["confidence"]
    strict.process([sentence])
    assert loose_score > sentence.get("intent")["confidence"]


def test_split_ranking_sums_the_answers_into_the_faq_intent() -> None:
    from rasa_ext.nlu.classifier import split_ranking

    intents, answers = split_ranking(
        ["greet", "faq/price", "faq/sun_after", "goodbye"], [0.1, 0.3, 0.5, 0.1], "faq"
    )
    assert [name for name, _ in intents] == ["faq", "greet", "goodbye"]
    assert intents[0][1] == pytest.approx(0.8)
    assert [key for key, _ in answers] == ["faq/sun_after", "faq/price"]
    assert [c for _, c in answers] == pytest.approx([0.625, 0.375])


def test_split_ranking_without_any_answer_probability_gives_zero_shares() -> None:
    from rasa_ext.nlu.classifier import split_ranking

    intents, answers = split_ranking(["greet", "faq/price"], [1.0, 0.0], "faq")
    assert intents[0] == ("greet", 1.0)
    assert answers == [("faq/price", 0.0)]


def _intent_and_answer_classifier(tmp_path: Any) -> Any:
    from rasa_ext.nlu.classifier import IntentAndAnswerClassifier

    return _train_classifier(tmp_path, 4.0, IntentAndAnswerClassifier, faq_answers=True)


def test_one_classifier_gives_the_faq_intent_and_its_answer(tmp_path: Any) -> None:
    classifier, _ = _intent_and_answer_classifier(tmp_path)
    message = classifier.featurize("can i sunbathe after")
    classifier.process([message])
    assert message.get("intent")["name"] == "faq"
    selector = message.get("response_selector")["faq"]
    assert selector["response"]["intent_response_key"] == "faq/sun_after"
    assert selector["response"]["utter_action"] == "utter_faq/sun_after"
    ranking = selector["ranking"]
    # Every answer is ranked (a `/faq/<topic>` button must find its topic),
    # and the shares add up to one.
    assert {entry["intent_response_key"] for entry in ranking} == set(FAQ_EXAMPLES)
    assert sum(entry["confidence"] for entry in ranking) == pytest.approx(1.0)
    assert ranking[0]["confidence"] == selector["response"]["confidence"]


def test_one_classifier_still_tells_other_intents_apart(tmp_path: Any) -> None:
    classifier, _ = _intent_and_answer_classifier(tmp_path)
    message = classifier.featurize("good morning")
    classifier.process([message])
    assert message.get("intent")["name"] == "greet"
    names = [entry["name"] for entry in message.get("intent_ranking")]
    assert sorted(names) == ["faq", "goodbye", "greet"]  # answers are not intents


def test_guard_resolves_a_button_payload_from_the_classifiers_ranking(tmp_path: Any) -> None:
    classifier, _ = _intent_and_answer_classifier(tmp_path)
    message = classifier.featurize("/faq/price")
    classifier.process([message])
    FaqAnswerGuard.create({}, None, None, None).process([message])  # type: ignore[arg-type]
    assert message.get("intent") == {"name": "faq", "confidence": 1.0}
    assert message.get("response_selector")["faq"]["response"]["utter_action"] == "utter_faq/price"


def test_untrained_answer_classifier_leaves_messages_alone(tmp_path: Any) -> None:
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from rasa_ext.nlu.classifier import IntentAndAnswerClassifier

    untrained = IntentAndAnswerClassifier.create(
        IntentAndAnswerClassifier.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("untrained"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    message = Message(data={"text": "hello"})
    assert untrained.process([message]) == [message]
    assert message.get("intent") is None


def test_answer_classifier_reloads_with_the_same_answers(tmp_path: Any) -> None:
    from rasa_ext.nlu.classifier import IntentAndAnswerClassifier

    trained, data = _intent_and_answer_classifier(tmp_path)
    _assert_reloads_the_same_classifier(trained, data, IntentAndAnswerClassifier)
    assert "faq/sun_after" in list(trained.clf.classes_)


def test_classifier_features_match_rasas_own_matrix(tmp_path: Any) -> None:
    import numpy as np
    from rasa.nlu.classifiers.logistic_regression_classifier import (
        LogisticRegressionClassifier,
    )
    from rasa.shared.nlu.training_data.features import Features

    classifier, data = _train_classifier(tmp_path, 4.0)
    messages = data.intent_examples
    # A dense sentence feature too, as a word-vector featurizer would add.
    for index, message in enumerate(messages):
        message.add_features(Features(np.array([[index, 0.5]]), "sentence", "text", "dense"))
    ours = classifier._create_X(messages)
    rasas = LogisticRegressionClassifier._create_X(classifier, messages)
    assert ours.shape == rasas.shape
    assert ours.shape[1] > 2
    assert (ours != rasas).nnz == 0


def _assert_reloads_the_same_classifier(
    trained: Any, data: Any, classifier_class: Any = None
) -> None:
    """Loads what `trained` saved and checks it predicts exactly as `trained` does."""
    import numpy as np
    from rasa.engine.graph import ExecutionContext, GraphSchema

    from rasa_ext.nlu.classifier import TunedLogisticRegressionClassifier

    classifier_class = classifier_class or TunedLogisticRegressionClassifier
    loaded = classifier_class.load(
        {**classifier_class.get_default_config(), "C": 4.0},
        trained._model_storage,
        trained._resource,
        ExecutionContext(GraphSchema({}), "test"),
    )
    features = trained._create_X(data.intent_examples)
    assert list(loaded.clf.classes_) == list(trained.clf.classes_)
    assert np.allclose(loaded.clf.predict_proba(features), trained.clf.predict_proba(features))
    # Laid out so that predicting does not copy every weight (see _lay_out_weights).
    assert loaded.clf.coef_.T.flags.c_contiguous
    assert trained.clf.coef_.T.flags.c_contiguous


def test_classifier_saves_plain_arrays_and_loads_the_same_predictions(tmp_path: Any) -> None:
    from rasa_ext.nlu.classifier import LOGISTIC_REGRESSION_ARRAYS

    trained, data = _train_classifier(tmp_path, 4.0)
    saved = list((tmp_path / "c4.0").rglob("*"))
    assert any(path.name == LOGISTIC_REGRESSION_ARRAYS for path in saved)
    assert not any(path.suffix == ".skops" for path in saved)
    _assert_reloads_the_same_classifier(trained, data)


def test_classifier_still_loads_a_model_saved_by_rasas_own_classifier(tmp_path: Any) -> None:
    from rasa.nlu.classifiers.logistic_regression_classifier import (
        LogisticRegressionClassifier,
    )

    trained, data = _train_classifier(tmp_path, 4.0)
    LogisticRegressionClassifier.persist(trained)  # skops, as Rasa saves it
    for path in (tmp_path / "c4.0").rglob("*.npz"):
        path.unlink()
    _assert_reloads_the_same_classifier(trained, data)

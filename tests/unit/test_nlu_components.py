"""The in-code spaCy pipeline, its entity extractor, the FAQ guard and the clinic NLG."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.training_data.message import Message

from clinicbot import spacy_pipeline
from clinicbot.nlg import ClinicResponseGenerator
from clinicbot.nlu_components import ClinicEntityExtractor, FaqAnswerGuard
from clinicbot.settings import load_clinic_settings


@pytest.fixture(scope="module")
def nlp() -> Any:
    return spacy_pipeline.build_pipeline()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Does it help with HAIR LOSS?", [("condition", "hair_thinning")]),
        ("what about stretchmarks", [("condition", "stretch_marks")]),
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


def _faq_message(text: str, intent_confidence: float, answers: list[tuple[str, float]]) -> Message:
    ranking = [{"intent_response_key": key, "confidence": score} for key, score in answers]
    best_key, best_score = answers[0]
    return Message(
        data={
            "text": text,
            "intent": {"name": "faq", "confidence": intent_confidence},
            "intent_ranking": [{"name": "faq", "confidence": intent_confidence}],
            "response_selector": {
                "all_retrieval_intents": ["faq"],
                "faq": {
                    "response": {
                        "intent_response_key": best_key,
                        "utter_action": f"utter_{best_key}",
                        "confidence": best_score,
                        "responses": [],
                    },
                    "ranking": ranking,
                },
            },
        }
    )


def _guard() -> FaqAnswerGuard:
    return FaqAnswerGuard.create({}, None, None, None)  # type: ignore[arg-type]


def test_confident_faq_answer_passes_through() -> None:
    message = _faq_message(
        "how many sessions", 0.97, [("faq/sessions_needed", 0.9), ("faq/price", 0.05)]
    )
    _guard().process([message])
    assert message.get("intent")["name"] == "faq"


def test_confident_intent_with_unsure_answer_goes_to_clarification() -> None:
    message = _faq_message(
        "how long", 0.97, [("faq/sessions_needed", 0.4), ("faq/results_duration", 0.35)]
    )
    _guard().process([message])
    assert message.get("intent")["name"] == "nlu_fallback"
    assert message.get("intent_ranking")[1]["name"] == "faq"


def test_two_close_answers_go_to_clarification_even_when_both_are_likely() -> None:
    message = _faq_message("after", 0.97, [("faq/aftercare", 0.52), ("faq/sun_after", 0.47)])
    _guard().process([message])
    assert message.get("intent")["name"] == "nlu_fallback"


def test_button_payload_picks_that_answer_for_certain() -> None:
    message = _faq_message("/faq/sun_after", 0.3, [("faq/aftercare", 0.5), ("faq/sun_after", 0.2)])
    _guard().process([message])
    assert message.get("intent") == {"name": "faq", "confidence": 1.0}
    chosen = message.get("response_selector")["faq"]["response"]
    assert chosen["intent_response_key"] == "faq/sun_after"
    assert chosen["utter_action"] == "utter_faq/sun_after"


def test_payload_for_an_unknown_topic_is_left_alone() -> None:
    message = _faq_message("/faq/nonsense", 0.97, [("faq/aftercare", 0.9), ("faq/sun_after", 0.05)])
    _guard().process([message])
    assert (
        message.get("response_selector")["faq"]["response"]["intent_response_key"]
        == "faq/aftercare"
    )


async def test_responses_get_the_clinic_details_from_clinic_yml() -> None:
    domain = Domain.from_yaml(
        """
version: "3.1"
responses:
  utter_contact:
  - text: "Call {clinic_phone} or book at {clinic_booking_url}."
"""
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker.from_events("visitor", [], slots=domain.slots)
    reply = await ClinicResponseGenerator(None, domain).generate("utter_contact", tracker, "rest")
    settings = load_clinic_settings()
    assert reply is not None
    assert reply["text"] == f"Call {settings.phone} or book at {settings.booking_url}."


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

    from clinicbot.nlu_components import TunedLogisticRegressionClassifier

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
    from clinicbot.nlu_components import split_ranking

    intents, answers = split_ranking(
        ["greet", "faq/price", "faq/sun_after", "goodbye"], [0.1, 0.3, 0.5, 0.1], "faq"
    )
    assert [name for name, _ in intents] == ["faq", "greet", "goodbye"]
    assert intents[0][1] == pytest.approx(0.8)
    assert [key for key, _ in answers] == ["faq/sun_after", "faq/price"]
    assert [c for _, c in answers] == pytest.approx([0.625, 0.375])


def test_split_ranking_without_any_answer_probability_gives_zero_shares() -> None:
    from clinicbot.nlu_components import split_ranking

    intents, answers = split_ranking(["greet", "faq/price"], [1.0, 0.0], "faq")
    assert intents[0] == ("greet", 1.0)
    assert answers == [("faq/price", 0.0)]


def _intent_and_answer_classifier(tmp_path: Any) -> Any:
    from clinicbot.nlu_components import IntentAndAnswerClassifier

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
    _guard().process([message])
    assert message.get("intent") == {"name": "faq", "confidence": 1.0}
    assert message.get("response_selector")["faq"]["response"]["utter_action"] == "utter_faq/price"


def test_untrained_answer_classifier_leaves_messages_alone(tmp_path: Any) -> None:
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from clinicbot.nlu_components import IntentAndAnswerClassifier

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
    from clinicbot.nlu_components import IntentAndAnswerClassifier

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

    from clinicbot.nlu_components import TunedLogisticRegressionClassifier

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
    from clinicbot.nlu_components import LOGISTIC_REGRESSION_ARRAYS

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


SENTENCES = [
    "How many sessions do I need?",
    "is it ok to go to the beach after 2 sessions",
    "Hello there",
    "what does mesotheraphy cost",
]


def _count_featurizers(tmp_path: Any, config: dict[str, Any]) -> tuple[Any, Any, Any]:
    """Rasa's CountVectorsFeaturizer and ours, trained with `config` on the same data."""
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
        CountVectorsFeaturizer,
    )
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from clinicbot.nlu_components import SentenceCountsFeaturizer

    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    trained = []
    for featurizer_class in (CountVectorsFeaturizer, SentenceCountsFeaturizer):
        data = TrainingData(
            [Message(data={"text": text, "intent": "faq"}) for text in SENTENCES[:3]]
        )
        tokenizer.process_training_data(data)
        featurizer = featurizer_class.create(
            {**featurizer_class.get_default_config(), **config},
            storage,
            Resource(featurizer_class.__name__),
            context,
        )
        featurizer.train(data)
        trained.append(featurizer)

    def tokenized(texts: list[str]) -> list[Message]:
        messages = [Message(data={"text": text}) for text in texts]
        tokenizer.process(messages)
        return messages

    return trained[0], trained[1], tokenized


@pytest.mark.parametrize(
    "config",
    [
        {"use_lemma": False, "max_ngram": 2},
        {"use_lemma": False, "analyzer": "char_wb", "min_ngram": 2, "max_ngram": 4},
    ],
)
def test_sentence_counts_match_rasas_count_vectors(tmp_path: Any, config: dict[str, Any]) -> None:
    rasas, ours, tokenized = _count_featurizers(tmp_path, config)
    # A batch, as in training: each message must get its own row.
    theirs_messages, our_messages = tokenized(SENTENCES), tokenized(SENTENCES)
    rasas.process(theirs_messages)
    ours.process(our_messages)
    counted = 0
    for theirs, mine in zip(theirs_messages, our_messages, strict=True):
        expected = theirs.get_sparse_features("text")[1].features
        (feature,) = mine.features
        assert (feature.type, feature.attribute) == ("sentence", "text")
        assert feature.features.shape == expected.shape
        assert (feature.features != expected).nnz == 0
        counted += feature.features.nnz
    assert counted > 0


def test_sentence_counts_skip_what_the_classifier_never_reads(tmp_path: Any) -> None:
    _, ours, tokenized = _count_featurizers(tmp_path, {"use_lemma": False})
    (message,) = tokenized(["how many sessions"])
    message.set("intent", "faq")
    message.set("action_name", "utter_greet")
    ours.process([message])
    assert [(f.type, f.attribute) for f in message.features] == [("sentence", "text")]


def test_sentence_counts_leave_empty_and_untrained_messages_alone(tmp_path: Any) -> None:
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from clinicbot.nlu_components import SentenceCountsFeaturizer

    _, ours, tokenized = _count_featurizers(tmp_path, {"use_lemma": False})
    empty = Message(data={"text": ""})
    ours.process([empty])
    assert empty.features == []
    untrained = SentenceCountsFeaturizer.create(
        SentenceCountsFeaturizer.get_default_config(),
        LocalModelStorage(tmp_path / "untrained"),
        Resource("untrained"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    (message,) = tokenized(["hello"])
    assert untrained.process([message]) == [message]
    assert message.features == []


def test_sentence_counts_reload_with_the_same_vocabulary(tmp_path: Any) -> None:
    from rasa.engine.graph import ExecutionContext, GraphSchema

    from clinicbot.nlu_components import SentenceCountsFeaturizer

    config = {**SentenceCountsFeaturizer.get_default_config(), "use_lemma": False}
    _, ours, tokenized = _count_featurizers(tmp_path, config)
    loaded = SentenceCountsFeaturizer.load(
        config, ours._model_storage, ours._resource, ExecutionContext(GraphSchema({}), "test")
    )
    before, after = tokenized(SENTENCES), tokenized(SENTENCES)
    ours.process(before)
    loaded.process(after)
    for first, second in zip(before, after, strict=True):
        assert (first.features[0].features != second.features[0].features).nnz == 0

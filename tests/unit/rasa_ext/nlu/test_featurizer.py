"""The classifier's n-gram counts are Rasa's CountVectorsFeaturizer rows, for the text alone."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.nlu.training_data.message import Message

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

    from rasa_ext.nlu.featurizer import SentenceCountsFeaturizer

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

    from rasa_ext.nlu.featurizer import SentenceCountsFeaturizer

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

    from rasa_ext.nlu.featurizer import SentenceCountsFeaturizer

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

"""The n-gram counts the classifier reads, made the way Rasa's CountVectorsFeaturizer makes them."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceCountsFeaturizer(CountVectorsFeaturizer):
    """Rasa's CountVectorsFeaturizer, making only what the classifier reads.

    Rasa's version counts n-grams for every token and for the whole message,
    for the text and for intents, responses and action names, one message
    and one scikit-learn call at a time. The logistic regression reads only
    the text's sentence row, so this one builds the same vocabulary and the
    same rows, for the text alone, in one call per batch (a unit test compares
    the two; the time saved is in bench/README.md).
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

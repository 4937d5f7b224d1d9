"""Custom NLU components (named in config.yml) and the spaCy pipeline they run on.

- `spacy_pipeline`: blank English, lookup lemmatizer and EntityRuler, built in code.
- `spacy_model`: Rasa's spaCy loader for it, and the entities it finds.
- `featurizer`: the n-gram counts the classifier reads.
- `classifier`: one logistic regression for intents and FAQ answers.
- `answer_guard`: an unsure FAQ answer becomes "did you mean…?".
- `readings`: the message read whole, in parts and in context, around the pipeline.
- `context`: the context reader, what a message does after the last answer.
- `untrained`: the setup shared by the components with nothing to learn.
"""

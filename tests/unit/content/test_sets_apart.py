"""The conversation sets that measure the bot stay out of its training data."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.support.servers import ROOT

SHORT_WORDS = 6
# Everyday questions the sets' writers also happened to type, in data/nlu since
# before the sets were written (commit 092c047): coincidences, not copies.
COINCIDENCES = frozenset(
    {
        "do you put numbing cream on first",
        "how many sessions do people usually need",
        "how often will i be coming in",
        "can i talk to a real person",
    }
)
SETS = sorted((ROOT / "tests" / "dialogues").glob("*_set.yml"))


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.lower()))


def _training_examples() -> set[str]:
    """The NLU examples and the context reader's examples (data/context), normalised."""
    examples = set()
    for folder, key in (("nlu", "nlu"), ("context", "context")):
        for path in (ROOT / "data" / folder).glob("*.yml"):
            for block in yaml.safe_load(path.read_text(encoding="utf-8"))[key]:
                for line in str(block.get("examples") or "").splitlines():
                    if line.strip().startswith("- "):
                        text = re.sub(r"\[([^\]]+)\]\{[^}]*\}", r"\1", line.strip()[2:])
                        examples.add(_normal(text))
    return examples


@pytest.mark.parametrize("path", SETS, ids=lambda path: path.name)
def test_no_visitor_message_of_a_set_is_a_training_example(path: object) -> None:
    training = _training_examples()
    conversations = yaml.safe_load(path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    said = {_normal(str(turn["say"])) for c in conversations for turn in c["turns"]}
    # Short questions ("how many sessions do i need", "yes", "none") are everyone's
    # words; a longer message found word for word in the training data was copied.
    copied = (said & training) - COINCIDENCES
    leaked = sorted(text for text in copied if len(text.split()) > SHORT_WORDS)
    assert not leaked, f"{path.name} messages are in data/: {leaked}"  # type: ignore[attr-defined]


def test_the_sets_are_there() -> None:
    assert {path.name for path in SETS} >= {"dev_set.yml", "test_set.yml"}

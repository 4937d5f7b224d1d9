"""What staff file for review, in files Rasa and people read (staff/review.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from staff.review import (
    ARTICLE_QUESTIONS,
    NEW_WORDING,
    ReviewError,
    add_article_question,
    add_new_wording,
    redact,
    take,
)


def examples_by_intent(path: Path) -> dict[str, list[str]]:
    """The file as Rasa's own NLU loader reads it: intent (with its response key) → examples."""
    found: dict[str, list[str]] = {}
    for message in load_data(str(path)).training_examples:
        found.setdefault(message.get_full_intent(), []).append(message.get("text"))
    return found


def test_a_new_wording_is_training_data_rasa_reads(tmp_path: Path) -> None:
    path = add_new_wording(tmp_path, "faq/price", ["how much is it", "whats  the\nprice"])
    assert path == tmp_path / NEW_WORDING
    assert examples_by_intent(path) == {"faq/price": ["how much is it", "whats the price"]}
    assert path.read_text(encoding="utf-8").startswith("# "), "a note to check it first"


def test_filing_again_appends_without_duplicates(tmp_path: Path) -> None:
    add_new_wording(tmp_path, "faq/price", ["how much is it", "whats the price"])
    add_new_wording(tmp_path, "faq/pain", ["does it hurt"])
    path = add_new_wording(tmp_path, "faq/price", ["whats the price", "cost??", " how much is it "])
    assert examples_by_intent(path) == {
        "faq/price": ["how much is it", "whats the price", "cost??"],
        "faq/pain": ["does it hurt"],
    }
    nlu = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    assert [block["intent"] for block in nlu] == ["faq/price", "faq/pain"]


def test_a_plain_intent_can_be_filed_too(tmp_path: Path) -> None:
    path = add_new_wording(tmp_path, "request_human", ["can i speak to someone"])
    assert examples_by_intent(path) == {"request_human": ["can i speak to someone"]}


@pytest.mark.parametrize(
    ("text", "private"),
    [
        ("call me on 07700 900123 please", "07700 900123"),
        ("my number is +44 20 7946 0958", "+44 20 7946 0958"),
        ("ring (020) 7946-0958", "7946-0958"),
        ("email jane.doe+meso@example.co.uk about the price", "jane.doe+meso@example.co.uk"),
    ],
)
def test_phone_numbers_and_emails_are_replaced_before_writing(
    tmp_path: Path, text: str, private: str
) -> None:
    assert private not in redact(text)
    path = add_new_wording(tmp_path, "faq/price", [text])
    written = path.read_text(encoding="utf-8")
    assert private not in written
    (example,) = examples_by_intent(path)["faq/price"]
    assert "[phone]" in example or "[email]" in example
    assert example.split()[0] == text.split()[0], "the rest of the message is kept"


def test_redact_leaves_ordinary_numbers_alone() -> None:
    assert redact("can i have 3 sessions in 2 weeks") == "can i have 3 sessions in 2 weeks"
    assert redact("is 100% safe") == "is 100% safe"
    assert redact("a@b") == "a@b", "not an address without a domain"


def test_a_question_for_the_article_is_appended_each_time(tmp_path: Path) -> None:
    add_article_question(tmp_path, ["do you do lip fillers", "lip filler?"], 4, "alice")
    path = add_article_question(tmp_path, ["text me on 07700 900123"], 1, "bob")
    assert path == tmp_path / ARTICLE_QUESTIONS
    questions = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    today = time.strftime("%Y-%m-%d")
    assert questions == [
        {
            "asked": ["do you do lip fillers", "lip filler?"],
            "times": 4,
            "filed_by": "alice",
            "filed": today,
        },
        {"asked": ["text me on [phone]"], "times": 1, "filed_by": "bob", "filed": today},
    ]


def test_take_moves_the_checked_file_into_the_training_data(tmp_path: Path) -> None:
    review, nlu = tmp_path / "review", tmp_path / "nlu"
    nlu.mkdir()
    add_new_wording(review, "faq/price", ["how much is it"])
    target = take(review, nlu, {"faq/price", "faq/pain"})
    assert target.parent == nlu and target.name.startswith("reviewed-")
    assert not (review / NEW_WORDING).exists()
    assert examples_by_intent(target) == {"faq/price": ["how much is it"]}


def test_take_refuses_a_topic_the_bot_does_not_have(tmp_path: Path) -> None:
    review, nlu = tmp_path / "review", tmp_path / "nlu"
    nlu.mkdir()
    add_new_wording(review, "faq/no_such_topic", ["how much is it"])
    with pytest.raises(ReviewError, match="no_such_topic"):
        take(review, nlu, {"faq/price"})
    assert (review / NEW_WORDING).exists() and list(nlu.iterdir()) == []


def test_take_refuses_when_there_is_nothing_to_take(tmp_path: Path) -> None:
    with pytest.raises(ReviewError):
        take(tmp_path / "review", tmp_path, {"faq/price"})

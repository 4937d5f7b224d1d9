"""The article's own words behind every answer: there, word for word, for every fact."""

from __future__ import annotations

import re

import pytest

from clinic.content import article_text, fact_map, fact_sources, facts, sources_of


def _spaced(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("fact", sorted(fact_sources()))
def test_every_source_passage_is_in_the_article_word_for_word(fact: str) -> None:
    article = _spaced(article_text())
    for passage in fact_sources()[fact]:
        assert _spaced(passage) in article, f"{fact}: {passage!r} is not in the article"


def test_every_fact_has_its_passage() -> None:
    assert set(fact_sources()) == set(facts())
    assert all(fact_sources()[fact] for fact in facts())


def test_every_faq_answer_that_states_facts_has_a_source() -> None:
    answers = [name for name, ids in fact_map().items() if name.startswith("utter_faq/") and ids]
    assert answers, "the fact map lists FAQ answers"
    assert [name for name in answers if not sources_of(name)] == []


def test_a_source_is_in_fact_order_without_repeats() -> None:
    passages = sources_of("utter_faq/session_frequency")  # F27, F28, F29
    assert passages == [*fact_sources()["F27"], *fact_sources()["F28"], *fact_sources()["F29"]]
    assert len(passages) == len(set(passages))
    assert sources_of("utter_greet") == []

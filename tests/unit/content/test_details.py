"""The table of answers to one detail of an answer (content/details.yml) stays faithful."""

from __future__ import annotations

from collections import defaultdict

import pytest
import yaml

from clinic.content import fact_map, load_topics
from clinic.understanding.details import (
    detail_for,
    detail_of_label,
    detail_of_response,
    load_details,
)
from tests.support.servers import ROOT

RESPONSES = yaml.safe_load((ROOT / "data" / "responses" / "details.yml").read_text())["responses"]
DETAILS = list(load_details().values())


def _text(response: str) -> str:
    return " ".join(variant["text"] for variant in RESPONSES[response])


@pytest.mark.parametrize("detail", DETAILS, ids=lambda d: f"{d.after}.{d.attribute}")
def test_every_detail_has_a_response_mapped_to_the_article_s_facts(detail: object) -> None:
    assert detail.response in RESPONSES  # type: ignore[attr-defined]
    assert detail.response in fact_map()  # type: ignore[attr-defined]
    assert detail.after in load_topics() and detail.topic in load_topics()  # type: ignore[attr-defined]


@pytest.mark.parametrize("detail", DETAILS, ids=lambda d: f"{d.after}.{d.attribute}")
def test_a_detail_the_article_doesn_t_give_says_so_and_points_to_the_team(detail: object) -> None:
    text = _text(detail.response)  # type: ignore[attr-defined]
    if detail.coverage == "not_in_article":  # type: ignore[attr-defined]
        assert "article doesn't" in text or "article only" in text
        assert "{clinic_phone}" in text
    else:
        assert fact_map()[detail.response], "an answer from the article states a fact"  # type: ignore[attr-defined]


def test_each_response_answers_for_one_topic_with_one_coverage() -> None:
    seen: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for detail in DETAILS:
        seen[detail.response].add((detail.topic, detail.coverage))
    assert {response: kinds for response, kinds in seen.items() if len(kinds) > 1} == {}


def test_every_detail_response_is_in_the_table() -> None:
    assert set(RESPONSES) == {detail.response for detail in DETAILS}


def test_a_detail_is_found_by_its_topic_its_label_and_its_response() -> None:
    where = detail_for("faq/origin", "where")
    assert where is not None and where.response == "utter_detail_origin_where"
    assert detail_of_label(where.label) == where
    assert detail_of_response("utter_detail_origin_where") == where
    assert detail_for("faq/origin", "no_such_thing") is None
    assert detail_for(None, "where") is None


@pytest.mark.parametrize(
    ("after", "attribute", "must_say"),
    [
        ("faq/origin", "where", "France"),
        ("faq/origin", "when", "1952"),
        ("faq/origin", "who", "Michel Pistor"),
        ("faq/exercise_after", "how_long", "at least 24 hours"),
        ("faq/other_treatments_after", "how_long", "at least one week"),
        ("faq/sun_after", "how_long", "a few days"),
        ("faq/session_frequency", "later", "six months to a year"),
        ("faq/combine_anti_wrinkle", "order", "doesn't say which to have first"),
        ("faq/sun_after", "before", "only talks about afterwards"),
        ("faq/exercise_after", "before", "only talks about afterwards"),
    ],
)
def test_the_details_the_issue_names_are_answered_as_the_article_says(
    after: str, attribute: str, must_say: str
) -> None:
    detail = detail_for(after, attribute)
    assert detail is not None
    assert must_say.lower() in _text(detail.response).replace("**", "").lower()

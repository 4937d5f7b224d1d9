"""Every fact of the clinic's article is stated somewhere, and every bot text is accounted for."""

from __future__ import annotations

import yaml

from clinic import content
from clinic.messages import message_keys
from tests.support.servers import ROOT


def _response_names() -> set[str]:
    names = set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"])
    for path in (ROOT / "data").rglob("*.yml"):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names.update(loaded.get("responses") or {})
    return names


def _stated() -> set[str]:
    return {fact for facts in content.fact_map().values() for fact in facts}


def test_the_project_keeps_the_article_and_its_twenty_nine_facts() -> None:
    assert set(content.facts()) == {f"F{number}" for number in range(1, 30)}
    assert "Dr. Michel Pistor" in content.article_text()


def test_every_fact_is_stated_by_some_response() -> None:
    assert set(content.facts()) - _stated() == set()


def test_fact_map_names_only_real_facts() -> None:
    assert _stated() - set(content.facts()) == set()


def test_every_response_and_message_is_mapped_and_every_mapped_one_exists() -> None:
    assert _response_names() | message_keys() == set(content.fact_map())

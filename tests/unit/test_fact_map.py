"""Every fact of the clinic's article is stated somewhere, and every response is accounted for."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
FACTS_FILE = ROOT.parent / "shared" / "docs" / "source-facts.md"


def _fact_ids() -> set[str]:
    return set(re.findall(r"^\| (F\d+) \|", FACTS_FILE.read_text(encoding="utf-8"), re.M))


def _fact_map() -> dict[str, list[str]]:
    return yaml.safe_load((ROOT / "docs" / "fact-map.yml").read_text(encoding="utf-8"))


def _response_names() -> set[str]:
    names = set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"])
    for path in (ROOT / "data").rglob("*.yml"):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names.update(content.get("responses") or {})
    messages = yaml.safe_load((ROOT / "actions" / "messages.yml").read_text(encoding="utf-8"))
    return names | set(messages)


def test_the_article_has_twenty_nine_facts() -> None:
    assert _fact_ids() == {f"F{number}" for number in range(1, 30)}


def test_every_fact_is_stated_by_some_response() -> None:
    stated = {fact for facts in _fact_map().values() for fact in facts}
    assert _fact_ids() - stated == set()


def test_fact_map_names_only_real_facts() -> None:
    stated = {fact for facts in _fact_map().values() for fact in facts}
    assert stated - _fact_ids() == set()


def test_every_response_is_mapped_and_every_mapped_response_exists() -> None:
    assert _response_names() == set(_fact_map())

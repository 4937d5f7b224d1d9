"""The clinic's article, its numbered facts, which facts each bot text states, and the topics.

`content/` holds the project's copy of the article (the only source of
medical content), the facts F1–F29 read from it, and `fact-map.yml`: for
each response and message, the facts it states (`[]` for one that states
none: chit-chat, the clinic's own details, an honest "the article doesn't
say"). The fact-map test checks every fact is stated and every text mapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from clinic.environment import PROJECT_ROOT

CONTENT_DIR = PROJECT_ROOT / "content"
ARTICLE = CONTENT_DIR / "mesotherapy-article.txt"
FACTS = CONTENT_DIR / "source-facts.md"
FACT_MAP = CONTENT_DIR / "fact-map.yml"
TOPICS = CONTENT_DIR / "topics.yml"
FACT_SOURCES = CONTENT_DIR / "fact-sources.yml"
# The conditions the article names (F3, F9), as the NLU's `condition` entity
# values (rasa_ext/nlu/entity_patterns.yml). The bot says "yes" to these only,
# and labels a schedule only with them; other values are conditions it doesn't name.
NAMED_CONDITIONS = (
    "dull_skin",
    "elasticity",
    "wrinkles",
    "hair_thinning",
    "stretch_marks",
    "volume_loss",
    "pigmentation",
    "acne",
    "acne_scarring",
    "acne_keratosis",
)
_FACT_ROW = re.compile(r"^\| (F\d+) \| [^|]+ \| (.+?) \|$", re.M)


def article_text(path: Path = ARTICLE) -> str:
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def facts(path: Path = FACTS) -> dict[str, str]:
    """Fact id ("F26") to the fact, as source-facts.md words it."""
    return dict(_FACT_ROW.findall(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def fact_map(path: Path = FACT_MAP) -> dict[str, list[str]]:
    """Response or message name to the ids of the facts it states."""
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(name): [str(fact) for fact in ids] for name, ids in loaded.items()}


@lru_cache(maxsize=1)
def fact_sources(path: Path = FACT_SOURCES) -> dict[str, list[str]]:
    """Fact id to the article's own words that state it (content/fact-sources.yml)."""
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(fact): [str(quote) for quote in quotes] for fact, quotes in loaded.items()}


def sources_of(response: str) -> list[str]:
    """The article's passages behind a response, in fact order, each once; [] if none."""
    passages: list[str] = []
    for fact in fact_map().get(response, []):
        for quote in fact_sources().get(fact, []):
            if quote not in passages:
                passages.append(quote)
    return passages


@dataclass(frozen=True)
class Topic:
    """One question topic: its button title, where its answer comes from, what follows it."""

    name: str
    title: str | None
    coverage: str | None
    frame: str | None
    followup: str | None = None  # the topic's question around a follow-up's words (`{text}`)
    overlaps: tuple[str, ...] = ()  # topics whose answer answers its questions too

    @property
    def is_aside(self) -> bool:
        """An answer about the clinic's details that takes no follow-up of its own (booking,
        contact; the opening hours do: "and saturdays?"). Asked between questions about
        the treatment, it leaves the topic before it standing."""
        return self.coverage == "clinic" and self.followup is None


@lru_cache(maxsize=1)
def load_topics(path: Path = TOPICS) -> dict[str, Topic]:
    """Every topic of content/topics.yml, keyed by intent or `faq/<topic>`."""
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        str(name): Topic(
            name=str(name),
            title=entry.get("title"),
            coverage=entry.get("coverage"),
            frame=entry.get("frame"),
            followup=entry.get("followup"),
            overlaps=tuple(entry.get("overlaps", ())),
        )
        for name, entry in loaded.items()
    }

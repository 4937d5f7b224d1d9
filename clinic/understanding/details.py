"""One detail of an answer: which response answers "which country?" after the origin.

content/details.yml maps each topic's attributes (where, when, how_long,
order…) to the response that answers that detail, and says whether the
article states it (`article`) or not (`not_in_article`: the response says so
and gives the nearest thing it does say). The context reader
(clinic/understanding/context.py) tells which attribute a short follow-up
asks; this table gives the faithful answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from clinic.content import CONTENT_DIR

DETAILS = CONTENT_DIR / "details.yml"
DETAIL_PREFIX = "detail:"  # a question's label: "detail:faq/origin:where"
COVERAGES = ("article", "not_in_article")


@dataclass(frozen=True)
class Detail:
    """The answer to one attribute of the topic just answered (`after`)."""

    after: str
    attribute: str
    response: str
    coverage: str
    topic: str  # whose answer it is: `after`, or the topic it leads to ("later" → frequency)

    @property
    def label(self) -> str:
        return f"{DETAIL_PREFIX}{self.after}:{self.attribute}"


@lru_cache(maxsize=1)
def load_details(path: Path = DETAILS) -> dict[tuple[str, str], Detail]:
    """Every (topic, attribute) of content/details.yml and its answer."""
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    table = {}
    for after, attributes in loaded.items():
        for attribute, entry in attributes.items():
            detail = Detail(
                after=str(after),
                attribute=str(attribute),
                response=str(entry["response"]),
                coverage=str(entry["coverage"]),
                topic=str(entry.get("topic") or after),
            )
            if detail.coverage not in COVERAGES:
                raise ValueError(
                    f"{path}: {after}.{attribute}: coverage must be one of {COVERAGES}"
                )
            table[(detail.after, detail.attribute)] = detail
    return table


def detail_for(after: str | None, attribute: str | None) -> Detail | None:
    """The answer to `attribute` of the topic just answered, or None when the table has none."""
    if not after or not attribute:
        return None
    return load_details().get((after, attribute))


def topics_with(attribute: str) -> list[str]:
    """The topics whose table has an answer for `attribute`."""
    return sorted({topic for topic, name in load_details() if name == attribute})


def detail_of_label(label: str) -> Detail | None:
    """The detail a question's label names ("detail:faq/origin:where"), if any."""
    if not label.startswith(DETAIL_PREFIX):
        return None
    after, _, attribute = label.removeprefix(DETAIL_PREFIX).rpartition(":")
    return detail_for(after, attribute)


def detail_of_response(response: str) -> Detail | None:
    """A detail that `response` answers, if it is a detail response (each names one topic)."""
    return next((d for d in load_details().values() if d.response == response), None)

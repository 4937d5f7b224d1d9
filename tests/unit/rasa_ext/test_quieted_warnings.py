"""Rasa's warnings about this project's data: those its design makes noise are hidden in
every Rasa command, and a response or intent that is really unused still warns."""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
import rasa.shared.utils.io
import rasa.utils.common
import yaml

from rasa_ext import patches
from tests.support.servers import ROOT

UNUSED = "The utterance '{}' is not used in any story or rule."
SOURCES = ("actions", "rasa_ext", "clinic")


def _load(path: Path) -> dict[str, object]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _domain_files() -> list[Path]:
    return [ROOT / "domain.yml", *sorted((ROOT / "data" / "responses").glob("*.yml"))]


def _responses() -> set[str]:
    return {name for path in _domain_files() for name in _load(path).get("responses") or {}}


def _string_constants() -> set[str]:
    """Every string literal in the Python code of the processes that send responses."""
    found: set[str] = set()
    for package in SOURCES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.add(node.value)
    return found


def _detail_responses() -> set[str]:
    details = _load(ROOT / "content" / "details.yml")
    return {
        str(entry["response"])
        for attributes in details.values()
        for entry in attributes.values()  # type: ignore[attr-defined]
    }


def _shown_after(install: Callable[[], None], message: str) -> list[str]:
    """The warnings Rasa's `raise_warning(message)` shows after `install()`."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        install()
        rasa.shared.utils.io.raise_warning(message)
    return [str(warning.message) for warning in caught]


def _as_in_a_rasa_command() -> None:
    """What every Rasa command does to the warnings filters once it has read its options."""
    rasa.utils.common._filter_warnings(log_level=20)


def test_each_response_sent_without_a_rule_is_really_sent() -> None:
    """Hidden only because a form, the detail reader, an action or a channel sends it."""
    domain = _load(ROOT / "domain.yml")
    slots = set(domain["slots"])  # type: ignore[arg-type]
    callback_slots = set(domain["forms"]["callback_form"]["required_slots"])  # type: ignore[index]
    named_in_code = _string_constants()
    details = _detail_responses()
    quieted = sorted(
        name for name in _responses() if re.fullmatch(patches.SENT_WITHOUT_A_RULE, name)
    )
    assert len(quieted) > 40, quieted
    not_sent = [
        name
        for name in quieted
        if not (
            name.removeprefix("utter_ask_") in slots  # forms and the planner ask each slot
            or name in details  # content/details.yml
            or name in named_in_code
            # actions/callback_form.py: `utter_{slot}_invalid` when a detail can't be used
            or name.removeprefix("utter_").removesuffix("_invalid") in callback_slots
        )
    ]
    assert not_sent == [], "quieted as sent without a rule, but nothing sends them"


@pytest.mark.parametrize(
    "message",
    [
        UNUSED.format("utter_ask_start_date"),
        UNUSED.format("utter_detail_origin_where"),
        UNUSED.format("utter_callback_saved"),
        UNUSED.format("utter_privacy_notice"),
        "The intent 'inform' is not used in any story or rule.",
        "The following duplicated intents have been found across multiple domain files: faq",
    ],
)
def test_rasas_noise_about_this_design_is_hidden_in_every_rasa_command(message: str) -> None:
    """Without the patch of `_filter_warnings`, Rasa's own `once` for every UserWarning
    would stand in front of these filters and show them all."""
    assert _shown_after(_as_in_a_rasa_command, message) == []


@pytest.mark.parametrize(
    "message",
    [
        UNUSED.format("utter_greet"),
        UNUSED.format("utter_goodbye_forever"),
        "The intent 'greet' is not used in any story or rule.",
        "The following duplicated intents have been found across multiple domain files: faq, greet",
        "The following duplicated responses have been found across multiple domain files: "
        "utter_greet",
        "The action 'utter_ask_start_date' is used in the stories, but is not a valid "
        "utterance action.",
    ],
)
def test_a_real_problem_in_the_data_still_warns(message: str) -> None:
    assert _shown_after(_as_in_a_rasa_command, message) == [message]

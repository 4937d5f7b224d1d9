"""The bot's words outside Rasa's responses, from the YAML files in this folder.

The action server (planner, "did you mean…?") and the chat channels say
these; Rasa's own responses live in domain.yml and data/responses/. Each
file holds one topic; keys are unique across files. `{clinic_*}` values come
from clinic.yml, other placeholders from the caller.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from clinic.settings import load_clinic_settings

MESSAGES_DIR = Path(__file__).resolve().parent


MESSAGE_KEY = "clinic_message"


class UnknownMessage(KeyError):
    """A message key that no file in clinic/messages/ defines."""


@lru_cache(maxsize=1)
def _messages() -> dict[str, dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for path in sorted(MESSAGES_DIR.glob("*.yml")):
        loaded: dict[str, dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
        clash = merged.keys() & loaded.keys()
        if clash:
            raise ValueError(f"{path.name} repeats message keys {sorted(clash)}")
        merged.update(loaded)
    return merged


def _template(key: str) -> dict[str, Any]:
    try:
        return _messages()[key]
    except KeyError:
        raise UnknownMessage(key) from None


def text(key: str, **values: object) -> str:
    """One message's text, with the clinic's details and `values` filled in."""
    variables: dict[str, object] = {**load_clinic_settings().response_variables(), **values}
    return str(_template(key)["text"]).format(**variables)


def message(key: str, **values: object) -> dict[str, Any]:
    """`text` (and `buttons`, if any) of one message, ready for `dispatcher.utter_message(**…)`.

    The key goes along as `clinic_message` (in the bot event's metadata), so what
    the bot said can be told apart in a transcript, as a response's name can.
    """
    rendered: dict[str, Any] = {"text": text(key, **values), MESSAGE_KEY: key}
    buttons = _template(key).get("buttons")
    if buttons:
        rendered["buttons"] = [dict(button) for button in buttons]
    return rendered


def message_keys() -> set[str]:
    """Every key the message files define (the fact-map test checks each is mapped)."""
    return set(_messages())

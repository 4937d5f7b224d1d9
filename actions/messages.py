"""What the action server and chat channels say (actions/messages.yml), with clinic details."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from clinicbot.settings import load_clinic_settings

MESSAGES_PATH = Path(__file__).with_name("messages.yml")


@lru_cache(maxsize=1)
def _messages() -> dict[str, dict[str, Any]]:
    loaded: dict[str, dict[str, Any]] = yaml.safe_load(MESSAGES_PATH.read_text(encoding="utf-8"))
    return loaded


def message(key: str, extra: dict[str, str] | None = None) -> dict[str, Any]:
    """`text` (and `buttons`, if any) of one message, ready for `dispatcher.utter_message(**…)`.

    `extra` values fill placeholders beside the clinic's details (and win over them).
    """
    template = _messages()[key]
    values = {**load_clinic_settings().response_variables(), **(extra or {})}
    rendered: dict[str, Any] = {"text": template["text"].format(**values)}
    if template.get("buttons"):
        rendered["buttons"] = [dict(button) for button in template["buttons"]]
    return rendered


def message_keys() -> set[str]:
    return set(_messages())

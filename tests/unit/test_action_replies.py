"""Action-server replies: checked as strictly as Rasa does, the schema checked only once."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

import clinicbot.nlu_components  # noqa: F401  (installs the check, as the model's loading does)
from clinicbot import action_replies

VALID = {
    "events": [{"event": "slot", "name": "session_count", "value": 6}],
    "responses": [{"text": "Six sessions it is."}],
}


def test_loading_the_pipeline_installs_the_check() -> None:
    assert RemoteAction._validate_action_result is action_replies._validate_action_result


def test_a_valid_reply_passes_without_rechecking_the_schema(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    action_replies.reply_validator()  # built, and its schema checked, once per process
    checked: list[Any] = []
    validator_class = validator_for(RemoteAction.action_response_format_spec())
    monkeypatch.setattr(
        validator_class, "check_schema", classmethod(lambda c, s: checked.append(s))
    )
    action = RemoteAction("action_plan_schedule", None)
    for _ in range(3):
        assert action._validate_action_result(VALID) is True
    assert checked == []


@pytest.mark.parametrize(
    "reply",
    [
        {"events": [{"name": "session_count"}], "responses": []},  # an event without its type
        {"events": "slot", "responses": []},
        {"events": [], "responses": ["Six sessions"]},
    ],
)
def test_a_malformed_reply_is_rejected_with_rasas_explanation(reply: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_plan_schedule", None)._validate_action_result(reply)

"""Check action-server replies against a JSON schema that is itself checked once.

Rasa 3.6 validates every reply from the action server with
`jsonschema.validate(reply, schema)`, and that function first re-validates
the schema (a constant) against its meta-schema: 14.6 % of the Rasa server's
time under one visitor, more than the reply's own check (py-spy,
bench/README.md).
`install()` makes Rasa's `RemoteAction` check a valid reply with a validator
built once; a reply that fails goes through Rasa's own method, so it is
rejected exactly as before, with Rasa's explanation.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

_RASAS_CHECK = RemoteAction._validate_action_result


@cache
def reply_validator() -> Any:
    """The validator `jsonschema.validate` would build for Rasa's reply schema."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
    if reply_validator().is_valid(result):
        return True
    return bool(_RASAS_CHECK(action, result))  # raises ValidationError with Rasa's message


def install() -> None:
    """Use the prebuilt validator in this process (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]

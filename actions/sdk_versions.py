"""The rasa-sdk these actions are written for; the action server refuses any other.

The actions use only rasa-sdk's public API (`FormValidationAction.
get_validation_events`, `Tracker.add_slots`…), but its behaviour around forms
changed between minor versions, and the action server (actions/server.py)
builds on `rasa_sdk.endpoint.create_app`. The Rasa side checks its own
versions in rasa_ext/patches.py.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

PINNED_SDK = "3.6.2"


class IncompatibleSdk(RuntimeError):
    """rasa-sdk is not the version the actions were written and tested against."""


def check(pinned: str = PINNED_SDK) -> None:
    try:
        found: str | None = version("rasa-sdk")
    except PackageNotFoundError:
        found = None
    if found != pinned:
        raise IncompatibleSdk(
            f"The actions need rasa-sdk=={pinned}, but found {found or 'none'}: install the "
            "pinned version (make setup), or test the actions against the new one and update "
            "PINNED_SDK in actions/sdk_versions.py."
        )

"""Every intent, form and slot name Python uses is one the domain declares."""

from __future__ import annotations

import yaml

from clinic import names
from tests.support.servers import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
RASA_OWN = {names.NLU_FALLBACK, names.REQUESTED_SLOT}


def _constants() -> dict[str, str]:
    return {
        key: value for key, value in vars(names).items() if key.isupper() and isinstance(value, str)
    }


def test_every_name_is_declared_in_the_domain() -> None:
    declared = set(DOMAIN["intents"]) | set(DOMAIN["forms"]) | set(DOMAIN["slots"]) | RASA_OWN
    undeclared = {key: value for key, value in _constants().items() if value not in declared}
    assert undeclared == {}


def test_the_callback_slots_are_the_callback_form_s() -> None:
    asked = DOMAIN["forms"][names.CALLBACK_FORM]["required_slots"]
    assert asked == [
        names.CALLBACK_NAME, names.CALLBACK_CONTACT, names.CALLBACK_TIME, names.CALLBACK_CONSENT
    ]  # fmt: skip


def test_a_form_steps_aside_only_for_intents_the_domain_has() -> None:
    assert set(DOMAIN["intents"]) >= names.INTERRUPTIONS

"""Response generation that fills the clinic's details into every response.

Responses write `{clinic_phone}`, `{clinic_booking_url}` and so on; this
generator supplies those values from `clinic.yml` inside the Rasa server, so
contact details reach the visitor even when the action server is down.
It stops Rasa with a clear message when the patches of rasa_ext/patches.py are
not installed (Rasa started with the plain `rasa` command instead of `python -m rasa_ext`).
Enabled in `endpoints.yml` as `nlg: type: rasa_ext.nlg.ClinicResponseGenerator`.
"""

from __future__ import annotations

from typing import Any

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from clinic.settings import load_clinic_settings
from rasa_ext import patches


class ClinicResponseGenerator(TemplatedNaturalLanguageGenerator):
    """Domain responses, with the clinic's details available as variables."""

    def __init__(self, endpoint_config: EndpointConfig | None, domain: Domain) -> None:
        patches.require_installed(type(self).__name__)
        super().__init__(domain.responses)
        self.clinic_variables = load_clinic_settings().response_variables()

    def _response_variables(
        self, filled_slots: dict[str, Any], kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        variables = super()._response_variables(filled_slots, kwargs)
        # Slots and kwargs win, so an action can still override a value.
        return {**self.clinic_variables, **variables}

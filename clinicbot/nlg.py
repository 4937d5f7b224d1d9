"""Response generation that fills the clinic's details into every response.

Responses write `{clinic_phone}`, `{clinic_booking_url}` and so on; this
generator supplies those values from `clinic.yml` inside the Rasa server, so
contact details reach the visitor even when the action server is down.
Loading it also installs the action-server guard (clinicbot/action_fallback.py).
Enabled in `endpoints.yml` as `nlg: type: clinicbot.nlg.ClinicResponseGenerator`.
"""

from __future__ import annotations

from typing import Any

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from clinicbot import action_fallback, log_privacy
from clinicbot.settings import load_clinic_settings


class ClinicResponseGenerator(TemplatedNaturalLanguageGenerator):
    """Domain responses, with the clinic's details available as variables."""

    def __init__(self, endpoint_config: EndpointConfig | None, domain: Domain) -> None:
        super().__init__(domain.responses)
        # Loaded wherever Rasa serves this bot: the place to guard custom-action calls.
        action_fallback.install()
        # Rasa has set up its log handlers by now (also in `rasa shell`): keep PII out.
        log_privacy.install()
        self.clinic_variables = load_clinic_settings().response_variables()

    def _response_variables(
        self, filled_slots: dict[str, Any], kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        variables = super()._response_variables(filled_slots, kwargs)
        # Slots and kwargs win, so an action can still override a value.
        return {**self.clinic_variables, **variables}

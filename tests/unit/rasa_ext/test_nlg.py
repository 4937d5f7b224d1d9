"""Responses get the clinic's details from clinic.yml, inside the Rasa server."""

from __future__ import annotations

from rasa.shared.core.domain import Domain

from clinic.settings import load_clinic_settings
from rasa_ext.nlg import ClinicResponseGenerator


async def test_responses_get_the_clinic_details_from_clinic_yml() -> None:
    domain = Domain.from_yaml(
        """
version: "3.1"
responses:
  utter_contact:
  - text: "Call {clinic_phone} or book at {clinic_booking_url}."
"""
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker.from_events("visitor", [], slots=domain.slots)
    reply = await ClinicResponseGenerator(None, domain).generate("utter_contact", tracker, "rest")
    settings = load_clinic_settings()
    assert reply is not None
    assert reply["text"] == f"Call {settings.phone} or book at {settings.booking_url}."

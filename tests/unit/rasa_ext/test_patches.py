"""Each patch of Rasa needs names that still exist, and changes what Rasa does.

Every test here fails with its patch taken out of `rasa_ext.patches.PATCHES`
(or with `install()` not called): the unpatched behaviour is Rasa's own.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from typing import Any

import pytest
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import ActionSessionStart, RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.policies.policy import Policy
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    FollowupAction,
    SessionStarted,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from rasa_ext import action_timeout, patches
from rasa_ext.channels.health import MONITOR
from tests.support.servers import ROOT, free_port

VALID = {
    "events": [{"event": "slot", "name": "session_count", "value": 6}],
    "responses": [{"text": "Six sessions it is."}],
}
DOMAIN = Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(scope="module", autouse=True)
def installed() -> None:
    patches.install()


def test_every_patched_and_private_name_still_exists_in_this_rasa() -> None:
    assert patches.missing_names() == []
    assert {f"{p.owner.__name__}.{p.name}" for p in patches.PATCHES} >= {
        "RemoteAction._validate_action_result",
        "RemoteAction.run",
        "FormAction.run",
        "FailSafeTrackerStore.__init__",
    }


def test_a_listed_name_this_rasa_lacks_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """Instance attributes (set in Rasa's `__init__`) count as present; a gone name does not."""
    monkeypatch.setattr(
        patches,
        "PRIVATE_NAMES",
        (
            patches.PrivateName(Policy, "_resource", "set by Policy.__init__"),
            patches.PrivateName(Policy, "_default_predictions", "a method"),
            patches.PrivateName(Policy, "_gone", "not in this Rasa"),
        ),
    )
    assert patches.missing_names() == ["Policy._gone"]
    monkeypatch.setattr(patches, "_installed", False)
    with pytest.raises(patches.IncompatibleRasa, match=r"Rasa no longer has Policy\._gone"):
        patches.install()


def test_another_rasa_version_is_refused_with_what_to_do() -> None:
    with pytest.raises(patches.IncompatibleRasa, match=r"needs rasa==9\.9\.9, but found rasa 3\.6"):
        patches.check_versions({"rasa": "9.9.9"})
    with pytest.raises(patches.IncompatibleRasa, match="not-a-package missing"):
        patches.check_versions({"not-a-package": "1.0"})
    patches.check_versions()  # the pinned ones are what is installed


def test_a_valid_action_reply_is_checked_without_rechecking_the_schema(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    patches.reply_validator()  # built, and its schema checked, once per process
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
def test_a_malformed_action_reply_is_rejected_with_rasas_explanation(reply: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_plan_schedule", None)._validate_action_result(reply)


def _unreachable_action(name: str = "action_plan_schedule") -> RemoteAction:
    return RemoteAction(name, EndpointConfig(url=f"http://127.0.0.1:{free_port()}/webhook"))


async def test_an_unreachable_action_server_ends_in_the_unavailable_response() -> None:
    tracker = DialogueStateTracker.from_events("visitor", [], slots=DOMAIN.slots)
    events = await _unreachable_action().run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker, DOMAIN
    )
    assert ActiveLoop(None) in events
    assert FollowupAction(action_timeout.UNAVAILABLE_RESPONSE) in events


async def test_a_form_whose_validation_fails_ends_with_the_same_response_once() -> None:
    form = FormAction(
        "schedule_form", EndpointConfig(url=f"http://127.0.0.1:{free_port()}/webhook")
    )
    tracker = DialogueStateTracker.from_events("visitor", [], slots=DOMAIN.slots)
    events = await form.run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker, DOMAIN
    )
    assert events[-1] == FollowupAction(action_timeout.UNAVAILABLE_RESPONSE)
    assert events.count(FollowupAction(action_timeout.UNAVAILABLE_RESPONSE)) == 1


def test_every_fail_safe_store_rasa_makes_reports_to_the_health_check() -> None:
    store = FailSafeTrackerStore(InMemoryTrackerStore(DOMAIN))
    before = MONITOR.errors
    store.on_tracker_store_error(RuntimeError("database gone"))
    assert MONITOR.errors == before + 1


def test_log_records_lose_personal_data_as_they_are_made(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        logging.getLogger("rasa.core.processor").info(
            "Received user message text='my email is jane@example.org'"
        )
    assert "jane@example.org" not in caplog.text and "[redacted]" in caplog.text


def test_rasa_started_without_the_patches_is_stopped_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(patches, "_installed", False)
    with pytest.raises(patches.IncompatibleRasa, match="python -m rasa_ext"):
        patches.require_installed("ClinicResponseGenerator")


def test_the_projects_rasa_command_is_rasas_own_with_the_patches() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rasa_ext", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "Rasa Version      :         3.6.21" in done.stdout


async def test_every_session_starts_with_the_privacy_notice_before_listening() -> None:
    domain = Domain.from_yaml(
        """
version: "3.1"
responses:
  utter_privacy_notice:
  - text: "I'm an automated assistant, not medical advice."
"""
    )
    tracker = DialogueStateTracker.from_events("visitor", [], slots=domain.slots)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    events = await ActionSessionStart().run(CollectingOutputChannel(), nlg, tracker, domain)
    kinds = [type(event) for event in events]
    assert kinds[0] is SessionStarted and kinds[-2:] == [BotUttered, ActionExecuted]
    notice = events[-2]
    assert isinstance(notice, BotUttered) and "not medical advice" in (notice.text or "")
    assert notice.metadata["utter_action"] == "utter_privacy_notice"


async def test_a_paused_conversation_has_no_slots_extracted() -> None:
    """While a person has the chat, what the visitor tells them fills no slot."""
    from rasa.core.actions.action import ActionExtractSlots
    from rasa.shared.core.events import ConversationPaused, ConversationResumed, UserUttered

    dates = {"entity": "date_phrase", "value": "next monday", "start": 0, "end": 11}
    said = UserUttered(
        "next monday", {"name": "inform", "confidence": 1.0}, [dates], input_channel="rest"
    )
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)

    async def extracted(*before: Any) -> list[Any]:
        tracker = DialogueStateTracker.from_events("v", [*before, said], slots=DOMAIN.slots)
        return await ActionExtractSlots(None).run(CollectingOutputChannel(), nlg, tracker, DOMAIN)

    assert await extracted() != []  # the entity fills a slot when the bot has the chat
    assert await extracted(ConversationPaused()) == []
    assert await extracted(ConversationPaused(), ConversationResumed()) != []

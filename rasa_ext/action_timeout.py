"""When the action server is down or slow, say so politely and keep the conversation going.

What Rasa 3.6.21 does on its own: `RemoteAction.run` waits up to
`DEFAULT_REQUEST_TIMEOUT` (300 s, hard-coded; `action_endpoint` has no
timeout setting) and then raises; `MessageProcessor._run_action` logs the
exception and drops the action's events ("Bot will continue, but the actions
events are lost"). The visitor gets silence, after up to five minutes, and a
form (`schedule_form`, whose validation and questions are custom actions) is
left half-run.

Why this mechanism. Rasa 3.6 builds `RemoteAction` itself in three places
(`action_for_name_or_text`, and twice inside `FormAction`), its processor and
its action endpoint class cannot be chosen in configuration (`type` in
`action_endpoint` is read and ignored), and a policy or rule cannot react
because a failed action leaves no event in the tracker, and the 300 s wait
happens before any policy runs. A proxy in front of the action server would
be one more process that can be down. So `rasa_ext.patches` wraps, with the
functions below, the two methods that every custom-action call goes through,
in the Rasa process, once:

- `RemoteAction.run` gets a bounded time (`ACTION_SERVER_TIMEOUT`, default
  10 s). If the action server can't be reached, times out or fails (anything
  but a deliberate rejection), the action's result becomes: stop any form and
  run `utter_planner_unavailable` next (a domain response, so it needs no
  action server and gets the clinic's contact from `clinic.yml`); a rule then
  listens. FAQ answers are responses and never touch the action server.
- `FormAction.run` catches the same failure from its validation or question
  actions and ends the form the same way, so the visitor hears it once.

`STATUS` feeds the health endpoint (rasa_ext/channels/health.py).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.events import ActiveLoop, Event, FollowupAction, SlotSet
from rasa.shared.exceptions import RasaException

from clinic import environment
from clinic.environment import EnvironmentVariableError

logger = logging.getLogger(__name__)

UNAVAILABLE_RESPONSE = "utter_planner_unavailable"

_inside_form: contextvars.ContextVar[bool] = contextvars.ContextVar("inside_form", default=False)


class ActionServerUnavailable(RasaException):
    """The action server did not run an action (down, too slow, or failing)."""


@dataclass
class ActionServerStatus:
    """How calls to the action server went since this Rasa process started."""

    failures: int = 0
    last_failure_at: float | None = None
    last_failure: str | None = None
    last_success_at: float | None = None

    def succeeded(self) -> None:
        self.last_success_at = time.time()

    def failed(self, action: str, error: BaseException) -> None:
        self.failures += 1
        self.last_failure_at = time.time()
        self.last_failure = type(error).__name__
        logger.error(
            "action_server.unavailable action=%s error=%s failures=%d",
            action,
            self.last_failure,
            self.failures,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "failures_since_start": self.failures,
            "last_failure": self.last_failure,
            "last_failure_at": self.last_failure_at,
            "last_success_at": self.last_success_at,
        }


STATUS = ActionServerStatus()


def timeout_seconds() -> float:
    """How long a custom action may take before the visitor is told planning is unavailable."""
    try:
        return max(0.5, environment.ACTION_SERVER_TIMEOUT.get())
    except EnvironmentVariableError as error:
        logger.warning("%s; waiting %s s", error, environment.ACTION_SERVER_TIMEOUT.default)
        return environment.ACTION_SERVER_TIMEOUT.default


def unavailable_events() -> list[Event]:
    """End any form and say, next, that planning is unavailable right now."""
    return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), FollowupAction(UNAVAILABLE_RESPONSE)]


RunMethod = Callable[..., Awaitable[list[Event]]]


def guard_remote_run(original: RunMethod) -> RunMethod:
    async def run(self: RemoteAction, *args: Any, **kwargs: Any) -> list[Event]:
        try:
            events = await asyncio.wait_for(original(self, *args, **kwargs), timeout_seconds())
        except ActionExecutionRejection:
            raise
        except (RasaException, asyncio.TimeoutError, OSError) as error:
            STATUS.failed(self.name(), error)
            if _inside_form.get():
                raise ActionServerUnavailable(self.name()) from error
            return unavailable_events()
        STATUS.succeeded()
        return events

    run.__wrapped__ = original  # type: ignore[attr-defined]
    return run


def guard_form_run(original: RunMethod) -> RunMethod:
    async def run(self: FormAction, *args: Any, **kwargs: Any) -> list[Event]:
        token = _inside_form.set(True)
        try:
            return await original(self, *args, **kwargs)
        except ActionServerUnavailable:
            return unavailable_events()
        finally:
            _inside_form.reset(token)

    run.__wrapped__ = original  # type: ignore[attr-defined]
    return run

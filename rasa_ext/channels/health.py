"""`GET /webhooks/health/`: the Rasa server's real state, for load balancers and staff.

Rasa wraps every tracker store in `FailSafeTrackerStore`: when the database
fails, `retrieve` answers "no such conversation" and `save` writes to an
in-memory store instead. The bot keeps talking, but visitors lose their
history and what they say is never stored: silent divergence is data loss.
This channel makes that visible:

- it really queries the tracker store's database (`SELECT 1`, bounded time);
- it counts tracker store errors since start and says whether the fail-safe
  has fallen back to memory, and logs an ERROR (`ALERT tracker_store.fallback`)
  each time it engages;
- it asks the action server's `/health`.

It answers 200 `{"status": "ok", ...}` when all is well and 503 with
`"status": "degraded"` otherwise. It is an input channel only because that is
how Rasa lets a project add a route to its server: it is registered by module
path in `credentials.yml` (`rasa_ext.channels.health.HealthChannel:`) and
`rasa_ext/channels/credentials.py`, and takes no messages. `MONITOR` is
handed to every fail-safe store Rasa makes by a patch (rasa_ext/patches.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import sqlalchemy as sa
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_ext import action_timeout

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 2.0


@dataclass
class TrackerStoreMonitor:
    """Counts the fail-safe's errors and raises the alarm when it falls back to memory."""

    errors: int = 0
    last_error: str | None = None
    last_error_at: float | None = None

    def on_error(self, error: Exception) -> None:
        self.errors += 1
        self.last_error = type(error).__name__
        self.last_error_at = time.time()
        logger.error(
            "ALERT tracker_store.fallback errors=%d error=%s: the tracker store failed; "
            "Rasa's fail-safe now answers from memory and this conversation may not be stored",
            self.errors,
            self.last_error,
        )


MONITOR = TrackerStoreMonitor()


def _database_check(store: Any) -> Callable[[], None] | None:
    """A blocking `SELECT 1` against the store's database, or None when it has no engine."""
    inner = getattr(store, "_tracker_store", store)
    engine = getattr(inner, "engine", None)
    if engine is None:
        return None

    def check() -> None:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    return check


async def tracker_store_state(store: Any) -> dict[str, Any]:
    """Whether the database answers now, and what the fail-safe has done since start."""
    inner = getattr(store, "_tracker_store", store)
    state: dict[str, Any] = {
        "type": type(inner).__name__,
        "errors_since_start": MONITOR.errors,
        "last_error": MONITOR.last_error,
        "fell_back_to_memory": getattr(store, "_fallback_tracker_store", None) is not None,
    }
    check = _database_check(store)
    if check is None:
        state["database"] = "none"
        state["ok"] = True
        return state
    try:
        await asyncio.wait_for(asyncio.to_thread(check), CHECK_TIMEOUT_SECONDS)
        state["database"] = "ok"
    except Exception as error:
        state["database"] = f"unreachable ({type(error).__name__})"
    # Degraded while the database doesn't answer; the counters keep the history.
    state["ok"] = state["database"] == "ok"
    return state


async def action_server_state(action_endpoint: Any) -> dict[str, Any]:
    """Whether the action server's `/health` answers, and how the last calls went."""
    url = getattr(action_endpoint, "url", None)
    if not url:
        return {"ok": True, "configured": False}
    health_url = url.rsplit("/", 1)[0] + "/health"
    try:
        timeout = aiohttp.ClientTimeout(total=CHECK_TIMEOUT_SECONDS)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(health_url) as reply,
        ):
            reachable = reply.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        reachable = False
    return {"ok": reachable, "configured": True, **action_timeout.STATUS.as_dict()}


class HealthChannel(InputChannel):
    """Serves `/webhooks/health/` on the Rasa server; receives no messages."""

    @classmethod
    def name(cls) -> str:
        return "health"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        health = Blueprint("clinic_health", __name__)

        @health.get("/")
        async def report(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or agent.tracker_store is None:
                return response.json({"status": "starting"}, status=503)
            store = await tracker_store_state(agent.tracker_store)
            actions = await action_server_state(agent.action_endpoint)
            ok = store["ok"] and actions["ok"]
            return response.json(
                {"status": "ok" if ok else "degraded", "tracker_store": store, "actions": actions},
                status=200 if ok else 503,
            )

        return health

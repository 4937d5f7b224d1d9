"""When the database stays down longer than the store's retries, the fail-safe engages loudly."""

from __future__ import annotations

import logging

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered

from rasa_ext import patches
from rasa_ext.channels.health import MONITOR, tracker_store_state
from rasa_ext.stores.tracker_store import WindowedSQLTrackerStore
from tests.support.postgres import private_postgres
from tests.support.servers import ROOT

patches.install()  # as every Rasa process of the bot: the fail-safe reports to MONITOR
DOMAIN = Domain.load(str(ROOT / "domain.yml"))


async def test_a_long_outage_is_alerted_and_reported_then_cleared(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with private_postgres() as database:
        inner = WindowedSQLTrackerStore(
            domain=DOMAIN,
            dialect="postgresql",
            host="127.0.0.1",
            port=database.port,
            db="test",
            username="postgres",
            retry_seconds=1,
        )
        store = FailSafeTrackerStore(inner)
        tracker = await store.get_or_create_tracker("visitor")
        assert (await tracker_store_state(store))["ok"] is True
        errors_before = MONITOR.errors

        database.stop()
        tracker.update(UserUttered("hello", {"name": "greet"}))
        tracker.update(ActionExecuted("action_listen"))
        with caplog.at_level(logging.ERROR, logger="rasa_ext.channels.health"):
            await store.save(tracker)
        state = await tracker_store_state(store)
        assert MONITOR.errors == errors_before + 1
        assert "ALERT tracker_store.fallback" in caplog.text
        assert state["ok"] is False and state["fell_back_to_memory"] is True
        assert state["database"].startswith("unreachable")

        database.start()
        state = await tracker_store_state(store)
        assert state["ok"] is True and state["errors_since_start"] == errors_before + 1

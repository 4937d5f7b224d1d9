"""The production endpoints profile as Rasa reads it, and what SANIC_WORKERS really does."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import rasa.core.utils
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.core.utils import AvailableEndpoints

from rasa_ext.stores.lock_store import AtomicRedisLockStore
from tests.support.cluster import PRODUCTION_ENDPOINTS, production_env
from tests.support.servers import ROOT


@pytest.fixture
def machine_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """This process's environment as after `source scripts/production-env.sh`."""
    env = production_env()
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    yield env


def test_the_profile_loads_in_rasa_with_this_machines_defaults(
    machine_env: dict[str, str],
) -> None:
    endpoints = rasa.core.utils.read_endpoints_from_path(ROOT / machine_env["RASA_ENDPOINTS"])

    assert endpoints.tracker_store is not None and endpoints.lock_store is not None
    assert endpoints.tracker_store.type == "rasa_ext.stores.tracker_store.WindowedSQLTrackerStore"
    assert endpoints.tracker_store.url == "127.0.0.1"
    assert endpoints.tracker_store.kwargs["dialect"] == "postgresql"
    assert endpoints.tracker_store.kwargs["username"] == "postgres"
    assert endpoints.lock_store.type == "rasa_ext.stores.lock_store.AtomicRedisLockStore"
    assert endpoints.lock_store.url == "127.0.0.1"
    assert endpoints.event_broker is not None and endpoints.event_broker.type == "pika"
    assert endpoints.event_broker.kwargs["queues"] == ["clinicbot_events"]
    assert endpoints.event_broker.kwargs["exchange_name"] == "clinicbot"
    assert endpoints.action is not None
    assert endpoints.action.url == "http://127.0.0.1:5055/webhook"
    assert endpoints.action.headers == {"X-Action-Token": machine_env["ACTION_SERVER_TOKEN"]}

    store = LockStore.create(endpoints.lock_store)
    assert isinstance(store, AtomicRedisLockStore)
    conversation = f"profile-check-{uuid.uuid4().hex}"
    ticket = store.issue_ticket(conversation)  # the real Redis on 127.0.0.1
    store.cleanup(conversation, ticket)
    assert store.get_lock(conversation) is None
    store.red.delete(store.counter_key(conversation))


def test_the_embedded_profile_stays_the_default(machine_env: dict[str, str]) -> None:
    endpoints = rasa.core.utils.read_endpoints_from_path(ROOT / "endpoints.yml")
    assert endpoints.tracker_store is not None
    assert endpoints.tracker_store.kwargs["dialect"] == "sqlite"
    assert endpoints.lock_store is None
    assert "endpoints.yml" in (ROOT / "scripts" / "run.sh").read_text()


def test_sanic_workers_is_ignored_without_a_lock_store_and_honoured_with_ours(
    machine_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rasa's own rule (rasa.core.utils.number_of_sanic_workers), as `rasa run` applies it.

    The embedded profile has no lock store, so SANIC_WORKERS=4 silently gives
    one worker (Rasa says so only at DEBUG). Any lock store other than
    in-memory, ours included, gets the workers asked for.
    """
    monkeypatch.setenv("SANIC_WORKERS", "4")
    embedded = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))
    production = AvailableEndpoints.read_endpoints(str(PRODUCTION_ENDPOINTS))

    assert rasa.core.utils.number_of_sanic_workers(embedded.lock_store) == 1
    assert rasa.core.utils.number_of_sanic_workers(production.lock_store) == 4
    assert rasa.core.utils.number_of_sanic_workers(InMemoryLockStore()) == 1

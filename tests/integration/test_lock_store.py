"""The atomic Redis lock store against the real Redis on 127.0.0.1:6379.

Each test works under its own key prefix and deletes its keys afterwards.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from rasa.core.lock_store import LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from rasa_ext.stores.lock_store import AtomicRedisLockStore

REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 1


@pytest.fixture
def prefix() -> Iterator[str]:
    """A fresh alphanumeric key prefix; every key under it is deleted afterwards."""
    name = f"test{uuid.uuid4().hex}"
    yield name
    client = redis.StrictRedis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    keys = list(client.scan_iter(f"{name}:*"))
    if keys:
        client.delete(*keys)


def atomic(prefix: str, **settings: object) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(
        host=REDIS_HOST,
        port=REDIS_PORT,
        db=REDIS_DB,
        key_prefix=prefix,
        **settings,  # type: ignore[arg-type]
    )


def _issue_many(prefix: str, conversation: str, count: int) -> list[int]:
    store = atomic(prefix)
    return [store.issue_ticket(conversation) for _ in range(count)]


def test_rasa_builds_the_store_from_the_endpoint_config(prefix: str) -> None:
    config = EndpointConfig(
        url=REDIS_HOST,
        type="rasa_ext.stores.lock_store.AtomicRedisLockStore",
        port=str(REDIS_PORT),
        db=str(REDIS_DB),
        password="",
        key_prefix=prefix,
    )
    from rasa.core.lock_store import LockStore

    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore)
    assert store.key_prefix == f"{prefix}:atomic_lock:"
    assert store.issue_ticket("visitor") == 1


def test_tickets_from_many_threads_are_unique_and_gapless(prefix: str) -> None:
    store = atomic(prefix)
    with ThreadPoolExecutor(max_workers=32) as pool:
        batches = list(pool.map(lambda _: [store.issue_ticket("v") for _ in range(25)], range(32)))
    issued = [number for batch in batches for number in batch]
    assert sorted(issued) == list(range(1, 32 * 25 + 1))
    assert all(batch == sorted(batch) for batch in batches)  # each caller's tickets increase


def test_tickets_from_many_processes_are_unique_and_gapless(prefix: str) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        batches = pool.starmap(_issue_many, [(prefix, "v", 50)] * 4)
    issued = [number for batch in batches for number in batch]
    assert sorted(issued) == list(range(1, 4 * 50 + 1))
    assert all(batch == sorted(batch) for batch in batches)


def test_concurrent_messages_of_one_conversation_are_served_one_at_a_time_in_ticket_order(
    prefix: str,
) -> None:
    """24 'replicas' (threads with their own store and event loop) lock one conversation."""
    inside = threading.Lock()
    served: list[int] = []
    overlaps: list[int] = []

    async def handle_message() -> None:
        store = atomic(prefix)
        async with store.lock("v", wait_time_in_seconds=0.01) as lock:
            if not inside.acquire(blocking=False):
                overlaps.append(lock.now_serving or -1)
                return
            try:
                served.append(lock.now_serving or -1)
                await asyncio.sleep(0.005)
            finally:
                inside.release()

    with ThreadPoolExecutor(max_workers=24) as pool:
        list(pool.map(lambda _: asyncio.run(handle_message()), range(24)))

    assert overlaps == []
    assert served == list(range(1, 25))
    assert atomic(prefix).get_lock("v") is None  # the last release left no tickets behind


def test_expired_tickets_are_dropped_and_no_longer_block(prefix: str) -> None:
    store = atomic(prefix)
    stale = store.issue_ticket("v", lock_lifetime=0.2)
    time.sleep(0.3)
    fresh = store.issue_ticket("v", lock_lifetime=30)
    lock = store.get_lock("v")
    assert lock is not None
    assert [ticket.number for ticket in lock.tickets] == [fresh]
    assert not lock.is_locked(fresh)
    assert fresh == stale + 1  # numbers are never reused


async def test_a_ticket_that_expired_while_waiting_fails_with_a_clear_error(
    prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = atomic(prefix)
    store.issue_ticket("v", lock_lifetime=30)  # someone else is being served
    with caplog.at_level(logging.ERROR), pytest.raises(LockError, match="expired while waiting"):
        async with store.lock("v", lock_lifetime=0.2, wait_time_in_seconds=0.05):
            pass
    assert "ticket_expired conversation=v" in caplog.text


def test_releasing_the_last_ticket_removes_the_lock_and_the_counter_expires(prefix: str) -> None:
    store = atomic(prefix)
    ticket = store.issue_ticket("v", lock_lifetime=5)
    assert store.is_someone_waiting("v")
    store.cleanup("v", ticket)
    assert not store.is_someone_waiting("v")
    client = redis.StrictRedis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    assert not client.exists(store.tickets_key("v"))
    assert 0 < client.ttl(store.counter_key("v")) <= 5 + 60


def test_redis_refusing_connections_fails_fast_with_a_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]  # nothing listens once the socket is closed
    store = AtomicRedisLockStore(host="127.0.0.1", port=closed_port, socket_timeout=1)
    started = time.monotonic()
    with caplog.at_level(logging.ERROR), pytest.raises(LockError, match="unavailable"):
        store.issue_ticket("v")
    assert time.monotonic() - started < 3
    assert f"redis_unavailable address=127.0.0.1:{closed_port}/1" in caplog.text


def test_redis_that_never_answers_times_out_instead_of_hanging(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        store = AtomicRedisLockStore(
            host="127.0.0.1", port=silent.getsockname()[1], socket_timeout=0.5
        )
        started = time.monotonic()
        with caplog.at_level(logging.ERROR), pytest.raises(LockError, match="unavailable"):
            store.issue_ticket("v")
        assert time.monotonic() - started < 3
    assert "redis_unavailable" in caplog.text


def _reads_then_waits(store: RedisLockStore, barrier: threading.Barrier) -> None:
    """Make each replica's read of the lock happen before either writes it back."""
    read = store.get_lock

    def get_lock_then_wait(conversation_id: str):  # type: ignore[no-untyped-def]
        lock = read(conversation_id)
        barrier.wait(timeout=10)
        return lock

    store.get_lock = get_lock_then_wait  # type: ignore[method-assign]


def test_rasas_stock_redis_lock_store_gives_two_replicas_the_same_ticket(prefix: str) -> None:
    """The race, made deterministic: both replicas read the lock before either saves it.

    Then both hold ticket 0, both see themselves as 'now serving', and two
    messages of one conversation run at once. The atomic store cannot be put
    in that state: it never reads the lock to issue a ticket.
    """
    barrier = threading.Barrier(2)
    replicas = [
        RedisLockStore(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, key_prefix=prefix)
        for _ in range(2)
    ]
    for replica in replicas:
        _reads_then_waits(replica, barrier)
    with ThreadPoolExecutor(max_workers=2) as pool:
        tickets = list(pool.map(lambda replica: replica.issue_ticket("v"), replicas))

    assert tickets == [0, 0]
    for replica in replicas:
        replica.get_lock = RedisLockStore.get_lock.__get__(replica)  # type: ignore[method-assign]
    lock = replicas[0].get_lock("v")
    assert lock is not None
    assert [not lock.is_locked(ticket) for ticket in tickets] == [True, True]  # both "acquire"

    start = threading.Barrier(2)
    stores = [atomic(prefix), atomic(prefix)]

    def issue_together(store: AtomicRedisLockStore) -> int:
        start.wait(timeout=10)
        return store.issue_ticket("v")

    with ThreadPoolExecutor(max_workers=2) as pool:
        atomic_tickets = sorted(pool.map(issue_together, stores))
    assert atomic_tickets == [1, 2]

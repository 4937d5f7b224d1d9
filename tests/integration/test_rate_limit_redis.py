"""Rate limits counted in the real Redis on 127.0.0.1:6379: one budget for every replica.

Each limit here has a name of its own, so the keys of one test never meet
another's (or a running bot's); they expire with their window, and are
deleted afterwards anyway.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from clinic.guard.rate_limit import NAMESPACE, RETRY_AFTER_FAILURE_S, Counts, RateLimit
from tests.faults.test_redis_down import PrivateRedis

REDIS_URL = (
    "redis://127.0.0.1:6379/1"  # the production profile's REDIS_DB (scripts/production-env.sh)
)
BURST, PER_MINUTE = 5, 6  # a window of 50 s: nothing expires during a test


@pytest.fixture
def name() -> Iterator[str]:
    """A limit name of this test's own; its keys are deleted afterwards."""
    fresh = f"test-{uuid.uuid4().hex}"
    yield fresh
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{NAMESPACE}/{fresh}/*"))
    if keys:
        client.delete(*keys)


def replica(name: str, url: str = REDIS_URL) -> RateLimit:
    """The limit as one Rasa replica holds it: its own storage and connection pool."""
    return RateLimit(name, BURST, PER_MINUTE, Counts(url))


def test_two_replicas_share_one_budget(name: str) -> None:
    first, second = replica(name), replica(name)
    allowed = [limit.allow("ann") for _ in range(BURST + 3) for limit in (first, second)]
    assert allowed.count(True) == BURST, "not BURST on each replica"
    assert first.retry_after("ann") >= 1 and second.retry_after("ann") >= 1
    assert first.allow("bob"), "another visitor still has a budget"


def test_in_memory_each_replica_would_allow_the_burst_again() -> None:
    """What the shared budget fixes: counted per process, two replicas allow twice the limit."""
    first = RateLimit("visitor", BURST, PER_MINUTE, Counts("memory://"))
    second = RateLimit("visitor", BURST, PER_MINUTE, Counts("memory://"))
    allowed = [limit.allow("ann") for _ in range(BURST + 3) for limit in (first, second)]
    assert allowed.count(True) == 2 * BURST


def _hits(name: str, count: int, start: float) -> int:
    limit = replica(name)
    time.sleep(max(0.0, start - time.time()))
    return sum(limit.allow("ann") for _ in range(count))


def test_two_processes_hitting_at_once_get_one_burst_between_them(name: str) -> None:
    start = time.time() + 3.0  # both processes ready, then all at once
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        counts = pool.starmap(_hits, [(name, 20, start), (name, 20, start)])
    print(f"\nper process: {counts}")
    assert sum(counts) == BURST, counts


def test_a_visitors_keys_expire_with_the_window(name: str) -> None:
    limit = replica(name)
    limit.allow("ann")
    client = redis.Redis.from_url(REDIS_URL)
    (key,) = client.scan_iter(f"{NAMESPACE}/{name}/*")
    assert 0 < int(client.ttl(key)) <= limit.window.seconds


def test_redis_going_away_lets_visitors_through_and_its_return_limits_them_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server = PrivateRedis(tmp_path)
    server.start()
    now = [0.0]
    counts = Counts(f"redis://127.0.0.1:{server.port}/0", clock=lambda: now[0])
    limit = RateLimit("visitor", BURST, PER_MINUTE, counts)
    try:
        assert [limit.allow("ann") for _ in range(BURST + 1)][-1] is False
        with caplog.at_level(logging.INFO, logger="clinic.guard.rate_limit"):
            server.kill()
            assert all(limit.allow("ann") for _ in range(3)), "fail open: visitors answered"
            server.start()  # empty: a new window
            assert limit.allow("ann"), "not asked during the pause after a failure"
            now[0] += RETRY_AFTER_FAILURE_S
            assert [limit.allow("ann") for _ in range(BURST + 1)][-1] is False
        lines = [record.getMessage().split(" address=")[0] for record in caplog.records]
        assert lines == ["rate_limit storage_unavailable", "rate_limit storage_back"]
    finally:
        server.kill()

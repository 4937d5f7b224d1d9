"""Each visitor may send a burst of messages, then a steady pace; others are not affected.

Counted in memory here (`memory://`, as `make run` does); the shared Redis
budget of several replicas is tested in tests/integration/test_rate_limit_redis.py.
"""

from __future__ import annotations

import logging
import time

import pytest

from clinic.guard.rate_limit import (
    RETRY_AFTER_FAILURE_S,
    STORAGE_ENV,
    Counts,
    RateLimit,
    Window,
    configured_counts,
)
from tests.support.servers import free_port


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def in_memory(name: str, burst: int, per_minute: float) -> RateLimit:
    return RateLimit(name, burst, per_minute, Counts("memory://"))


def test_a_burst_is_allowed_then_refused_then_allowed_again_after_a_pause() -> None:
    limit = in_memory("visitor", burst=3, per_minute=180)  # 3 a second
    assert [limit.allow("ann") for _ in range(4)] == [True, True, True, False]
    assert limit.retry_after("ann") == 1
    time.sleep(1.1)
    assert limit.retry_after("ann") == 0
    assert limit.allow("ann")


def test_one_visitor_over_the_limit_does_not_slow_another() -> None:
    limit = in_memory("visitor", burst=2, per_minute=1)
    assert limit.allow("ann") and limit.allow("ann")
    assert not limit.allow("ann")
    assert limit.allow("bob")


def test_limits_of_different_names_count_apart_in_one_storage() -> None:
    counts = Counts("memory://")
    rest, widget = RateLimit("rest", 1, 1, counts), RateLimit("socketio", 1, 1, counts)
    assert rest.allow("ann") and widget.allow("ann")
    assert not rest.allow("ann") and not widget.allow("ann")


def test_a_burst_of_zero_switches_the_limit_off() -> None:
    limit = in_memory("visitor", burst=0, per_minute=1)
    assert all(limit.allow("ann") for _ in range(1000))
    assert limit.retry_after("ann") == 0


@pytest.mark.parametrize(
    ("burst", "per_minute", "seconds"),
    [(20, 30, 40), (300, 600, 30), (5, 12, 25), (3, 180, 1), (1, 7, 9), (1, 600, 1)],
)
def test_the_window_keeps_the_burst_and_at_most_the_pace(
    burst: int, per_minute: int, seconds: int
) -> None:
    window = Window.of(burst, per_minute)
    assert window == Window(burst, seconds)
    # Over a long time the window allows no more than the pace.
    assert window.burst / window.seconds <= per_minute / 60


def test_nonsense_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        in_memory("visitor", burst=1, per_minute=0)
    with pytest.raises(ValueError):
        in_memory("visitor", burst=-1, per_minute=10)


def test_memory_is_the_default_and_each_limit_counts_alone_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(STORAGE_ENV, raising=False)
    first, second = RateLimit("visitor", 1, 1), RateLimit("visitor", 1, 1)
    assert first.counts.address == "memory://"
    assert first.allow("ann") and second.allow("ann"), "two channels, two budgets"


def test_one_redis_url_is_one_storage_for_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    monkeypatch.setenv(STORAGE_ENV, f"redis://:secret@127.0.0.1:{port}/3")
    assert configured_counts() is configured_counts()
    assert configured_counts().address == f"redis://127.0.0.1:{port}/3", "no password in logs"


def test_an_unreachable_redis_lets_visitors_through_with_one_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    counts = Counts(f"redis://127.0.0.1:{free_port()}/0", clock=clock)  # nothing listens
    limit = RateLimit("visitor", 1, 1, counts)
    with caplog.at_level(logging.INFO, logger="clinic.guard.rate_limit"):
        assert all(limit.allow("ann") for _ in range(5))
        assert limit.retry_after("ann") == 0
        clock.now += RETRY_AFTER_FAILURE_S  # asked again after the pause: still down
        assert limit.allow("ann")
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 1 and lines[0].startswith("rate_limit storage_unavailable")
    assert caplog.records[0].levelno == logging.WARNING
    assert "127.0.0.1" in lines[0] and "ConnectionError" in lines[0]

"""Each visitor may send a burst of messages, then a steady pace; others are not affected."""

from __future__ import annotations

import pytest

from clinic.guard.rate_limit import TokenBucketLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_allowed_then_refused_then_allowed_again_after_a_pause() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(burst=3, per_minute=6, clock=clock)  # one every 10 s
    assert [limiter.allow("ann") for _ in range(4)] == [True, True, True, False]
    assert limiter.retry_after("ann") == 10
    clock.now += 5
    assert not limiter.allow("ann")
    clock.now += 5
    assert limiter.allow("ann")
    assert not limiter.allow("ann")


def test_one_visitor_over_the_limit_does_not_slow_another() -> None:
    limiter = TokenBucketLimiter(burst=2, per_minute=1, clock=Clock())
    assert limiter.allow("ann") and limiter.allow("ann")
    assert not limiter.allow("ann")
    assert limiter.allow("bob")


def test_a_long_pause_refills_only_up_to_the_burst() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(burst=2, per_minute=60, clock=clock)
    clock.now += 3600
    assert [limiter.allow("ann") for _ in range(3)] == [True, True, False]


def test_a_burst_of_zero_switches_the_limit_off() -> None:
    limiter = TokenBucketLimiter(burst=0, per_minute=1, clock=Clock())
    assert all(limiter.allow("ann") for _ in range(1000))
    assert limiter.retry_after("ann") == 0


def test_memory_is_bounded_by_dropping_the_least_recently_seen() -> None:
    limiter = TokenBucketLimiter(burst=1, per_minute=1, max_keys=3, clock=Clock())
    for key in ("a", "b", "c", "d"):
        limiter.allow(key)
    assert len(limiter) == 3
    assert limiter.allow("a")  # forgotten, so a full bucket again
    assert not limiter.allow("d")


def test_nonsense_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        TokenBucketLimiter(burst=1, per_minute=0)

"""Slowing guessing per address and per account, with no lock a stranger can set."""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from staff.db import SIGN_IN_FAILURES
from staff.throttle import (
    BY_ACCOUNT,
    BY_ADDRESS,
    KNOWN_FOR_S,
    WINDOW_S,
    Attempt,
    Rule,
    address_key,
    begin_attempt,
    proved_right,
    signed_in,
)
from tests.unit.staff.helpers import NOW

STRANGER = "203.0.113.7"
OWNER_HOME = "198.51.100.20"
OWNER_PHONE = "192.0.2.55"


def fail(engine: sa.engine.Engine, name: str, address: str, at: float) -> Attempt:
    """One attempt that turns out wrong (it stays written down)."""
    attempt = begin_attempt(engine, name, address, now=at)
    assert attempt.allowed, f"refused at {at - NOW:+.0f} s, wait {attempt.wait_s} s"
    return attempt


def fail_when_allowed(engine: sa.engine.Engine, name: str, address: str, at: float) -> float:
    """An attacker who waits as long as told, then fails; returns the time after."""
    attempt = begin_attempt(engine, name, address, now=at)
    if not attempt.allowed:
        at += attempt.wait_s
        fail(engine, name, address, at)
    return at + 0.01


def failures(engine: sa.engine.Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(sa.select(sa.func.count()).select_from(SIGN_IN_FAILURES)).scalar()
            or 0
        )


def test_waits_double_after_the_free_failures_up_to_the_cap() -> None:
    rule = Rule(free=3, first_wait_s=1.0, longest_wait_s=60.0)
    assert [rule.wait_after(n) for n in range(10)] == [0, 0, 0, 1, 2, 4, 8, 16, 32, 60]
    assert rule.wait_after(10**6) == 60.0, "no overflow, however many"
    assert rule.wait_now(4, last_at=NOW, now=NOW + 0.5) == 1.5
    assert rule.wait_now(4, last_at=NOW, now=NOW + 5) == 0.0


@given(st.integers(min_value=0, max_value=10_000))
def test_waits_never_shrink_as_failures_grow(failures_so_far: int) -> None:
    for rule in (BY_ADDRESS, BY_ACCOUNT):
        assert rule.wait_after(failures_so_far + 1) >= rule.wait_after(failures_so_far)
        assert rule.wait_after(failures_so_far) <= 15 * 60


def test_one_address_hammering_many_accounts_is_slowed_with_growing_waits(
    engine: sa.engine.Engine,
) -> None:
    at = NOW
    for n in range(BY_ADDRESS.free):
        fail(engine, f"guess{n}", STRANGER, at)
    waits = []
    for n in range(4):
        refused = begin_attempt(engine, f"other{n}", STRANGER, now=at)
        assert not refused.allowed, "a new name each time makes no difference"
        waits.append(refused.wait_s)
        at += refused.wait_s  # waits as told, then fails again
        fail(engine, f"other{n}", STRANGER, at)
    assert waits == [1, 2, 4, 8]
    assert begin_attempt(engine, "carol", OWNER_HOME, now=at).allowed, "other addresses go on"


def test_a_strangers_failures_from_one_address_never_slow_the_owner_elsewhere(
    engine: sa.engine.Engine,
) -> None:
    at = NOW
    for _ in range(40):  # waiting out every delay the stranger is given
        at = fail_when_allowed(engine, "alice", STRANGER, at)
    assert not begin_attempt(engine, "alice", STRANGER, now=at).allowed
    # The owner, from an address never seen before, is not slowed at all.
    owner = begin_attempt(engine, "alice", OWNER_PHONE, now=at)
    assert owner.allowed and owner.wait_s == 0


def test_failures_on_an_account_from_many_addresses_slow_new_addresses_but_not_known_ones(
    engine: sa.engine.Engine,
) -> None:
    signed_in(engine, "alice", OWNER_HOME, now=NOW - 86400)
    at = NOW
    for n in range(BY_ACCOUNT.free + 4):
        at = fail_when_allowed(engine, "alice", f"10.0.{n}.1", at)  # a botnet, one try each
    from_new = begin_attempt(engine, "alice", "10.9.9.9", now=at)
    assert not from_new.allowed
    assert from_new.wait_s == BY_ACCOUNT.wait_after(BY_ACCOUNT.free + 4)
    assert begin_attempt(engine, "ALICE", "10.9.9.9", now=at).allowed is False, "any case"
    # The owner at home still gets an attempt, at once.
    assert begin_attempt(engine, "alice", OWNER_HOME, now=at).allowed
    assert begin_attempt(engine, "bob", "10.9.9.9", now=at).allowed, "other accounts go on"


def test_a_known_address_is_forgotten_after_its_time(engine: sa.engine.Engine) -> None:
    signed_in(engine, "alice", OWNER_HOME, now=NOW - KNOWN_FOR_S - 1)
    at = NOW
    for n in range(BY_ACCOUNT.free + 2):
        at = fail_when_allowed(engine, "alice", f"10.0.{n}.1", at)
    assert not begin_attempt(engine, "alice", OWNER_HOME, now=at).allowed


def test_a_right_attempt_is_struck_out_and_signing_in_forgets_own_typos(
    engine: sa.engine.Engine,
) -> None:
    for n in range(3):
        fail(engine, "alice", OWNER_HOME, NOW + n)
    fail(engine, "alice", STRANGER, NOW + 3)
    fail(engine, "bob", OWNER_HOME, NOW + 4)
    right = begin_attempt(engine, "alice", OWNER_HOME, now=NOW + 5)
    assert right.allowed and failures(engine) == 6
    proved_right(engine, right)
    assert failures(engine) == 5
    signed_in(engine, "Alice".lower(), OWNER_HOME, now=NOW + 6)
    assert failures(engine) == 2, "the stranger's and bob's stay"


def test_a_refused_attempt_is_not_counted(engine: sa.engine.Engine) -> None:
    for n in range(BY_ADDRESS.free):
        fail(engine, f"n{n}", STRANGER, NOW)
    before = failures(engine)
    for _ in range(50):
        assert not begin_attempt(engine, "x", STRANGER, now=NOW + 0.1).allowed
    assert failures(engine) == before
    # ...so the wait after the free failures is still the first one.
    assert begin_attempt(engine, "x", STRANGER, now=NOW + BY_ADDRESS.first_wait_s).allowed


def test_simultaneous_guesses_get_one_try_between_them(engine: sa.engine.Engine) -> None:
    for n in range(BY_ADDRESS.free):
        fail(engine, f"n{n}", STRANGER, NOW)
    at = NOW + BY_ADDRESS.first_wait_s
    # Each attempt is written before it is judged, so the burst's first one is the only one.
    burst = [begin_attempt(engine, f"b{n}", STRANGER, now=at) for n in range(20)]
    assert sum(attempt.allowed for attempt in burst) == 1


def test_failures_are_forgotten_after_a_day(engine: sa.engine.Engine) -> None:
    at = NOW
    for n in range(BY_ADDRESS.free + 10):
        at = fail_when_allowed(engine, f"n{n}", STRANGER, at)
    assert not begin_attempt(engine, "x", STRANGER, now=at).allowed
    later = begin_attempt(engine, "x", STRANGER, now=at + WINDOW_S)
    assert later.allowed
    assert failures(engine) == 1, "the old rows are deleted as new ones are written"


def test_ipv6_addresses_count_by_their_64() -> None:
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::9")
    assert address_key("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert address_key("203.0.113.7") == "203.0.113.7"
    assert address_key("unknown") == "unknown"
    assert len(address_key("x" * 500)) == 64

"""The tracker cache figures: reuse distances and hit rates of an LRU replay."""

from __future__ import annotations

import random
from collections import OrderedDict

from bench.tracker_cache import first_messages, hit_rate, hit_rates, load_level, reuse_distances


def _lru_distances(order: list[str]) -> list[int]:
    """The plain way: the conversation's place from the newest end of an LRU list."""
    cache: OrderedDict[str, None] = OrderedDict()
    distances = []
    for sender in order:
        if sender in cache:
            distances.append(list(reversed(cache)).index(sender))
            cache.move_to_end(sender)
        else:
            cache[sender] = None
    return distances


def test_a_visitor_alone_always_finds_their_conversation_in_memory() -> None:
    assert reuse_distances(["a", "a", "a"]) == [0, 0]
    assert hit_rate(reuse_distances(["a", "a", "a"]), 1) == 1.0


def test_each_other_conversation_that_spoke_in_between_counts_once() -> None:
    assert reuse_distances(["a", "b", "c", "b", "a"]) == [1, 2]
    distances = reuse_distances(["a", "b", "c", "b", "a"])
    assert hit_rate(distances, 2) == 0.5  # "a" had been pushed out of a cache of two
    assert hit_rate(distances, 3) == 1.0


def test_distances_match_a_real_lru_list_on_a_long_random_run() -> None:
    rng = random.Random(24)
    order = [f"v{rng.randrange(40)}" for _ in range(2000)]
    assert reuse_distances(order) == _lru_distances(order)


def test_hit_rates_are_reported_per_bench_load_level() -> None:
    order = [f"bench-project-rest-run1-{n % 2}-0" for n in range(12)]
    order += [f"bench-project-rest-run2-{n % 3}-0" for n in range(15)]
    order += ["bench-startup-abc"]
    rows = {row["level"]: row for row in hit_rates(order, sizes=(1, 3))}
    assert set(rows) == {"bench-project-rest-run1", "bench-project-rest-run2"}
    assert rows["bench-project-rest-run2"]["largest_distance"] == 2
    assert rows["bench-project-rest-run2"]["hit_rate"] == {1: 0.0, 3: 1.0}
    assert load_level("someone") == "someone"


def test_the_first_messages_stop_before_the_next_one() -> None:
    events = [{"event": kind} for kind in ("action", "user", "bot", "user", "bot", "user")]
    assert first_messages(events, 2) == events[:5]
    assert first_messages(events, 5) == events

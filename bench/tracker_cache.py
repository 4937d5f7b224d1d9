"""What the tracker store's cache costs and saves: memory, a miss's read, hit rates.

    python -m bench.tracker_cache [--db build/bench/project/trackers.db]

Reads a tracker store that `make bench` or `make bench-soak` filled (real
events from the bot) in this process, in a few seconds, and prints:

- the memory one cached tracker holds (tracemalloc), for the first three
  messages of the store's conversations and for 80 events, the most the store
  keeps before cutting a tracker back to its window;
- a miss against a hit: retrieving a windowed tracker from SQLite for a
  conversation of 30 and of 200 events (timeit, on a copy of the database);
- the hit rate of a visitor's next message for several cache sizes, replaying
  the order in which the conversations sent their messages through an LRU
  cache, per load level of the run.

The figures and what was chosen from them are in bench/README.md ("The
tracker cache").
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import shutil
import sqlite3
import tempfile
import timeit
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from tests.support.servers import ROOT

DEFAULT_DB = ROOT / "build" / "bench" / "project" / "trackers.db"
CACHE_SIZES = (25, 50, 100, 200, 500, 5000)
MISS_EVENTS = (30, 200)
SAMPLE = 150  # conversations whose trackers are measured


def message_order(db: Path) -> list[str]:
    """The conversation of each visitor message, in the order the store received them."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT sender_id FROM events WHERE type_name = 'user' ORDER BY id"
        )
        return [sender for (sender,) in rows]


def reuse_distances(order: Iterable[str]) -> list[int]:
    """For each message after a conversation's first: how many other conversations spoke since.

    An LRU cache of `n` conversations serves that message from memory exactly
    when this distance is below `n`. A Fenwick tree over message positions
    marks each conversation's latest message, so a distance is a range count.
    """
    senders = list(order)
    tree = [0] * (len(senders) + 1)

    def add(position: int, delta: int) -> None:
        position += 1
        while position < len(tree):
            tree[position] += delta
            position += position & -position

    def count_up_to(position: int) -> int:  # marks at positions 0..position-1
        total = 0
        while position > 0:
            total += tree[position]
            position -= position & -position
        return total

    latest: dict[str, int] = {}
    distances: list[int] = []
    for position, sender in enumerate(senders):
        previous = latest.get(sender)
        if previous is not None:
            distances.append(count_up_to(position) - count_up_to(previous + 1))
            add(previous, -1)
        add(position, 1)
        latest[sender] = position
    return distances


def hit_rate(distances: list[int], size: int) -> float:
    """Share (0..1) of next messages an LRU cache of `size` conversations serves from memory."""
    if not distances:
        return 0.0
    return sum(distance < size for distance in distances) / len(distances)


def load_level(sender: str) -> str:
    """The bench run a conversation belongs to (`bench-<system>-<transport>-<run>`), else itself."""
    parts = sender.split("-")
    return "-".join(parts[:4]) if len(parts) == 6 and parts[0] == "bench" else sender


def hit_rates(order: list[str], sizes: Iterable[int] = CACHE_SIZES) -> list[dict[str, Any]]:
    """Per load level of the run: conversations, messages, the largest distance, hit rates."""
    levels: dict[str, list[str]] = {}
    for sender in order:
        levels.setdefault(load_level(sender), []).append(sender)
    rows = []
    for level, senders in levels.items():
        distances = reuse_distances(senders)
        if len(distances) < 10:
            continue  # a start-up probe or a single conversation: nothing to learn
        rows.append(
            {
                "level": level,
                "conversations": len(set(senders)),
                "messages": len(senders),
                "largest_distance": max(distances),
                "hit_rate": {size: round(hit_rate(distances, size), 3) for size in sizes},
            }
        )
    return rows


def sample_conversations(db: Path, messages: int, limit: int) -> list[list[dict[str, Any]]]:
    """The events of up to `limit` conversations in which the visitor sent `messages` or more."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        senders = connection.execute(
            "SELECT sender_id FROM events WHERE type_name = 'user' GROUP BY sender_id "
            "HAVING count(*) >= ? ORDER BY min(id) LIMIT ?",
            (messages, limit),
        ).fetchall()
        return [
            [
                json.loads(data)
                for (data,) in connection.execute(
                    "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
                )
            ]
            for (sender,) in senders
        ]


def first_messages(events: list[dict[str, Any]], messages: int) -> list[dict[str, Any]]:
    """The events up to (not including) the visitor's message after the first `messages`."""
    seen = 0
    for index, event in enumerate(events):
        if event.get("event") == "user":
            seen += 1
            if seen > messages:
                return events[:index]
    return events


def kib_per_item(build: Callable[[int], object], count: int) -> float:
    """Memory (KiB) that each of `count` objects made by `build` keeps alive, by tracemalloc."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    kept = [build(number) for number in range(count)]
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    del kept
    return grown / count / 1024


def tracker_memory(conversations: list[list[dict[str, Any]]]) -> dict[str, float]:
    """KiB per cached tracker built from these events, and how much of it is what."""
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa_ext.stores.tracker_store import WindowedTracker

    domain = _domain()
    texts = [json.dumps(events) for events in conversations]

    def tracker(number: int) -> object:
        return WindowedTracker.from_dict(f"m{number}", json.loads(texts[number]), domain.slots)

    def parse_data(number: int) -> object:
        events = json.loads(texts[number])
        return [event["parse_data"] for event in events if event.get("event") == "user"]

    count = len(texts)
    return {
        "conversations": count,
        "events": round(sum(len(events) for events in conversations) / count, 1),
        "tracker_kib": round(kib_per_item(tracker, count), 1),
        "messages_parse_data_kib": round(kib_per_item(parse_data, count), 1),
        "empty_tracker_kib": round(
            kib_per_item(lambda n: DialogueStateTracker(f"e{n}", domain.slots), count), 1
        ),
    }


def miss_and_hit_ms(db: Path, events: Iterable[int] = MISS_EVENTS) -> list[dict[str, Any]]:
    """Retrieving a windowed tracker with and without the cache, on a copy of the database.

    The conversations are the first `events` events of the store's longest one
    (all of it, if it is shorter).
    """
    from rasa_ext.stores.tracker_store import WindowedSQLTrackerStore

    loop = asyncio.new_event_loop()
    stored: dict[int, int] = {}
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "trackers.db"
        shutil.copy(db, copy)
        with sqlite3.connect(copy) as connection:
            (longest,) = connection.execute(
                "SELECT sender_id FROM events GROUP BY sender_id ORDER BY count(*) DESC LIMIT 1"
            ).fetchone()
            columns = "type_name, timestamp, intent_name, action_name, data"
            for count in events:
                stored[count] = connection.execute(
                    f"INSERT INTO events (sender_id, {columns}) SELECT ?, {columns} FROM events "
                    "WHERE sender_id = ? ORDER BY id LIMIT ?",
                    (f"miss-{count}", longest, count),
                ).rowcount
        store = WindowedSQLTrackerStore(domain=_domain(), dialect="sqlite", db=str(copy))
        for count in events:
            sender = f"miss-{count}"
            served = loop.run_until_complete(store.retrieve(sender))

            def miss(sender: str = sender) -> None:
                store.forget(sender)
                loop.run_until_complete(store.retrieve(sender))

            def hit(sender: str = sender) -> None:
                loop.run_until_complete(store.retrieve(sender))

            rows.append(
                {
                    "events_stored": stored[count],
                    "events_served": len(served.events) if served else 0,
                    "miss_ms": round(min(timeit.repeat(miss, number=30, repeat=5)) / 30 * 1e3, 2),
                    "hit_ms": round(min(timeit.repeat(hit, number=100, repeat=5)) / 100 * 1e3, 2),
                }
            )
        store.engine.dispose()
    loop.close()
    return rows


def _domain() -> Any:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain.yml"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="a filled tracker store")
    arguments = parser.parse_args()
    if not arguments.db.exists():
        raise SystemExit(f"{arguments.db} does not exist: run make bench or make bench-soak first")
    conversations = sample_conversations(arguments.db, messages=3, limit=SAMPLE)
    samples = {"3 messages": [first_messages(events, 3) for events in conversations]}
    samples["80 events"] = [events[:80] for events in conversations if len(events) >= 80]
    print("Memory of one cached tracker (tracemalloc):")
    for name, sample in samples.items():
        if sample:
            figures = tracker_memory(sample)
            print(
                f"  {name} ({figures['events']} events, {figures['conversations']} conversations):"
                f" {figures['tracker_kib']} KiB, of which the messages' parse_data"
                f" {figures['messages_parse_data_kib']} KiB; an empty tracker (the domain's slots)"
                f" {figures['empty_tracker_kib']} KiB"
            )
    print("Retrieving a windowed tracker from SQLite (best of 5):")
    for row in miss_and_hit_ms(arguments.db):
        print(
            f"  {row['events_stored']} events ({row['events_served']} served):"
            f" miss {row['miss_ms']} ms, hit {row['hit_ms']} ms"
        )
    print("A visitor's next message served from memory, by cache size (LRU replay):")
    for row in hit_rates(message_order(arguments.db)):
        rates = ", ".join(f"{size}: {rate:.1%}" for size, rate in row["hit_rate"].items())
        print(
            f"  {row['level']} ({row['conversations']} conversations, {row['messages']} messages,"
            f" largest distance {row['largest_distance']}): {rates}"
        )


if __name__ == "__main__":
    main()

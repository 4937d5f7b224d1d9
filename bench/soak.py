"""`make bench-soak`: does the Rasa server's memory stay flat over a long run?

    python -m bench.soak --minutes 10 --visitors 20 --turns-per-conversation 3

Starts this bot as `make bench` does (bench/systems.py: the action server and
Rasa as `make run` starts them, with the windowed SQLite tracker store, the
rate limits off), waits for a first answer and records the Rasa server's
resident memory (VmRSS) then and every `--sample-seconds`. Meanwhile
`--visitors` REST visitors talk without pause, each starting a new
conversation every `--turns-per-conversation` messages (the first turns of
bench/conversations.yml, taken in turn), until `--minutes` have passed.

It prints and writes bench/results/soak.json: the RSS after start-up and at
the end, the growth (target, issue 24: at most 100 MB), the growth over the
second half, messages, conversations, errors, latency, the series, and the
share of visitors' next messages the tracker cache served, replayed from the
run's tracker store (bench/tracker_cache.py). `--cache-size` runs the
tracker store with another cache size, to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import platform
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aiohttp

from bench import load, systems, tracker_cache
from tests.support.servers import ROOT

RESULTS = ROOT / "bench" / "results" / "soak.json"
GROWTH_TARGET_MB = 100.0
# After an error the visitor waits this long before its next conversation, so
# a stopped server is not hammered.
PAUSE_AFTER_ERROR_S = 1.0


@dataclass
class Tally:
    """What the visitors did so far."""

    messages: int = 0
    conversations: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def conversation_turns(script: list[str], turns: int) -> list[str]:
    """The first `turns` messages of a scripted conversation (from its start again if shorter)."""
    return list(itertools.islice(itertools.cycle(script), turns))


def summarize(series: list[dict[str, Any]]) -> dict[str, Any]:
    """Start, end, growth, largest and second-half growth of the Rasa server's RSS samples."""
    if not series:
        raise ValueError("no memory samples")
    rss = [sample["rss_mb"] for sample in series]
    halfway = series[-1]["at_s"] / 2
    middle = min(series, key=lambda sample: abs(sample["at_s"] - halfway))
    growth = rss[-1] - rss[0]
    return {
        "start_rss_mb": rss[0],
        "end_rss_mb": rss[-1],
        "growth_mb": round(growth, 1),
        "largest_rss_mb": max(rss),
        "second_half_growth_mb": round(rss[-1] - middle["rss_mb"], 1),
        "verdict": "pass" if growth <= GROWTH_TARGET_MB else "FAIL",
    }


async def visitor(
    http: aiohttp.ClientSession,
    url: str,
    number: int,
    name: str,
    scripts: list[list[str]],
    turns: int,
    until: float,
    tally: Tally,
) -> None:
    """One visitor: conversation after conversation of `turns` messages until `until`."""
    client = load.RestVisitor(http, url)
    for conversation in itertools.count():
        if time.monotonic() >= until:
            return
        await client.start(f"{name}-{number}-{conversation}")
        tally.conversations += 1
        script = scripts[(number + conversation) % len(scripts)]
        try:
            for text in conversation_turns(script, turns):
                if time.monotonic() >= until:
                    return
                began = time.perf_counter()
                replies = await client.say(text, None)
                tally.latencies.append(time.perf_counter() - began)
                tally.messages += 1
                if replies == 0:
                    tally.errors.append(f"no reply to {text!r}")
        except Exception as error:
            tally.errors.append(f"{type(error).__name__}: {error}"[:200])
            await asyncio.sleep(PAUSE_AFTER_ERROR_S)


def sample(system: systems.System, began: float, tally: Tally) -> dict[str, Any]:
    """The memory of each process now, with what the visitors had done by then."""
    rss = system.rss_mb()
    return {
        "at_s": round(time.monotonic() - began, 1),
        "rss_mb": rss["rasa"],
        "actions_rss_mb": rss["actions"],
        "messages": tally.messages,
        "conversations": tally.conversations,
        "errors": len(tally.errors),
    }


async def soak(
    system: systems.System,
    name: str,
    minutes: float,
    visitors: int,
    turns: int,
    every_s: float,
) -> tuple[list[dict[str, Any]], Tally, float]:
    """The RSS series, the visitors' tally and the seconds they talked.

    Visitor `n`'s conversation `c` is called `<name>-<n>-<c>`.
    """
    await load.first_answer(system.url, deadline_s=300)
    tally = Tally()
    began = time.monotonic()
    series = [sample(system, began, tally)]
    print(f"  after start-up: Rasa {series[0]['rss_mb']} MB", flush=True)

    async def sample_every() -> None:
        while True:
            await asyncio.sleep(every_s)
            series.append(sample(system, began, tally))
            latest = series[-1]
            print(
                f"  {latest['at_s']:6.0f} s: Rasa {latest['rss_mb']} MB, "
                f"{latest['messages']} messages, {latest['errors']} errors",
                flush=True,
            )

    until = began + minutes * 60
    scripts = load.load_conversations()
    sampler = asyncio.create_task(sample_every())
    connector = aiohttp.TCPConnector(limit=visitors + 5)
    timeout = aiohttp.ClientTimeout(total=load.TURN_TIMEOUT_S)
    try:
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
            await asyncio.gather(
                *(
                    visitor(http, system.url, number, name, scripts, turns, until, tally)
                    for number in range(visitors)
                )
            )
    finally:
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
    talked = time.monotonic() - began
    series.append(sample(system, began, tally))
    return series, tally, talked


def cache_figures(db: Path, name: str, cache_size: int) -> dict[str, Any]:
    """The share of the visitors' next messages a cache of `cache_size` served.

    Replayed from the run's tracker store: the conversations called `<name>-…`.
    """
    order = [sender for sender in tracker_cache.message_order(db) if sender.startswith(name)]
    distances = tracker_cache.reuse_distances(order)
    return {
        "size": cache_size,
        "next_message_hit_rate": round(tracker_cache.hit_rate(distances, cache_size), 4),
        "largest_distance": max(distances, default=0),
    }


def results(
    arguments: argparse.Namespace,
    series: list[dict[str, Any]],
    tally: Tally,
    talked_s: float,
    cache: dict[str, Any],
) -> dict[str, Any]:
    """What soak.json holds."""
    latencies_ms = [latency * 1000 for latency in tally.latencies]
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "settings": {
            "minutes": arguments.minutes,
            "visitors": arguments.visitors,
            "turns_per_conversation": arguments.turns_per_conversation,
            "sample_seconds": arguments.sample_seconds,
            "cache_size": cache["size"],
        },
        **summarize(series),
        "growth_target_mb": GROWTH_TARGET_MB,
        "messages": tally.messages,
        "conversations": tally.conversations,
        "errors": len(tally.errors),
        "error_examples": tally.errors[:3],
        "throughput_msg_s": round(tally.messages / talked_s, 1) if talked_s else 0.0,
        "p50_ms": round(load.percentile(latencies_ms, 50), 1) if latencies_ms else None,
        "p95_ms": round(load.percentile(latencies_ms, 95), 1) if latencies_ms else None,
        "actions_rss_mb": {
            "start": series[0]["actions_rss_mb"],
            "end": series[-1]["actions_rss_mb"],
        },
        "tracker_cache": cache,
        "series": series,
    }


def default_cache_size() -> int:
    """The tracker store's own cache size (importing the store imports Rasa: a few seconds)."""
    from rasa_ext.stores.tracker_store import DEFAULT_CACHE_SIZE

    return DEFAULT_CACHE_SIZE


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--minutes", type=float, default=10.0, help="how long visitors talk")
    parser.add_argument("--visitors", type=int, default=20, help="visitors at once")
    parser.add_argument(
        "--turns-per-conversation",
        type=int,
        default=3,
        help="messages before a visitor starts a new conversation",
    )
    parser.add_argument(
        "--sample-seconds", type=float, default=30.0, help="seconds between RSS samples"
    )
    parser.add_argument(
        "--cache-size", type=int, help="the tracker store's cache_size (default: the store's)"
    )
    arguments = parser.parse_args()
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0"}
    settings = {} if arguments.cache_size is None else {"cache_size": arguments.cache_size}
    model = systems.latest_model(ROOT / "models")
    print(
        f"Soak: {arguments.visitors} REST visitors for {arguments.minutes:g} minutes, a new "
        f"conversation every {arguments.turns_per_conversation} messages",
        flush=True,
    )
    system = systems.start_bot("soak", model, False, env, store_settings=settings)
    name = f"bench-soak-rest-{uuid.uuid4().hex[:8]}"  # bench.tracker_cache groups by it
    try:
        series, tally, talked_s = asyncio.run(
            soak(
                system,
                name,
                arguments.minutes,
                arguments.visitors,
                arguments.turns_per_conversation,
                arguments.sample_seconds,
            )
        )
    finally:
        system.stop()
    cache_size = arguments.cache_size if arguments.cache_size is not None else default_cache_size()
    cache = cache_figures(systems.WORK / "soak" / "trackers.db", name, cache_size)
    found = results(arguments, series, tally, talked_s, cache)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    print(
        f"\nRasa RSS {found['start_rss_mb']} MB after start-up, {found['end_rss_mb']} MB at the "
        f"end: {found['growth_mb']:+} MB ({found['second_half_growth_mb']:+} MB in the second "
        f"half; target at most +{GROWTH_TARGET_MB:g} MB: {found['verdict']})\n"
        f"{found['messages']} messages, {found['conversations']} conversations, "
        f"{found['errors']} errors, {found['throughput_msg_s']} msg/s, p50 {found['p50_ms']} ms, "
        f"p95 {found['p95_ms']} ms; next messages served from the tracker cache "
        f"({cache_size}): {cache['next_message_hit_rate']:.1%}\n"
        f"Results: {RESULTS.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()

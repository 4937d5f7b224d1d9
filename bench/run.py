"""`make bench`: this project's bot under load, side by side with stock Rasa and the HTTP floor.

One run measures latency (p50/p95/p99) and throughput at 1, 10 and 50 visitors
over REST and socket.io, start-up time, training time, peak memory and the
cost of a long conversation, for these systems: this project ("project"),
the same data and domain trained with `rasa init`'s configuration ("stock"),
the least any Rasa bot costs ("rasa-floor": a keyword classifier, rules only,
the in-memory store, Rasa's REST channel) and an echo server ("floor").
Results: bench/results/bench.json and .png.

`--smoke` (what CI runs) is a few conversations against the project and the
floor only, and fails on any error: it keeps the benchmark working, it does
not measure anything worth quoting.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bench import load, report, systems
from tests.support.servers import ROOT

RESULTS = Path(__file__).with_name("results")


def settings(smoke: bool) -> dict[str, Any]:
    if smoke:
        return {
            "levels": {1: 1, 5: 1},
            "long_turns": 20,
            "systems": ["project", "rasa-floor", "floor"],
        }
    return {
        # visitors: conversations each. One visitor gets 20 (200 messages): with
        # 4, p50 moved by several ms between runs and p99 was the slowest turn.
        "levels": {1: 20, 10: 3, 50: 2},
        "long_turns": 200,
        "systems": ["project", "project-2workers", "stock", "rasa-floor", "floor"],
    }


def environment() -> dict[str, str]:
    return {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0"}


def measure_training(smoke: bool) -> dict[str, Any]:
    """From scratch (a separate output folder, --force) and for an unchanged project."""
    figures: dict[str, Any] = {}
    if not smoke:
        figures["scratch_s"] = round(
            systems.train(ROOT / "config.yml", systems.WORK / "models-scratch", force=True), 1
        )
        figures["project_s"] = figures["scratch_s"]
        # Rasa's own check (fingerprints) on the same output folder.
        figures["unchanged_rasa_train_s"] = round(
            systems.train(ROOT / "config.yml", systems.WORK / "models-scratch", force=False), 1
        )
    subprocess.run(["make", "-s", "train"], cwd=ROOT, check=True, capture_output=True)
    began = time.perf_counter()
    subprocess.run(["make", "-s", "train"], cwd=ROOT, check=True, capture_output=True)
    figures["unchanged_s"] = round(time.perf_counter() - began, 2)
    return figures


def stock_model(training: dict[str, Any], rasa: list[str] = systems.RASA) -> Path:
    """Train (or reuse, when nothing changed) the model with `rasa init`'s configuration."""
    folder = systems.WORK / "models-stock"
    before = set(folder.glob("*.tar.gz"))
    config = systems.stock_config(systems.WORK / "stock-config.yml")
    seconds = systems.train(config, folder, force=False, rasa=rasa)
    if set(folder.glob("*.tar.gz")) - before:
        training["stock_s"] = round(seconds, 1)
    else:
        training["stock_s"] = "reused (unchanged since an earlier run)"
    return systems.latest_model(folder)


async def measure_system(
    system: systems.System, levels: dict[int, int], long_turns: int
) -> dict[str, Any]:
    figures: dict[str, Any] = {"load": []}
    await load.first_answer(system.url, deadline_s=300)
    figures["startup_s"] = round(time.perf_counter() - system.launched_at, 1)
    await load.run_load(system.url, "rest", 2, 1, f"{system.name}-warmup")
    expected: dict[tuple[int, int], int] = {}
    rest_only = system.name.endswith("workers") or system.name == "rasa-floor"
    transports = ("rest",) if rest_only else ("rest", "socketio")
    for transport in transports:
        for visitors, conversations in levels.items():
            result = await load.run_load(
                system.url, transport, visitors, conversations, system.name, expected
            )
            if transport == "rest" and visitors == 1:
                expected = dict(result.replies)
            row = {"system": system.name, **result.summary()}
            figures["load"].append(row)
            print(
                f"  {system.name:8} {transport:8} {visitors:3} visitors: p50 {row['p50_ms']} ms, "
                f"{row['throughput_msg_s']} msg/s, {row['errors']} errors",
                flush=True,
            )
            if not result.latencies:
                # Not one answer (stock's socket.io on python-socketio 5.18): more
                # visitors would only wait out the same timeouts, minutes of them.
                figures.setdefault("skipped", []).append(
                    {"transport": transport, "after_visitors": visitors, "why": "no reply at all"}
                )
                print(f"  {system.name:8} {transport:8} no reply at all: more visitors skipped")
                break
    if system.name in ("project", "stock"):
        latencies = [
            s * 1000 for s in await load.long_conversation(system.url, system.name, long_turns)
        ]
        early_turns = list(range(2, 7))
        late_turns = load.same_question_turns(early_turns, len(load.long_questions()), long_turns)
        early = statistics.median(latencies[turn] for turn in early_turns)
        late = statistics.median(latencies[turn] for turn in late_turns)
        figures["long"] = {
            "turns": long_turns,
            "late_turns": late_turns,
            "message_5_ms": round(early, 1),
            "last_message_ms": round(late, 1),
            "ratio": round(late / early, 2),
        }
    figures["peak_rss_mb"] = system.peak_rss_mb()
    return figures


def start(name: str, env: dict[str, str], training: dict[str, Any]) -> systems.System:
    if name == "project":
        return systems.start_bot("project", systems.latest_model(ROOT / "models"), False, env)
    if name == "project-2workers":
        model = systems.latest_model(ROOT / "models")
        return systems.start_bot(name, model, False, env, workers=2)
    if name == "rasa-floor":
        return systems.start_rasa_floor(env)
    if name == "stock":
        rasa, versions = systems.stock_rasa()
        training["stock_install"] = versions
        model = stock_model(training, rasa)
        return systems.start_bot("stock", model, True, env, rasa=rasa)
    return systems.start_floor(env)


async def run(smoke: bool, only: list[str], previous: dict[str, Any]) -> dict[str, Any]:
    plan = settings(smoke)
    env = environment()
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    results: dict[str, Any] = {
        "date": now,
        "mode": "smoke" if smoke else "full",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load": [],
    }
    if only:  # re-measure some systems, keep the rest of the previous run
        results = {**previous, "load": [r for r in previous["load"] if r["system"] not in only]}
        results.setdefault("remeasured", []).append({"date": now, "only": only})
    if not only or "training" in only:
        print("Training…", flush=True)
        # Stock's training figures stay unless stock itself is re-measured.
        results["training"] = {**results.get("training", {}), **measure_training(smoke)}
    for name in [name for name in only or plan["systems"] if name != "training"]:
        print(f"{name}:", flush=True)
        # With `--only`, starting stock must not overwrite the full run's stock training figures.
        training = dict(results["training"]) if only else results["training"]
        system = start(name, env, training)
        try:
            figures = await measure_system(system, plan["levels"], plan["long_turns"])
        finally:
            system.stop()
        results["load"] += figures.pop("load")
        results[name] = figures
    results["targets"] = report.check_targets(results)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="a few requests, for CI")
    parser.add_argument(
        "--only",
        nargs="*",
        default=[],
        help="re-measure these systems (and/or 'training': this project's) into the last results",
    )
    arguments = parser.parse_args()
    smoke = arguments.smoke
    out = systems.WORK / "smoke" if smoke else RESULTS
    previous = json.loads((out / "bench.json").read_text()) if arguments.only else {}
    results = asyncio.run(run(smoke, arguments.only, previous))
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    report.chart(results, out / "bench.png")
    print()
    print(report.render(results))
    print(f"\nResults: {out / 'bench.json'}, chart: {out / 'bench.png'}")
    errors = sum(row["errors"] for row in results["load"])
    if smoke and errors:
        sys.exit(f"smoke benchmark: {errors} errors")


if __name__ == "__main__":
    main()

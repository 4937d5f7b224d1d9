"""The staff console's page times on a store of 10,000 conversations (200,000+ events).

Seeds a tracker store with bench/console_seed.py, starts the real web app on
it (`python -m web.app`), signs a staff account in over HTTP, times the first
index of every event, then each page 20 times (after the index has caught up:
what a page costs on a busy day) and reports p50/p95. Runs on SQLite (the
embedded default) and, when the machine's PostgreSQL is reachable, on a
scratch database there (the production profile's store).

    python -m bench.console [--conversations 10000]   # `make bench-console`
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa
import yaml

from bench.console_seed import seed
from clinic import environment
from staff.accounts import add_account
from staff.db import create_tables
from staff.indexer import index_new_events

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "console.json"
DEFAULT_CONVERSATIONS = 10_000  # other sizes write console-<n>.json beside it
PAGES = (
    "/staff/overview?period=day",
    "/staff/overview?period=week",
    "/staff/overview?period=month",
    "/staff/unanswered?period=month",
    "/staff/unanswered/group?key=does+it+hurt&period=month",
    "/staff/feedback?period=month",
    "/staff/safety",
    "/staff/safety?show=all&page=3",
    "/staff/conversations",
    "/staff/conversations?q=price",
    "/staff/conversations?outcome=safety&page=5",
    "/staff/conversations?page=200",
    "/staff/overview.csv?period=month",
)
POSTGRES_ADMIN = environment.BENCH_POSTGRES.get()
PASSWORD = "bench password, not a real one"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _store(kind: str, workdir: Path) -> tuple[sa.engine.Engine, dict[str, Any]]:
    if kind == "sqlite":
        db = workdir / "trackers.db"
        return sa.create_engine(f"sqlite:///{db}"), {"dialect": "sqlite", "db": str(db)}
    _on_postgres_server("DROP DATABASE IF EXISTS bench_console", "CREATE DATABASE bench_console")
    url = POSTGRES_ADMIN.rsplit("/", 1)[0] + "/bench_console"
    return sa.create_engine(url), {"url": url}


def _on_postgres_server(*statements: str) -> None:
    """Statements outside any transaction (CREATE/DROP DATABASE), as the admin user."""
    admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    admin.dispose()


def _drop_postgres_store(kind: str) -> None:
    """A 100,000-conversation database left behind keeps PostgreSQL busy (autovacuum)."""
    if kind != "sqlite":
        _on_postgres_server("DROP DATABASE IF EXISTS bench_console")


def _sign_in(base: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{base}/staff/login", timeout=30).text
    token = re.search(r'name="login_token" value="([^"]+)"', form)
    assert token, "no sign-in form"
    reply = session.post(
        f"{base}/staff/login",
        data={"login_token": token[1], "name": "bench", "password": PASSWORD},
        timeout=30,
    )
    reply.raise_for_status()
    return session


def run(kind: str, conversations: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        engine, config = _store(kind, workdir)
        started = time.perf_counter()
        events = seed(engine, conversations)
        seeded_s = time.perf_counter() - started
        create_tables(engine)
        add_account(engine, "bench", PASSWORD)
        started = time.perf_counter()
        index_new_events(engine)
        index_s = time.perf_counter() - started
        endpoints = workdir / "endpoints.yml"
        endpoints.write_text(
            yaml.safe_dump({"tracker_store": {"type": "sql", **config}}), encoding="utf-8"
        )
        port = _free_port()
        env = {
            **os.environ,
            environment.CHAT_SESSION_KEY.name: "b" * 40,
            environment.CALENDAR_DIR.name: str(workdir),
        }
        web = subprocess.Popen(
            [sys.executable, "-m", "web.app", "--port", str(port), "--endpoints", str(endpoints)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    requests.get(f"{base}/staff/login", timeout=2)
                    break
                except requests.ConnectionError:
                    time.sleep(0.5)
            session = _sign_in(base)
            pages = {}
            for path in PAGES:
                times = []
                for _ in range(20):
                    began = time.perf_counter()
                    reply = session.get(base + path, timeout=60)
                    times.append((time.perf_counter() - began) * 1000)
                    reply.raise_for_status()
                times.sort()
                pages[path] = {
                    "p50_ms": round(statistics.median(times), 1),
                    "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
                }
        finally:
            web.terminate()
            web.wait(timeout=30)
            engine.dispose()
            _drop_postgres_store(kind)
        return {
            "store": kind,
            "conversations": conversations,
            "events": events,
            "seed_s": round(seeded_s, 1),
            "first_index_s": round(index_s, 1),
            "pages": pages,
        }


def _postgres_reachable() -> bool:
    try:
        with sa.create_engine(POSTGRES_ADMIN).connect():
            return True
    except sa.exc.OperationalError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--conversations", type=int, default=DEFAULT_CONVERSATIONS)
    args = parser.parse_args()
    stores = ["sqlite"] + (["postgresql"] if _postgres_reachable() else [])
    results = [run(kind, args.conversations) for kind in stores]
    # One file per size: the 10,000-conversation run and a larger one are both kept.
    out = (
        RESULTS
        if args.conversations == DEFAULT_CONVERSATIONS
        else RESULTS.with_name(f"console-{args.conversations}.json")
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"date": time.strftime("%Y-%m-%d"), "runs": results}, indent=1))
    for result in results:
        print(
            f"\n{result['store']}: {result['conversations']} conversations, {result['events']} "
            f"events; first index {result['first_index_s']} s"
        )
        print(f"  {'page':38} {'p50 ms':>8} {'p95 ms':>8}")
        for path, timing in result["pages"].items():
            print(f"  {path:38} {timing['p50_ms']:8} {timing['p95_ms']:8}")
    print(f"\nResults: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

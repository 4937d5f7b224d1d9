"""How long a staff message takes to reach a widget visitor during a live chat.

From the console's POST (`/staff/live/<id>/say`) to the visitor's socket.io
client receiving the text: console -> Rasa's handoff route -> tracker store ->
socket.io. Two setups, each 100 messages, one after the other:

- `embedded`: `make run`'s profile (one Rasa, SQLite);
- `replicas`: the production profile (PostgreSQL, Redis), the visitor's socket
  on replica A and the console sending through replica B, so every message
  crosses python-socketio's Redis client manager.

    python -m bench.handoff [--messages 100] [--only embedded|replicas]

Writes bench/results/handoff.json and prints p50/p95/max, and the first
exchange as each side saw it (the visitor's inbox and the console's lines).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tests.console.conftest import Console, Staff
from tests.support.live_chat import (
    ACCOUNT,
    PASSWORD,
    SocketVisitor,
    live_cluster,
    live_site,
)
from tests.support.servers import ROOT

RESULTS = ROOT / "bench" / "results" / "handoff.json"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _available(console: Console) -> Staff:
    staff = console.sign_in(ACCOUNT, PASSWORD)
    token = staff.csrf_token("/staff/live")
    staff.post("/staff/live/availability", {"csrf_token": token, "available": "yes"})
    return staff


async def _measure(visitor: SocketVisitor, staff: Staff, messages: int) -> dict[str, Any]:
    await visitor.connect()
    await visitor.say("can I talk to someone at the clinic?")
    connected = (await visitor.next_text("connecting you"))[1]
    for _ in range(60):
        queue = staff.get("/staff/api/live.json").json()["waiting"]
        if any(chat["sender"] == visitor.session for chat in queue):
            break
        await asyncio.sleep(0.5)
    path = f"/staff/live/{quote(visitor.session, safe='')}"
    staff.post(f"{path}/take", {"csrf_token": staff.csrf_token("/staff/live")})
    joined = (await visitor.next_text("You're now chatting with"))[1]
    await visitor.say("hello, is it safe before a holiday?")
    csrf = staff.csrf_token("/staff/live")

    def post(text: str) -> int:
        reply = staff.post(f"{path}/say", json={"text": text}, headers={"X-CSRF-Token": csrf})
        return reply.status_code

    took: list[float] = []
    for number in range(messages):
        text = f"Staff message {number}: thank you for waiting."
        began = time.perf_counter()
        status = await asyncio.to_thread(post, text)
        if status != 200:
            raise RuntimeError(f"message {number} was refused ({status})")
        arrived, _ = await visitor.next_text(text, timeout=30)
        took.append((arrived - began) * 1000)
    bot_said_while_paused = await visitor.quiet_for(2)
    await visitor.close()
    lines = staff.get(f"/staff/api/live/{quote(visitor.session, safe='')}/lines").json()
    return {
        "messages": messages,
        "p50_ms": round(statistics.median(took), 1),
        "p95_ms": round(_percentile(took, 0.95), 1),
        "max_ms": round(max(took), 1),
        "mean_ms": round(statistics.fmean(took), 1),
        "bot_messages_while_paused": bot_said_while_paused,
        "visitor_saw": [connected, joined, "Staff message 0: thank you for waiting."],
        "console_saw": [
            f"{line['who']}: {line['text']}" for line in lines.get("lines", [])[-messages - 3 :][:4]
        ],
    }


def embedded(messages: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-handoff-") as folder:
        key = secrets.token_urlsafe(48)
        with live_site(Path(folder), extra_env={"CHAT_SESSION_KEY": key}) as site:
            visitor = SocketVisitor(site.bot.url, key, f"bench-{uuid.uuid4().hex[:12]}")
            return asyncio.run(_measure(visitor, _available(site.console), messages))


def replicas(messages: int) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory(prefix="bench-handoff-replicas-") as folder,
        live_cluster(Path(folder), wait_minutes=10.0) as live,
    ):
        return asyncio.run(_measure(live.visitor(), live.available_staff(), messages))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--only", choices=["embedded", "replicas"])
    args = parser.parse_args()
    found: dict[str, Any] = {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    for name, run in (("embedded", embedded), ("replicas", replicas)):
        if args.only in (None, name):
            found[name] = run(args.messages)
            result = found[name]
            print(
                f"{name:9} {result['messages']} staff messages to a widget: "
                f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, max {result['max_ms']} ms; "
                f"bot messages while paused: {len(result['bot_messages_while_paused'])}"
            )
    RESULTS.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in found.items() if k in ("embedded", "replicas")}, indent=2))


if __name__ == "__main__":
    main()

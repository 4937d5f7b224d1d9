"""Simulated visitors: closed-loop conversations over REST or socket.io, with latency per message.

Each visitor sends a message, waits for the whole reply, then sends the next
(no think time: the point is capacity). Over socket.io there is no end-of-turn
marker, so a turn is complete when as many messages arrived as the same turn
got over REST (`expected_replies`, learned from a REST pass of the same system).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import socketio
import yaml

from clinic.guard.session_tokens import issue_token, load_key

CONVERSATIONS_FILE = Path(__file__).with_name("conversations.yml")
TURN_TIMEOUT_S = 30.0


def load_conversations(path: Path = CONVERSATIONS_FILE) -> list[list[str]]:
    """The visitors' turns, each exactly as written.

    YAML reads a bare `yes` or `no` as a boolean, which would reach the bot as
    "True" or "False": such a turn must be quoted, and is refused otherwise.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    conversations = [list(conversation) for conversation in data["conversations"]]
    for turns in conversations:
        for turn in turns:
            if not isinstance(turn, str):
                raise ValueError(
                    f"{path.name}: quote the turn {turn!r} (YAML read it as {type(turn).__name__})"
                )
    return conversations


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


@dataclass
class LoadResult:
    """Latencies (seconds) of every answered message, errors, and wall time of one load level."""

    transport: str
    visitors: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    replies: dict[tuple[int, int], int] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        lat_ms = [latency * 1000 for latency in self.latencies]
        return {
            "transport": self.transport,
            "visitors": self.visitors,
            "messages": len(self.latencies),
            "errors": len(self.errors),
            "error_examples": self.errors[:3],
            "wall_s": round(self.wall_s, 2),
            "throughput_msg_s": round(len(lat_ms) / self.wall_s, 1) if self.wall_s else 0.0,
            "p50_ms": round(percentile(lat_ms, 50), 1) if lat_ms else None,
            "p95_ms": round(percentile(lat_ms, 95), 1) if lat_ms else None,
            "p99_ms": round(percentile(lat_ms, 99), 1) if lat_ms else None,
        }


class RestVisitor:
    """One visitor over Rasa's REST channel (the whole reply comes in one response)."""

    def __init__(self, http: aiohttp.ClientSession, base_url: str) -> None:
        self.http = http
        self.url = f"{base_url}/webhooks/rest/webhook"

    async def start(self, sender: str) -> None:
        self.sender = sender

    async def say(self, text: str, expected: int | None) -> int:
        async with self.http.post(
            self.url, json={"sender": self.sender, "message": text}
        ) as response:
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status}")
            return len(await response.json())

    async def stop(self) -> None:
        return None


class SocketIOVisitor:
    """One visitor over the socket.io channel, as the website widget talks to Rasa."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.client = socketio.AsyncClient(reconnection=False)
        self.inbox: asyncio.Queue[Any] = asyncio.Queue()
        self.client.on("bot_uttered", self.inbox.put_nowait)

    async def start(self, sender: str) -> None:
        self.sender = sender
        confirmed: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.client.on(
            "session_confirm", lambda data: None if confirmed.done() else confirmed.set_result(data)
        )
        # The widget's page gets a signed token for its conversation from the web
        # app; the bench signs one itself with the same key.
        token = issue_token(load_key(), sender)
        await self.client.connect(self.base_url, transports=["websocket"], auth={"token": token})
        await self.client.emit("session_request", {"session_id": sender})
        await asyncio.wait_for(confirmed, TURN_TIMEOUT_S)

    async def say(self, text: str, expected: int | None) -> int:
        await self.client.emit("user_uttered", {"message": text, "session_id": self.sender})
        received = 0
        wanted = expected if expected else 1
        while received < wanted:
            await asyncio.wait_for(self.inbox.get(), TURN_TIMEOUT_S)
            received += 1
        return received

    async def stop(self) -> None:
        await self.client.disconnect()


async def run_load(
    base_url: str,
    transport: str,
    visitors: int,
    conversations_per_visitor: int,
    label: str,
    expected_replies: dict[tuple[int, int], int] | None = None,
) -> LoadResult:
    """`visitors` at once, each running conversations back to back; latency of every turn."""
    scripts = load_conversations()
    result = LoadResult(transport=transport, visitors=visitors)
    run_id = uuid.uuid4().hex[:8]
    connector = aiohttp.TCPConnector(limit=visitors + 5)
    timeout = aiohttp.ClientTimeout(total=TURN_TIMEOUT_S)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:

        async def visitor(number: int) -> None:
            order = itertools.islice(itertools.cycle(range(len(scripts))), number, None)
            for conversation_number in range(conversations_per_visitor):
                script_index = next(order)
                sender = f"bench-{label}-{transport}-{run_id}-{number}-{conversation_number}"
                client: RestVisitor | SocketIOVisitor
                client = (
                    RestVisitor(http, base_url)
                    if transport == "rest"
                    else SocketIOVisitor(base_url)
                )
                try:
                    await client.start(sender)
                    for turn, text in enumerate(scripts[script_index]):
                        expected = (expected_replies or {}).get((script_index, turn))
                        began = time.perf_counter()
                        count = await client.say(text, expected)
                        result.latencies.append(time.perf_counter() - began)
                        result.replies[(script_index, turn)] = count
                        if count == 0:
                            result.errors.append(f"no reply to {text!r}")
                except Exception as error:
                    result.errors.append(f"{type(error).__name__}: {error}"[:200])
                finally:
                    with contextlib.suppress(Exception):
                        await client.stop()

        began = time.perf_counter()
        await asyncio.gather(*(visitor(number) for number in range(visitors)))
        result.wall_s = time.perf_counter() - began
    return result


def long_questions() -> list[str]:
    """The FAQ questions a long conversation cycles through."""
    return [text for script in load_conversations() for text in script[1:3]]


def same_question_turns(early: list[int], cycle: int, turns: int) -> list[int]:
    """The last turns that asked the same questions as the `early` ones.

    Questions differ in cost (an FAQ answer or a "did you mean…?"), so late
    and early are compared question for question.
    """
    return [turn + cycle * ((turns - 1 - turn) // cycle) for turn in early]


async def long_conversation(base_url: str, label: str, turns: int = 200) -> list[float]:
    """Latency (s) of each message of one conversation `turns` messages long."""
    questions = long_questions()
    sender = f"bench-{label}-long-{uuid.uuid4().hex[:8]}"
    latencies: list[float] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
        client = RestVisitor(http, base_url)
        await client.start(sender)
        for turn in range(turns):
            began = time.perf_counter()
            await client.say(questions[turn % len(questions)], None)
            latencies.append(time.perf_counter() - began)
    return latencies


async def first_answer(base_url: str, deadline_s: float) -> float:
    """Seconds until the server first answers a real message (polls from now)."""
    began = time.perf_counter()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
        client = RestVisitor(http, base_url)
        await client.start(f"bench-startup-{uuid.uuid4().hex[:8]}")
        while time.perf_counter() - began < deadline_s:
            try:
                if await client.say("hi", None) > 0:
                    return time.perf_counter() - began
            except (aiohttp.ClientError, RuntimeError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError(f"{base_url} gave no answer within {deadline_s} s")

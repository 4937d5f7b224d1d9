"""Scale-out: many visitors on two Rasa replicas behind round-robin nginx, checked in PostgreSQL.

nginx has no affinity, so consecutive messages of one conversation land on
different replicas, and a burst of messages of one conversation sent at once
is processed by both replicas concurrently. Only the shared tracker store
(PostgreSQL) and the atomic Redis lock store keep each conversation whole and
in order; the test reads the database afterwards to prove it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import re
import signal
import subprocess
import time
from collections import Counter, defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import requests
import yaml

from clinic.settings import load_clinic_settings
from tests.support.cluster import PRODUCTION_ENDPOINTS, Cluster, pg_connect
from tests.support.servers import RASA, ROOT, free_port, spawn, stop, wait_for

CONVERSATIONS = 36
# One visitor's messages; a tuple is a burst sent all at once.
SCRIPT: list[str | tuple[str, ...]] = [
    "hi",
    "what is mesotherapy?",
    "does it help with hair loss?",
    ("how much does it cost?", "does it hurt?", "how many sessions will I need?"),
    "plan my sessions",
    "next monday",
    "six sessions",
    "cancel",
    ("thanks", "bye"),
]
MESSAGES_PER_CONVERSATION = sum(len(s) if isinstance(s, tuple) else 1 for s in SCRIPT)
# What a lock that timed out or expired leaves in a replica's log.
LOCK_TROUBLE = re.compile(
    r"LockError|Could not acquire lock|ticket_expired|lock_expired_before_done|redis_unavailable"
)
# Errors a replica may log and recover from: RabbitMQ events it republishes on
# reconnect (checked by counting the queue against PostgreSQL).
RECOVERED_ERROR = re.compile(r"pika\.events\.publish\.failed")


@dataclass
class Visit:
    """What the visitors sent and what each request answered, by probe id."""

    replies: dict[str, list[str]] = field(default_factory=dict)
    sent: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)


def reply_parts(texts: list[str | None]) -> list[str]:
    """Bot texts as the REST channel sends them (it splits a text on blank lines)."""
    return [part for text in texts if text for part in text.strip().split("\n\n")]


async def send(
    session: aiohttp.ClientSession, cluster: Cluster, visit: Visit, sender: str, text: str
) -> None:
    probe = f"{sender}/{len(visit.sent[sender])}"
    visit.sent[sender].append(probe)
    headers = {"X-Conversation": sender, "X-Message": probe}
    body = {"sender": sender, "message": text, "metadata": {"probe": probe}}
    try:
        async with session.post(
            f"{cluster.url}/webhooks/rest/webhook", json=body, headers=headers
        ) as response:
            if response.status != 200:
                visit.errors.append(f"{probe}: HTTP {response.status}")
                return
            messages = await response.json()
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        visit.errors.append(f"{probe}: {error!r}")
        return
    visit.replies[probe] = reply_parts([message.get("text") for message in messages])


async def visitor(
    session: aiohttp.ClientSession, cluster: Cluster, visit: Visit, sender: str
) -> None:
    rng = random.Random(sender)
    await asyncio.sleep(rng.uniform(0, 2))
    for step in SCRIPT:
        if isinstance(step, tuple):
            await asyncio.gather(*(send(session, cluster, visit, sender, text) for text in step))
        else:
            await send(session, cluster, visit, sender, step)
        await asyncio.sleep(rng.uniform(0, 0.3))


async def run_visitors(cluster: Cluster, senders: list[str]) -> Visit:
    visit = Visit()
    timeout = aiohttp.ClientTimeout(total=180)
    connector = aiohttp.TCPConnector(limit=200)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.gather(*(visitor(session, cluster, visit, sender) for sender in senders))
    return visit


def stored_conversations(cluster: Cluster) -> dict[str, list[tuple[str, Any]]]:
    """Each conversation's user and bot events from PostgreSQL, in the order they were written."""
    conversations: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    with closing(pg_connect(cluster.env, cluster.database)) as connection:
        cursor = connection.cursor()
        cursor.execute(
            "SELECT sender_id, type_name, data FROM events "
            "WHERE type_name IN ('user', 'bot') ORDER BY id"
        )
        rows = cursor.fetchall()
    for sender, type_name, data in rows:
        event = json.loads(data)
        if type_name == "user":
            probe = (event.get("metadata") or {}).get("probe")
            conversations[sender].append(("user", probe))
        else:
            conversations[sender].append(("bot", event.get("text")))
    return conversations


def privacy_notice() -> str:
    """The first-contact notice as the bot sends it (domain.yml with clinic.yml's values)."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    notice = domain["responses"]["utter_privacy_notice"][0]["text"]
    return str(notice).format(**load_clinic_settings().response_variables())


def turns(events: list[tuple[str, Any]]) -> list[tuple[str, list[str]]]:
    """(probe, the bot's texts after it and before the next user message) for each user event.

    The privacy notice is stored by the session start, just before the first
    message it answers (rasa_ext/session_start.py); it belongs to that reply.
    """
    result: list[tuple[str, list[str]]] = []
    bot_before_first_user: list[str | None] = []
    for kind, value in events:
        if kind == "user":
            result.append((value, list(bot_before_first_user) if not result else []))
        elif result:
            result[-1][1].append(value)
        else:
            bot_before_first_user.append(value)
    assert bot_before_first_user in ([], [privacy_notice()]), (
        f"bot spoke before the visitor: {bot_before_first_user}"
    )
    return [(probe, reply_parts(texts)) for probe, texts in result]


def replica_routes(cluster: Cluster) -> dict[str, list[str]]:
    """Per conversation, the replica (upstream address) of each request, in log order."""
    routes: dict[str, list[str]] = defaultdict(list)
    for fields in cluster.access_log():
        conversation, _probe, upstream = fields[0], fields[1], fields[2]
        if conversation.startswith("scale-"):
            routes[conversation].append(upstream)
    return routes


def test_many_visitors_on_two_replicas_keep_every_conversation_whole_and_in_order(
    cluster: Cluster,
) -> None:
    senders = [f"scale-{number:03d}" for number in range(CONVERSATIONS)]
    started = time.monotonic()
    visit = asyncio.run(run_visitors(cluster, senders))
    elapsed = time.monotonic() - started

    stored = stored_conversations(cluster)
    routes = replica_routes(cluster)
    per_replica = Counter(upstream for route in routes.values() for upstream in route)
    switches = sum(
        before != after for route in routes.values() for before, after in itertools.pairwise(route)
    )
    lock_trouble = {port: LOCK_TROUBLE.findall(log) for port, log in cluster.replica_logs().items()}
    tracebacks = {port: log.count("Traceback") for port, log in cluster.replica_logs().items()}
    errors_logged = [
        line
        for log in [*cluster.replica_logs().values(), cluster.action_server_log()]
        for line in log.splitlines()
        if " ERROR " in line and not RECOVERED_ERROR.search(line)
    ]
    stored_events = cluster.stored_event_count()
    deadline = time.monotonic() + 60
    while (published := cluster.broker_events()) < stored_events and time.monotonic() < deadline:
        time.sleep(2)  # a replica whose RabbitMQ connection dropped republishes on reconnect
    messages = sum(len(probes) for probes in visit.sent.values())
    bot_replies = sum(len(parts) for parts in visit.replies.values())
    print(
        f"\nscale-out: conversations={len(senders)} messages={messages} "
        f"bot_replies={bot_replies} replicas={len(cluster.replica_ports)} "
        f"per_replica={dict(per_replica)} replica_switches_within_conversations={switches} "
        f"errors={len(visit.errors)} lock_timeouts={sum(map(len, lock_trouble.values()))} "
        f"logged_errors={len(errors_logged)} tracebacks={sum(tracebacks.values())} "
        f"events_in_postgresql={stored_events} events_in_rabbitmq={published} "
        f"elapsed={elapsed:.1f}s throughput={messages / elapsed:.1f} msg/s"
    )

    assert visit.errors == []
    assert messages == CONVERSATIONS * MESSAGES_PER_CONVERSATION
    assert all(parts for parts in visit.replies.values()), "a message got no reply"
    assert lock_trouble == {port: [] for port in cluster.replica_ports}
    assert tracebacks == {port: 0 for port in cluster.replica_ports}
    assert errors_logged == []
    assert published == stored_events, "RabbitMQ did not get every stored event"

    # Both replicas served, and not by conversation: requests of one conversation moved.
    assert set(per_replica) == {f"127.0.0.1:{port}" for port in cluster.replica_ports}
    assert min(per_replica.values()) >= messages // 4
    assert all(len(set(route)) == 2 for route in routes.values())
    assert switches >= messages // 4

    # Every message and every reply is stored once, each reply right after its message.
    assert set(stored) == set(senders)
    for sender in senders:
        stored_turns = turns(stored[sender])
        stored_probes = [probe for probe, _ in stored_turns]
        assert None not in stored_probes, f"{sender}: a message was stored without its metadata"
        assert sorted(stored_probes) == sorted(visit.sent[sender]), sender
        for probe, parts in stored_turns:
            assert parts == visit.replies[probe], f"{probe}: replies stored out of order"


def child_pids(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in found.stdout.split()]


def socketio_session_probe(url: str, polls: int) -> Counter[str]:
    """Open an Engine.IO polling session, then post to it `polls` times on fresh connections.

    Counts the outcomes: "accepted" (the worker holding the session), "invalid"
    (HTTP 400: another worker, which does not know the session) and "timeout".
    """
    outcomes: Counter[str] = Counter()
    handshake = requests.get(f"{url}/socket.io/?EIO=4&transport=polling", timeout=30)
    sid = json.loads(handshake.text[handshake.text.index("{") :])["sid"]
    for _ in range(polls):
        try:
            with requests.Session() as fresh:
                reply = fresh.post(
                    f"{url}/socket.io/?EIO=4&transport=polling&sid={sid}", data="3", timeout=5
                )
            outcomes["accepted" if reply.status_code == 200 else "invalid"] += 1
        except requests.Timeout:
            outcomes["timeout"] += 1
    return outcomes


# Replies in a row that show every worker has its model: each new connection reaches one
# of two workers at the kernel's choice, so ten in a row miss one with odds of 1 in 1024.
ANSWERS_IN_A_ROW = 10


def _until_every_worker_answers(url: str, timeout: float) -> None:
    """Wait until the workers all answer: the port opens once one of them is ready, and a
    worker still loading the model replies with nothing."""
    deadline, in_a_row = time.monotonic() + timeout, 0
    for probe in itertools.count():
        reply = requests.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": f"warm-up-{probe}", "message": "hi"},
            timeout=60,
        )
        in_a_row = in_a_row + 1 if reply.status_code == 200 and reply.json() else 0
        if in_a_row >= ANSWERS_IN_A_ROW:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"the workers did not all answer within {timeout:.0f} s")
        time.sleep(0 if in_a_row else 1)


def test_sanic_workers_2_on_the_production_profile_really_forks_two_workers(
    cluster: Cluster,
) -> None:
    """What SANIC_WORKERS=2 does with our lock store: two worker processes on one port.

    REST keeps working (the tracker store and lock store are shared). A socket.io
    session lives in one worker's memory only; which worker a new connection
    reaches is up to the kernel, so that probe is reported, not asserted.
    """
    port = free_port()
    log = cluster.workdir / f"rasa-workers-{port}.log"
    args = [*RASA, "run", "--port", str(port), "--endpoints", str(PRODUCTION_ENDPOINTS)]
    args += ["--credentials", str(ROOT / "credentials.yml")]
    process = spawn(args, log, {**cluster.env, "SANIC_WORKERS": "2"})
    url = f"http://127.0.0.1:{port}"
    workers: list[int] = []
    try:
        wait_for(f"{url}/webhooks/rest/", process, log, timeout=300)
        _until_every_worker_answers(url, timeout=300)
        workers = child_pids(process.pid)
        replies = [
            requests.post(
                f"{url}/webhooks/rest/webhook",
                json={"sender": "workers-check", "message": text},
                timeout=60,
            )
            for text in ["hi", "what is mesotherapy?", "does it hurt?", "bye"] * 2
        ]
        socketio = socketio_session_probe(url, polls=10)
    finally:
        stop(process)  # Sanic's main process stops its workers
        for pid in workers:
            cmdline = Path(f"/proc/{pid}/cmdline")
            if cmdline.exists() and str(port).encode() in cmdline.read_bytes():
                os.kill(pid, signal.SIGKILL)
    print(
        f"\nSANIC_WORKERS=2: worker_processes={len(workers)} "
        f"rest_ok={sum(r.status_code == 200 for r in replies)}/{len(replies)} "
        f"socketio_posts_to_one_session_on_fresh_connections={dict(socketio)}"
    )
    assert len(workers) == 2
    assert all(reply.status_code == 200 and reply.json() for reply in replies)


def test_a_visitors_rate_limit_holds_across_both_replicas(cluster: Cluster) -> None:
    """The per-visitor limit counts in the shared Redis (RATE_LIMIT_STORAGE_URL from
    scripts/production-env.sh): through round-robin nginx a visitor gets the burst once,
    not once per replica."""
    limits = load_clinic_settings().input_limits
    sender = "limit-visitor"
    too_long = "a" * (limits.max_message_chars + 100)  # answered without NLU: a quick burst
    statuses = []
    with requests.Session() as visitor:
        for number in range(limits.visitor_burst + 6):
            reply = visitor.post(
                f"{cluster.url}/webhooks/rest/webhook",
                json={"sender": sender, "message": too_long},
                headers={"X-Conversation": sender, "X-Message": f"{sender}/{number}"},
                timeout=30,
            )
            statuses.append(reply.status_code)
    replicas = {fields[2] for fields in cluster.access_log() if fields[0] == sender}
    print(f"\nrate limit across replicas: statuses={Counter(statuses)} replicas={len(replicas)}")
    assert len(replicas) == 2, "the visitor's requests reached both replicas"
    assert statuses == [200] * limits.visitor_burst + [429] * 6

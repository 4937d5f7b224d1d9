"""Live chat on the production profile: two Rasa replicas, PostgreSQL, Redis.

The widget visitor's socket is on replica A; the console (web app on the same
PostgreSQL database) sends staff messages through replica B. python-socketio's
Redis client manager carries B's emit to the socket on A, and the visitor's
messages, received by A, show in the console, which reads the shared store.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from clinic.tracker_db import engine_for
from staff.accounts import add_account
from tests.console.conftest import Console, Staff
from tests.support.cluster import PRODUCTION_ENDPOINTS, Cluster, production_cluster
from tests.support.live_chat import ACCOUNT, PASSWORD, SocketVisitor, clinic_config
from tests.support.servers import free_port, spawn, stop, wait_for

KEY = secrets.token_urlsafe(48)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cluster, Console]]:
    workdir = Path(tmp_path_factory.mktemp("live-replicas"))
    web_port = free_port()
    overrides = {
        "CLINIC_CONFIG": str(clinic_config(workdir, 3.0)),
        "HANDOFF_SECRET": secrets.token_urlsafe(32),
        "CHAT_SESSION_KEY": KEY,
        "STAFF_CONSOLE_URL": f"http://127.0.0.1:{web_port}",
    }
    with production_cluster(workdir, overrides=overrides) as cluster:
        replica_b = f"http://127.0.0.1:{cluster.replica_ports[1]}"
        log = workdir / "web.log"
        command = ["-m", "web.app", "--port", str(web_port), "--rasa-url", replica_b]
        command += ["--endpoints", str(PRODUCTION_ENDPOINTS)]
        web = spawn([sys.executable, *command], log, cluster.env)
        try:
            wait_for(f"http://127.0.0.1:{web_port}/staff/login", web, log, timeout=60)
            engine = engine_for(PRODUCTION_ENDPOINTS, cluster.env)
            add_account(engine, ACCOUNT, PASSWORD)
            yield cluster, Console(f"http://127.0.0.1:{web_port}", engine, workdir)
        finally:
            stop(web)


def _available_staff(console: Console) -> Staff:
    staff = console.sign_in(ACCOUNT, PASSWORD)
    token = staff.csrf_token("/staff/live")
    assert staff.post("/staff/live/availability", {"csrf_token": token, "available": "yes"})
    return staff


async def _wait_in_queue(staff: Staff, session: str) -> None:
    for _ in range(60):
        waiting = staff.get("/staff/api/live.json").json()["waiting"]
        if any(chat["sender"] == session for chat in waiting):
            return
        await asyncio.sleep(0.5)
    raise AssertionError("the visitor never reached the live queue")


async def _chat(cluster: Cluster, console: Console) -> None:
    staff = _available_staff(console)
    session = f"widget-{uuid.uuid4().hex[:12]}"
    replica_a = f"http://127.0.0.1:{cluster.replica_ports[0]}"
    visitor = SocketVisitor(replica_a, KEY, session)
    await visitor.connect()
    await visitor.say("can I talk to someone from the clinic?")
    await visitor.next_text("connecting you with the team")
    await _wait_in_queue(staff, session)
    path = f"/staff/live/{quote(session, safe='')}"
    took = staff.post(f"{path}/take", {"csrf_token": staff.csrf_token("/staff/live")})
    assert took.status_code == 303, took.text
    await visitor.next_text("You're now chatting with")  # sent through replica B

    await visitor.say("does it hurt much?")  # received by replica A
    assert await visitor.quiet_for(3) == []  # the bot, on A, says nothing
    lines = staff.get(f"/staff/api/live/{quote(session, safe='')}/lines").json()["lines"]
    assert [line["text"] for line in lines if line["who"] == "visitor"][-1] == "does it hurt much?"
    csrf = staff.csrf_token("/staff/live")
    sent = staff.post(
        f"{path}/say", json={"text": "A little, it's quick."}, headers={"X-CSRF-Token": csrf}
    )
    assert sent.status_code == 200, sent.text
    await visitor.next_text("A little, it's quick.", timeout=10)

    back = staff.post(f"{path}/back", {"csrf_token": staff.csrf_token("/staff/live")})
    assert back.status_code == 303
    await visitor.next_text("I'm back!")
    await visitor.say("what is mesotherapy?")
    await visitor.next_text("minimally invasive")
    await visitor.close()


def test_staff_on_one_replica_reach_a_widget_on_the_other(
    site: tuple[Cluster, Console],
) -> None:
    cluster, console = site
    asyncio.run(_chat(cluster, console))
    console.wait_until_indexed()  # the handback, stored by replica B, ends the chat
    with console.engine.connect() as connection:
        waiting = connection.execute(
            sa.text("select count(*) from staff_handoffs where ended_at is null")
        )
        assert waiting.scalar() == 0

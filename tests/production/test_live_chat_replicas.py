"""Live chat on the production profile: two Rasa replicas, PostgreSQL, Redis.

The widget visitor's socket is on replica A; the console (web app on the same
PostgreSQL database) sends staff messages through replica B. python-socketio's
Redis client manager carries B's emit to the socket on A, and the visitor's
messages, received by A, show in the console, which reads the shared store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from tests.console.conftest import Staff
from tests.support.live_chat import LiveCluster, SocketVisitor, live_cluster


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCluster]:
    with live_cluster(Path(tmp_path_factory.mktemp("live-replicas"))) as running:
        yield running


async def _wait_in_queue(staff: Staff, session: str) -> None:
    for _ in range(60):
        waiting = staff.get("/staff/api/live.json").json()["waiting"]
        if any(chat["sender"] == session for chat in waiting):
            return
        await asyncio.sleep(0.5)
    raise AssertionError("the visitor never reached the live queue")


async def _chat(live: LiveCluster, visitor: SocketVisitor) -> None:
    staff = live.available_staff()
    session = visitor.session
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


def test_staff_on_one_replica_reach_a_widget_on_the_other(live: LiveCluster) -> None:
    asyncio.run(_chat(live, live.visitor()))  # the socket on A, the console sending through B
    console = live.console
    console.wait_until_indexed()  # the handback, stored by replica B, ends the chat
    with console.engine.connect() as connection:
        waiting = connection.execute(
            sa.text("select count(*) from staff_handoffs where ended_at is null")
        )
        assert waiting.scalar() == 0


def test_widgets_behind_nginx_on_either_replica_get_the_staff_messages(
    live: LiveCluster,
) -> None:
    """Two widgets through nginx (round-robin): one socket lands on each replica."""
    asyncio.run(_chat(live, live.visitor(through_nginx=True)))
    asyncio.run(_chat(live, live.visitor(through_nginx=True)))
    ports = {f"127.0.0.1:{port}" for port in live.cluster.replica_ports}
    assert set(live.socket_replicas()[-2:]) == ports

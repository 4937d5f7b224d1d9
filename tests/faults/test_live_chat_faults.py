"""Live chat when things go wrong: staff close the browser, Redis restarts mid-chat.

Staff who close the console stop checking in; after clinic.yml's
`staff_timeout_seconds` their chat goes back to the queue for a colleague, and
with nobody left the visitor gets the callback offer. Redis (lock store and
socket.io's message bus on the production profile) restarting during a chat
costs staff a clear "try again", never a 500 or a message the bot answers;
once both replicas are subscribed again, staff messages reach the widget.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import redis
import sqlalchemy as sa

from clinic.tracker_db import EVENTS
from staff.accounts import set_display_name
from staff.db import HANDOFFS
from tests.console.conftest import Staff
from tests.faults.test_redis_down import PrivateRedis
from tests.support.live_chat import (
    LiveSite,
    SocketVisitor,
    live_cluster,
    live_site,
)
from tests.support.servers import stop

STAFF_TIMEOUT_S = 4


def _until(check: Any, what: str, timeout: float = 30, every: Any = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if every is not None:
            every()
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _queue(staff: Staff) -> dict[str, Any]:
    return dict(staff.get("/staff/api/live.json").json())


def _take(staff: Staff, sender: str) -> None:
    token = staff.csrf_token("/staff/live")
    took = staff.post(f"/staff/live/{quote(sender, safe='')}/take", {"csrf_token": token})
    assert took.status_code == 303, took.text


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    workdir = Path(tmp_path_factory.mktemp("live-faults"))
    with live_site(workdir, wait_minutes=2, staff_timeout_s=STAFF_TIMEOUT_S) as running:
        yield running


def test_a_chat_whose_staff_member_closed_the_console_goes_back_to_the_queue(
    site: LiveSite,
) -> None:
    anna, ben = site.staff(), site.staff(name="ben.nurse")
    set_display_name(site.engine, "ben.nurse", "Ben")
    visitor = f"closed-{uuid.uuid4().hex[:8]}"
    reply = site.bot.say(visitor, "can I talk to someone please?")
    (handoff,) = [m["custom"] for m in reply if "custom" in m]
    _until(lambda: [c for c in _queue(anna)["waiting"] if c["sender"] == visitor], "the queue")
    _take(anna, visitor)
    assert site.poll(handoff["token"])["state"] == "with_staff"

    # Anna's browser is closed: only Ben's live page keeps checking in.
    back_in_queue = _until(
        lambda: [c for c in _queue(ben)["waiting"] if c["sender"] == visitor],
        "the chat to come back to the queue",
        timeout=STAFF_TIMEOUT_S + 20,
    )
    assert back_in_queue[0]["taken_by"] is None
    assert site.bot.say(visitor, "hello? are you there?") == []  # still with the team
    _take(ben, visitor)
    joined = site.poll(handoff["token"])["messages"][-1]["text"]
    assert "chatting with Ben" in joined and "ben.nurse" not in joined  # never the login

    # Ben closes his browser too, and nobody is left: the visitor is offered a callback.
    offered = _until(
        lambda: [
            m
            for m in site.poll(handoff["token"])["messages"]
            if "nobody from the team could take" in m["text"]
        ],
        "the callback offer",
        timeout=2 * STAFF_TIMEOUT_S + 20,
    )
    assert offered and site.poll(handoff["token"])["state"] == "bot"
    assert "What name" in site.bot.text_of(visitor, "/request_callback")


async def _redis_restart_chat(
    visitor: SocketVisitor, staff: Staff, private: PrivateRedis, listeners: int
) -> None:
    path = f"/staff/live/{quote(visitor.session, safe='')}"

    def say(text: str) -> Any:
        csrf = staff.csrf_token("/staff/live")
        return staff.post(f"{path}/say", json={"text": text}, headers={"X-CSRF-Token": csrf})

    await visitor.connect()
    await visitor.say("can I talk to a person?")
    await visitor.next_text("connecting you with the team")
    for _ in range(60):
        if any(c["sender"] == visitor.session for c in _queue(staff)["waiting"]):
            break
        await asyncio.sleep(0.5)
    _take(staff, visitor.session)
    await visitor.next_text("You're now chatting with")

    private.kill()
    refused = say("Sorry, one moment.")
    assert refused.status_code == 409, refused.text  # the console's "not sent", never a 500
    assert "try again" in refused.json()["message"]
    private.start()
    subscribers = redis.Redis(host="127.0.0.1", port=private.port)
    # The replica holding the visitor's socket listens on Redis (python-socketio starts
    # a replica's listener with its first socket); it reconnects on its own back-off.
    for _ in range(120):
        if subscribers.pubsub_numsub("socketio")[0][1] >= listeners:
            break
        await asyncio.sleep(0.5)
    else:
        raise AssertionError("the visitor's replica did not subscribe to Redis again")
    sent = say("Back now: how can I help?")
    assert sent.status_code == 200, sent.text
    await visitor.next_text("Back now: how can I help?", timeout=15)
    await visitor.say("is it painful?")
    assert await visitor.quiet_for(3) == []
    await visitor.close()


def test_redis_restarting_during_a_chat_on_two_replicas(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    workdir = Path(tmp_path_factory.mktemp("live-redis"))
    private = PrivateRedis(workdir)
    private.start()
    overrides = {
        "REDIS_PORT": str(private.port),
        "REDIS_DB": "0",
        "SOCKETIO_REDIS_URL": f"redis://127.0.0.1:{private.port}/0",
    }
    try:
        with live_cluster(workdir, overrides=overrides) as live:
            staff = live.available_staff()
            asyncio.run(_redis_restart_chat(live.visitor(), staff, private, listeners=1))
    finally:
        private.kill()


def test_a_session_that_expires_during_a_chat_ends_it_in_the_console(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Rasa starts a new session after 60 minutes of silence, un-pausing the conversation
    without a word; the console must then show the chat as ended, not still live."""
    workdir = Path(tmp_path_factory.mktemp("live-expiry"))
    with live_site(workdir, wait_minutes=30, staff_timeout_s=600) as site:
        staff = site.staff()
        visitor = f"expiry-{uuid.uuid4().hex[:8]}"
        site.bot.say(visitor, "can I talk to a person?")
        _until(lambda: [c for c in _queue(staff)["waiting"] if c["sender"] == visitor], "queue")
        _take(staff, visitor)
        assert site.bot.say(visitor, "still there?") == []

        # Two hours of silence: Rasa stopped, the conversation's times moved back, Rasa started.
        stop(site.bot.processes["rasa"])
        with site.engine.begin() as connection:
            rows = connection.execute(
                sa.select(EVENTS.c.id, EVENTS.c.data).where(EVENTS.c.sender_id == visitor)
            ).all()
            for row in rows:
                data = json.loads(row.data)
                data["timestamp"] -= 7200
                connection.execute(
                    sa.update(EVENTS)
                    .where(EVENTS.c.id == row.id)
                    .values(data=json.dumps(data), timestamp=data["timestamp"])
                )
        site.bot.restart_rasa()

        answer = site.bot.text_of(visitor, "what is mesotherapy?")
        assert "minimally invasive" in answer  # a new session: the bot has the conversation
        site.console.wait_until_indexed()
        with site.engine.connect() as connection:
            reason = connection.execute(
                sa.select(HANDOFFS.c.end_reason).where(HANDOFFS.c.sender_id == visitor)
            ).scalar()
        assert reason == "session_expired"
        lines = staff.get(f"/staff/api/live/{quote(visitor, safe='')}/lines").json()
        assert lines["open"] is False
        assert "new session" in [line["text"] for line in lines["lines"]]

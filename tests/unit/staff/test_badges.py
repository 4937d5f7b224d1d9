"""What the navigation's badges count (staff/badges.py): work still waiting for someone."""

from __future__ import annotations

import sqlalchemy as sa

from staff.alerts import current
from staff.badges import waiting_work
from staff.db import CALLBACKS, HANDOFFS
from staff.indexer import index_new_events
from staff.safety import mark_reviewed
from tests.unit.staff.helpers import DAY, NOW, Visit, store, turn


def test_nothing_waiting_counts_nothing(engine: sa.engine.Engine) -> None:
    found = waiting_work(engine)
    assert (found.unreviewed_safety, found.waiting_chats, found.open_callbacks) == (0, 0, 0)
    assert found.of("/staff/safety") == 0


def test_counts_unreviewed_routes_untaken_chats_and_open_callbacks(
    engine: sa.engine.Engine,
) -> None:
    visit = Visit("a", NOW - DAY).start()
    visit.ask("i'm pregnant", "ask_pregnancy", "utter_pregnancy")
    visit.ask("my skin is red since", "report_adverse_reaction", "utter_adverse_reaction")
    store(engine, visit.take())
    index_new_events(engine)
    assert mark_reviewed(engine, turn(engine, "i'm pregnant").event_id, "nurse.jo", NOW)
    with engine.begin() as connection:
        for sender, taken_by, ended_at in (
            ("waiting", None, None),
            ("taken", "anna", None),
            ("over", None, NOW),
        ):
            connection.execute(
                sa.insert(HANDOFFS).values(
                    sender_id=sender, asked_at=NOW, taken_by=taken_by, ended_at=ended_at
                )
            )
        for event_id, done_at in ((1, None), (2, NOW)):
            connection.execute(
                sa.insert(CALLBACKS).values(
                    event_id=event_id,
                    sender_id=f"s{event_id}",
                    at=NOW,
                    name="Jo",
                    contact="+447700900123",
                    preferred_time="any",
                    done_at=done_at,
                )
            )
    found = waiting_work(engine)
    assert (found.unreviewed_safety, found.waiting_chats, found.open_callbacks) == (1, 1, 1)
    assert [found.of(p) for p in ("/staff/safety", "/staff/live", "/staff/callbacks")] == [1, 1, 1]
    assert found.of("/staff/overview") == 0
    assert current(engine).unreviewed_safety == 1  # the browser notifications count the same

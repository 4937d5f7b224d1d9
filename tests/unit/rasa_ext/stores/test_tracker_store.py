"""The windowed SQL tracker store: short trackers for the policies, every event in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered

from rasa_ext.stores.tracker_store import WindowedSQLTrackerStore, WindowedTracker, window_events
from tests.support.servers import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def store(db: Path, window: int = 12) -> WindowedSQLTrackerStore:
    return WindowedSQLTrackerStore(
        domain=DOMAIN, dialect="sqlite", db=str(db), window_events=window
    )


async def one_turn(s: WindowedSQLTrackerStore, sender: str, text: str) -> None:
    """What the processor does per message: fetch, append the turn's events, save."""
    tracker = await s.get_or_create_tracker(sender)
    tracker.update(UserUttered(text, {"name": "faq", "confidence": 0.9}))
    tracker.update(ActionExecuted("utter_faq"))
    tracker.update(BotUttered(f"answer to {text}"))
    tracker.update(ActionExecuted("action_listen"))
    await s.save(tracker)


def texts(tracker: object) -> list[str]:
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]  # type: ignore[attr-defined]


async def test_a_long_conversation_is_served_short_but_stored_whole(tmp_path: Path) -> None:
    s = store(tmp_path / "t.db")
    tracker = await s.get_or_create_tracker("v1")
    tracker.update(SlotSet("condition", "hair_thinning"))
    await s.save(tracker)
    for turn in range(60):
        await one_turn(s, "v1", f"q{turn}")

    served = await s.retrieve("v1")
    full = await s.retrieve_full_tracker("v1")
    assert isinstance(served, WindowedTracker)
    assert len(served.events) <= 2 * 12 + len(DOMAIN.slots)
    assert served.get_slot("condition") == "hair_thinning"  # set 60 turns ago
    assert texts(full) == [f"q{turn}" for turn in range(60)]
    assert texts(served) == texts(full)[-len(texts(served)) :]


async def test_a_second_replica_sees_and_extends_the_same_conversation(tmp_path: Path) -> None:
    first, second = store(tmp_path / "t.db"), store(tmp_path / "t.db")
    await one_turn(first, "v2", "a")
    await one_turn(second, "v2", "b")
    await one_turn(first, "v2", "c")  # first's cached tracker is stale: it must catch up
    await one_turn(second, "v2", "d")
    full = await store(tmp_path / "t.db").retrieve_full_tracker("v2")
    assert texts(full) == ["a", "b", "c", "d"]
    bot = [e.text for e in full.events if isinstance(e, BotUttered)]
    assert bot == ["answer to a", "answer to b", "answer to c", "answer to d"]


async def test_changes_that_were_never_saved_are_not_served(tmp_path: Path) -> None:
    s = store(tmp_path / "t.db")
    await one_turn(s, "v3", "kept")
    tracker = await s.retrieve("v3")
    assert tracker is not None
    tracker.update(UserUttered("lost in a crash"))  # processing failed before save
    again = await s.retrieve("v3")
    assert texts(again) == ["kept"]


async def test_a_deleted_conversation_is_gone(tmp_path: Path) -> None:
    s = store(tmp_path / "t.db")
    await one_turn(s, "v4", "hello")
    with s.session_scope() as session:
        session.query(s.SQLEvent).filter(s.SQLEvent.sender_id == "v4").delete()
        session.commit()
    assert await s.retrieve("v4") is None


def test_the_window_starts_at_a_listen_outside_any_form() -> None:
    events = [ActionExecuted("action_listen"), UserUttered("plan"), ActiveLoop("schedule_form")]
    events += [ActionExecuted("action_listen"), UserUttered("x")] * 5
    events += [ActiveLoop(None), ActionExecuted("action_listen"), UserUttered("thanks")]
    cut = window_events(events, DOMAIN.slots, keep=4)
    assert cut is not None
    assert cut[0] == ActionExecuted("action_listen") and cut[-1] == UserUttered("thanks")


def test_no_window_while_a_form_spans_the_recent_events() -> None:
    events = [ActionExecuted("action_listen"), ActiveLoop("schedule_form")]
    events += [ActionExecuted("action_listen"), UserUttered("x")] * 10
    assert window_events(events, DOMAIN.slots, keep=4) is None


@pytest.mark.parametrize("keep", [100, 1000])
def test_short_conversations_are_not_cut(keep: int) -> None:
    events = [ActionExecuted("action_listen"), UserUttered("hi")]
    assert window_events(events, DOMAIN.slots, keep=keep) is None


async def test_a_retry_after_a_lost_acknowledgement_writes_nothing_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlalchemy as sa

    s = store(tmp_path / "t.db")
    await one_turn(s, "v5", "first")
    tracker = await s.retrieve("v5")
    assert isinstance(tracker, WindowedTracker)
    tracker.update(UserUttered("second", {"name": "faq", "confidence": 0.9}))
    tracker.update(ActionExecuted("action_listen"))
    write = s._write
    retries: list[bool] = []

    def commit_then_lose_the_acknowledgement(tracker: WindowedTracker, is_retry: bool) -> object:
        result = write(tracker, is_retry)
        retries.append(is_retry)
        if len(retries) == 1:  # committed, but the connection dropped before the answer
            raise sa.exc.OperationalError("COMMIT", {}, ConnectionError("connection lost"))
        return result

    monkeypatch.setattr(s, "_write", commit_then_lose_the_acknowledgement)
    await s.save(tracker)
    assert retries == [False, True]  # only the retry looks up what is stored
    full = await store(tmp_path / "t.db").retrieve_full_tracker("v5")
    assert texts(full) == ["first", "second"]
    listens = [e for e in full.events if isinstance(e, ActionExecuted)]
    assert [e.action_name for e in listens][-1:] == ["action_listen"]
    assert len(full.events) == len({(e.type_name, e.timestamp) for e in full.events})
    await one_turn(s, "v5", "third")  # the cache stays coherent afterwards
    served = await s.retrieve("v5")
    assert texts(served) == ["first", "second", "third"]


async def test_sqlite_connections_are_kept_between_messages(tmp_path: Path) -> None:
    import asyncio

    import sqlalchemy as sa

    s = store(tmp_path / "t.db")
    connects: list[object] = []
    sa.event.listen(s.engine, "connect", lambda connection, _record: connects.append(connection))
    for turn in range(5):
        await one_turn(s, "v-pool", f"q{turn}")
    s.forget("v-pool")  # the next retrieve reads the database again
    await asyncio.to_thread(lambda: asyncio.run(one_turn(s, "v-pool", "from another thread")))
    assert len(connects) == 1  # ten sessions, one connection
    with s.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    full = await store(tmp_path / "t.db").retrieve_full_tracker("v-pool")
    assert texts(full) == [f"q{turn}" for turn in range(5)] + ["from another thread"]


async def test_a_new_conversation_is_windowed_from_its_first_save(tmp_path: Path) -> None:
    s = store(tmp_path / "t.db")
    tracker = await s.get_or_create_tracker("v-new")
    assert isinstance(tracker, WindowedTracker)
    assert tracker.persisted_events == len(tracker.events) == 1  # action_listen, stored
    await one_turn(s, "v-new", "first question")
    full = await store(tmp_path / "t.db").retrieve_full_tracker("v-new")
    assert len(full.events) == 5
    assert texts(full) == ["first question"]


async def test_the_cache_never_holds_more_conversations_than_its_size(tmp_path: Path) -> None:
    s = WindowedSQLTrackerStore(
        domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"), cache_size=3
    )
    for number in range(10):
        await one_turn(s, f"many-{number}", "hello")
        assert len(s._cache) <= 3
    assert list(s._cache) == ["many-7", "many-8", "many-9"]


async def test_an_evicted_conversation_is_read_back_with_the_same_events(tmp_path: Path) -> None:
    s = WindowedSQLTrackerStore(
        domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"), cache_size=2
    )
    for turn in range(3):
        await one_turn(s, "evicted", f"q{turn}")
    before = await s.retrieve("evicted")
    assert before is not None
    remembered = [event.as_dict() for event in before.events]
    await one_turn(s, "other-1", "hello")
    await one_turn(s, "other-2", "hello")  # two newer conversations push it out
    assert "evicted" not in s._cache

    after = await s.retrieve("evicted")
    assert after is not None and after is not before  # read from the database
    assert [event.as_dict() for event in after.events] == remembered
    await one_turn(s, "evicted", "q3")  # and the conversation goes on from there
    assert texts(await s.retrieve_full_tracker("evicted")) == ["q0", "q1", "q2", "q3"]


async def test_a_visitors_next_message_is_served_from_memory(tmp_path: Path) -> None:
    s = store(tmp_path / "t.db")
    await one_turn(s, "regular", "first")
    first = await s.retrieve("regular")
    await one_turn(s, "regular", "second")
    assert await s.retrieve("regular") is first


async def test_with_no_cache_every_message_is_served_from_the_database(tmp_path: Path) -> None:
    s = WindowedSQLTrackerStore(
        domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"), cache_size=0
    )
    for turn in range(4):
        await one_turn(s, "uncached", f"q{turn}")
    assert not s._cache
    assert texts(await s.retrieve("uncached")) == ["q0", "q1", "q2", "q3"]


def test_the_cache_size_is_read_from_the_endpoints_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n"
        "  type: rasa_ext.stores.tracker_store.WindowedSQLTrackerStore\n"
        "  dialect: sqlite\n"
        f"  db: {tmp_path / 't.db'}\n"
        "  cache_size: ${TRACKER_CACHE_SIZE}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("TRACKER_CACHE_SIZE", "50")  # Rasa fills ${...} in as text
    created = TrackerStore.create(read_endpoint_config(str(endpoints), "tracker_store"), DOMAIN)
    assert isinstance(created, WindowedSQLTrackerStore)
    assert created.cache_size == 50


@pytest.mark.parametrize("written", ["-1", "lots", "2.5", True])
def test_a_cache_size_that_is_not_a_count_is_refused_with_what_to_write(
    tmp_path: Path, written: object
) -> None:
    with pytest.raises(ValueError, match=r"cache_size .* whole number of at least 0"):
        WindowedSQLTrackerStore(
            domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"), cache_size=written
        )

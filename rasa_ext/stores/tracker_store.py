"""A SQL tracker store whose cost per message does not grow with the conversation.

Rasa's `SQLTrackerStore` reloads and replays every event of the session on each
message, and its policies featurize that whole history: message 200 of a
conversation took 7x as long as message 5 (bench/README.md). This store keeps
every event in the database exactly as Rasa would, but hands the dialogue
engine a *windowed* tracker: the current state (slots) plus the most recent
events, which is all the policies (max_history 4), rules and actions look at.

Across processes and replicas it stays coherent: each message asks the
database for the newest event id of the conversation, and only a mismatch
costs a reload. The full history is always available through
`retrieve_full_tracker` (HTTP API, staff tools).

Database restarts are ridden out: a read or write that fails because the
database can't be reached is retried (without blocking other visitors) for up
to `retry_seconds` (default 20), so a visitor's message waits for PostgreSQL
to come back instead of being answered and then lost. Only after that does
Rasa's fail-safe take over (in memory, with an alert: rasa_ext/channels/health.py).

Only the trackers of conversations that are talking now are worth keeping in
memory: a cached tracker is a hit only when the conversation's next message
comes before it is evicted, and a miss costs one read of the session's events.
The cache holds `cache_size` conversations (default 200), least recently used
first out.

Use it in endpoints.yml with `type: rasa_ext.stores.tracker_store.WindowedSQLTrackerStore`
and the usual SQL settings (`dialect`, `db`, `url`, `username`, ...), plus, if
need be, `window_events`, `cache_size` and `retry_seconds`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

logger = logging.getLogger(__name__)

# Events a served tracker keeps (it is cut back to this many once it holds
# twice as many): a few turns more than the policies look at (max_history 4).
# Each message costs time in proportion to them (measured: bench/README.md).
DEFAULT_WINDOW_EVENTS = 40
# Conversations whose served tracker stays in memory. One pays for itself only
# if its conversation's next message comes before it is evicted: this is twice
# what 50 visitors at once needed (bench/README.md, "The tracker cache").
DEFAULT_CACHE_SIZE = 200
DEFAULT_RETRY_SECONDS = 20.0
# Errors that mean "the database can't be reached right now" (restart, network).
TRANSIENT_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError)
T = TypeVar("T")


class WindowedTracker(DialogueStateTracker):
    """A tracker holding the recent events of a conversation and its full state.

    `persisted_events` counts the leading events that are already in the
    database (or stand for events that are), so `save` writes only the rest.
    """

    persisted_events: int = 0
    last_event_id: int | None = None


def window_events(events: list[Event], slots: Iterable[Any], keep: int) -> list[Event] | None:
    """Events for a tracker that starts `keep` events back in the same state.

    The cut is made at an `action_listen` with no form active and the
    conversation not paused, so the policies see whole turns. Slot values at
    the cut are restored with `SlotSet` events. Returns None when no such cut
    exists (the events are already short, or a form spans them all).
    """
    if len(events) <= keep:
        return None
    replay = DialogueStateTracker("window", slots)
    earliest_cut = len(events) - keep
    for index, event in enumerate(events):
        if (
            index >= earliest_cut
            and isinstance(event, ActionExecuted)
            and event.action_name == ACTION_LISTEN_NAME
            and replay.active_loop_name is None
            and not replay.is_paused()
        ):
            initial = DialogueStateTracker("initial", slots).slots
            restored: list[Event] = [
                SlotSet(name, slot.value, timestamp=event.timestamp)
                for name, slot in replay.slots.items()
                if slot.value != initial[name].value
            ]
            return restored + events[index:]
        replay.update(event)
    return None


def _whole_number(name: str, value: Any, least: int) -> int:
    """A setting of the store (endpoints.yml gives text for `${VAR}`) as a whole number."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) < least:
        raise ValueError(
            f"tracker_store {name} in the endpoints file must be a whole number of at least "
            f"{least}, not {value!r}"
        )
    return int(text)


def _tune_sqlite(connection: Any, _record: Any) -> None:
    """Write-ahead log: readers never block the bot, and a commit needs no full sync.

    A committed message survives a crash of the process; only a power cut
    could lose the last commits (the production profile uses PostgreSQL).
    """
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class WindowedSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that serves windowed trackers from an in-process cache."""

    def __init__(
        self,
        *args: Any,
        window_events: int = DEFAULT_WINDOW_EVENTS,
        cache_size: int = DEFAULT_CACHE_SIZE,
        retry_seconds: float = DEFAULT_RETRY_SECONDS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.engine: sa.engine.Engine
        self.retry_seconds = float(retry_seconds)
        if self.engine.dialect.name == "sqlite":
            self._pool_sqlite_connections()
        self.window_size = _whole_number("window_events", window_events, least=1)
        self.cache_size = _whole_number("cache_size", cache_size, least=0)
        self._cache: OrderedDict[str, WindowedTracker] = OrderedDict()

    def _pool_sqlite_connections(self) -> None:
        """Keep SQLite connections open between messages, tuned once each.

        SQLAlchemy 1.4 opens a new connection to a SQLite file for every
        session (NullPool): two per message, each with its own PRAGMAs. A
        queue pool, as SQLAlchemy 2.0 uses for files, keeps them; a pooled
        connection serves one session at a time, so it may change threads.
        An in-memory database keeps Rasa's one-connection pool.
        """
        url = self.engine.url
        if url.database and url.database != ":memory:":
            self.engine.dispose()
            self.engine = sa.create_engine(
                url, poolclass=QueuePool, connect_args={"check_same_thread": False}
            )
            self.sessionmaker = sessionmaker(bind=self.engine)
        sa.event.listen(self.engine, "connect", _tune_sqlite)
        self.engine.dispose()  # connections made from now on get the settings

    async def _retrying(self, what: str, work: Callable[[], T]) -> T:
        """Run `work`, retrying while the database is unreachable, up to `retry_seconds`."""
        deadline = time.monotonic() + self.retry_seconds
        delay = 0.2
        while True:
            try:
                return work()
            except TRANSIENT_ERRORS as error:
                if time.monotonic() + delay > deadline:
                    raise
                logger.warning(
                    "tracker_store.retry operation=%s error=%s", what, type(error).__name__
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's current session as a windowed tracker."""
        return await self._retrying("retrieve", lambda: self._retrieve_windowed(sender_id))

    def _retrieve_windowed(self, sender_id: str) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            newest_id = self._newest_event_id(session, sender_id)
            cached = self._cache.get(sender_id)
            if newest_id is None:
                self._cache.pop(sender_id, None)
                return None
            if cached is not None and len(cached.events) == cached.persisted_events:
                if cached.last_event_id == newest_id:
                    self._cache.move_to_end(sender_id)
                    return cached
                newer = cached.last_event_id is not None and newest_id > cached.last_event_id
                if newer and self._catch_up(session, cached):
                    self._cache.move_to_end(sender_id)
                    return cached
            rows = self._event_query(session, sender_id, False).all()
        events = [json.loads(row.data) for row in rows]
        tracker = self._windowed(
            sender_id, DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        )
        tracker.last_event_id = newest_id
        self._remember(tracker)
        return tracker

    def init_tracker(self, sender_id: str) -> WindowedTracker:
        """A new conversation's tracker, windowed from its first save.

        With nothing of it stored yet, its first save writes every event
        without asking the database how many it already has (Rasa's way).
        """
        return WindowedTracker(
            sender_id, self.domain.slots, max_event_history=self.max_event_history
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write the events the database does not have yet, then publish them."""
        attempts = itertools.count()
        new_events, newest_id = await self._retrying(
            "save", lambda: self._write(tracker, is_retry=next(attempts) > 0)
        )
        if self.event_broker is not None:
            await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)
        if isinstance(tracker, WindowedTracker):
            tracker.persisted_events = len(tracker.events)
            if newest_id is not None:
                tracker.last_event_id = newest_id
            if len(tracker.events) > 2 * self.window_size:
                tracker = self._windowed(tracker.sender_id, tracker)
            self._remember(tracker)
        else:
            self._cache.pop(tracker.sender_id, None)

    def _write(
        self, tracker: DialogueStateTracker, is_retry: bool = False
    ) -> tuple[list[Event], int | None]:
        """Insert the events the database lacks, in one transaction.

        Only a retry checks what is already stored: a first attempt cannot
        have committed anything, and a failed save makes the next retrieve
        reload the conversation from the database.
        """
        with self.session_scope() as session:
            newest_stored = None
            if isinstance(tracker, WindowedTracker):
                new_events = missing = list(
                    itertools.islice(tracker.events, tracker.persisted_events, None)
                )
                if is_retry:
                    missing, newest_stored = self._not_yet_stored(session, tracker, new_events)
            else:
                new_events = missing = list(self._additional_events(session, tracker))
            newest_id = newest_stored
            if missing:
                # One executemany, not the ORM's insert per row to learn each id;
                # the conversation's lock keeps other writers out until the commit.
                rows = [self._row(tracker.sender_id, event) for event in missing]
                session.execute(sa.insert(self.SQLEvent.__table__), rows)
                newest_id = self._newest_event_id(session, tracker.sender_id)
            session.commit()
        return new_events, newest_id

    def _not_yet_stored(
        self, session: Any, tracker: WindowedTracker, events: list[Event]
    ) -> tuple[list[Event], int | None]:
        """`events` minus those an earlier attempt already committed, and the newest stored id.

        A commit can succeed and its acknowledgement be lost when the database
        connection drops (a PostgreSQL restart); the retry must not write the
        same events twice (tests/unit/rasa_ext/stores/test_tracker_store.py).
        """
        if not events:
            return events, None
        stored = (
            session.query(self.SQLEvent.id, self.SQLEvent.type_name, self.SQLEvent.timestamp)
            .filter(
                self.SQLEvent.sender_id == tracker.sender_id,
                self.SQLEvent.id > (tracker.last_event_id or 0),
            )
            .all()
        )
        if not stored:
            return events, None
        seen = {(row.type_name, row.timestamp) for row in stored}
        missing = [event for event in events if (event.type_name, event.timestamp) not in seen]
        return missing, max(row.id for row in stored)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Publishing happens in `save`, which knows exactly which events are new."""

    def forget(self, sender_id: str) -> None:
        """Drop the cached tracker (after the conversation was deleted)."""
        self._cache.pop(sender_id, None)

    def _windowed(self, sender_id: str, tracker: DialogueStateTracker) -> WindowedTracker:
        events = list(tracker.events)
        kept = window_events(events, self.domain.slots, self.window_size) or events
        windowed = WindowedTracker.from_events(sender_id, kept, self.domain.slots)
        assert isinstance(windowed, WindowedTracker)
        windowed.persisted_events = len(windowed.events)
        windowed.last_event_id = getattr(tracker, "last_event_id", None)
        return windowed

    def _remember(self, tracker: WindowedTracker) -> None:
        self._cache[tracker.sender_id] = tracker
        self._cache.move_to_end(tracker.sender_id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def _catch_up(self, session: Any, tracker: WindowedTracker) -> bool:
        """Apply events another process wrote since this one last saw the conversation.

        Returns False when a new session started meanwhile (reload instead).
        """
        rows = (
            session.query(self.SQLEvent)
            .filter(
                self.SQLEvent.sender_id == tracker.sender_id,
                self.SQLEvent.id > tracker.last_event_id,
            )
            .order_by(self.SQLEvent.id)
            .all()
        )
        if any(row.type_name == SessionStarted.type_name for row in rows):
            return False
        for row in rows:
            tracker.update(Event.from_parameters(json.loads(row.data)))
        tracker.persisted_events = len(tracker.events)
        tracker.last_event_id = rows[-1].id if rows else tracker.last_event_id
        return True

    def _newest_event_id(self, session: Any, sender_id: str) -> int | None:
        newest = (
            session.query(sa.func.max(self.SQLEvent.id))
            .filter(self.SQLEvent.sender_id == sender_id)
            .scalar()
        )
        return int(newest) if newest is not None else None

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        """The event's row in Rasa's `events` table."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

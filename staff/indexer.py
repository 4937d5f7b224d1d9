"""Keeps the console's index of visitor turns up to date with the tracker store.

Reads only the events stored since it last ran (by their id in `events`), so a
page view costs what was said since the last one, never a replay of every
conversation; run it on a timer or before a page (staff/background.py and the
console's sign-in guard, staff/routes/console.py, do both). It
works on SQLite and PostgreSQL alike, and two web replicas may run it at once:
the last read id is claimed in the same transaction as the rows it wrote.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from clinic.clarification import SOMETHING_ELSE_PAYLOAD
from clinic.names import PLANNER_FORM
from clinic.tracker_db import EVENTS
from staff import live
from staff.db import CALLBACKS, CONVERSATIONS, HANDOFFS, INDEX_STATE, TURNS
from staff.turns import (
    CHOICE,
    CLARIFY_ACCEPTED,
    CLARIFY_OFFERED,
    CLARIFY_REFUSED,
    CLARIFY_REPHRASED,
    FEEDBACK,
    FEEDBACK_ASK,
    FEEDBACK_INTENTS,
    PLANNER,
    RESOLUTION_WINDOW,
    SKIPS,
    WITH_STAFF,
    Turn,
    is_choice_of_a_guess,
    is_click,
    objection_to,
)

STATE = "events"
BATCH = 5000
SENDERS_PER_QUERY = 500  # well under SQLite's 999 bound parameters


@dataclass
class _Conversation:
    sender_id: str
    first_at: float
    last_at: float
    channel: str | None = None
    messages: int = 0
    planner_started: bool = False
    planner_completed: bool = False
    acting: str | None = None  # the action whose messages come next
    in_form: bool = False
    new: bool = True

    def row(self) -> dict[str, Any]:
        return {
            "sender_id": self.sender_id,
            "first_at": self.first_at,
            "last_at": self.last_at,
            "channel": self.channel,
            "messages": self.messages,
            "planner_started": self.planner_started,
            "planner_completed": self.planner_completed,
            "acting": self.acting,
            "in_form": self.in_form,
        }

    @classmethod
    def from_row(cls, row: Any) -> _Conversation:
        return cls(
            row.sender_id,
            row.first_at,
            row.last_at,
            row.channel,
            row.messages,
            row.planner_started,
            row.planner_completed,
            acting=row.acting,
            in_form=bool(row.in_form),
            new=False,
        )


def _chunks(senders: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted(set(senders))
    for start in range(0, len(ordered), SENDERS_PER_QUERY):
        yield ordered[start : start + SENDERS_PER_QUERY]


def _latest_two(senders: list[str]) -> sa.sql.Select:
    """Each sender's two newest turns, newest first (`rank` 1 and 2)."""
    rank = sa.func.row_number().over(
        partition_by=TURNS.c.sender_id, order_by=TURNS.c.event_id.desc()
    )
    ranked = sa.select(TURNS, rank.label("rank")).where(TURNS.c.sender_id.in_(senders)).subquery()
    return sa.select(ranked).where(ranked.c.rank <= 2)


@dataclass
class _Batch:
    """The turns and conversations one run touches, loaded once and written once."""

    connection: sa.engine.Connection
    conversations: dict[str, _Conversation] = field(default_factory=dict)
    latest: dict[str, Turn | None] = field(default_factory=dict)
    previous: dict[str, Turn | None] = field(default_factory=dict)
    new_turns: dict[int, Turn] = field(default_factory=dict)
    changed_turns: dict[int, Turn] = field(default_factory=dict)
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    # Live chats this run saw change: sender -> the columns to write.
    handoffs: dict[str, dict[str, Any]] = field(default_factory=dict)
    _open: dict[str, bool] = field(default_factory=dict)
    _looked_up: set[str] = field(default_factory=set)  # senders whose row was read

    def load(self, senders: Iterable[str]) -> None:
        """Read what the batch's conversations already have (their rows, live chats and
        latest turns), a chunk of senders per query: three queries per conversation took
        20 minutes to index 100,000 on PostgreSQL."""
        for chunk in _chunks(senders):
            self._load_conversations(chunk)
            self._load_handoffs(chunk)
            self._load_latest(chunk)

    def _load_conversations(self, senders: list[str]) -> None:
        self._looked_up.update(senders)
        rows = self.connection.execute(
            sa.select(CONVERSATIONS).where(CONVERSATIONS.c.sender_id.in_(senders))
        )
        for row in rows:
            self.conversations[row.sender_id] = _Conversation.from_row(row)

    def _load_handoffs(self, senders: list[str]) -> None:
        rows = self.connection.execute(
            sa.select(HANDOFFS.c.sender_id, HANDOFFS.c.ended_at).where(
                HANDOFFS.c.sender_id.in_(senders)
            )
        )
        self._open.update(dict.fromkeys(senders, False))
        self._open.update((row.sender_id, row.ended_at is None) for row in rows)

    def _load_latest(self, senders: list[str]) -> None:
        self.latest.update(dict.fromkeys(senders))
        self.previous.update(dict.fromkeys(senders))
        for row in self.connection.execute(_latest_two(senders)):
            turn = Turn.from_row(row)
            if row.rank == 1:
                self.latest[turn.sender_id] = turn
            else:
                self.previous[turn.sender_id] = turn

    def handoff_open(self, sender: str) -> bool:
        """Whether a live chat is running (paused and not yet ended) in this conversation."""
        if sender not in self._open:
            self._load_handoffs([sender])
        return self._open[sender]

    def handoff(self, sender: str, **values: Any) -> None:
        self.handoffs.setdefault(sender, {}).update(values)
        if "ended_at" in values:
            self._open[sender] = values["ended_at"] is None

    def conversation(self, sender: str, at: float) -> _Conversation:
        if sender not in self._looked_up:
            self._load_conversations([sender])
        if sender not in self.conversations:
            self.conversations[sender] = _Conversation(sender, at, at)
        return self.conversations[sender]

    def latest_turn(self, sender: str) -> Turn | None:
        if sender not in self.latest:
            self._load_latest([sender])
        return self.latest[sender]

    def changed(self, turn: Turn) -> None:
        if turn.event_id not in self.new_turns:
            self.changed_turns[turn.event_id] = turn

    def add_turn(self, turn: Turn) -> None:
        self.previous[turn.sender_id] = self.latest_turn(turn.sender_id)
        self.latest[turn.sender_id] = turn
        self.new_turns[turn.event_id] = turn

    def answered_turn_before(self, sender: str, turn: Turn) -> Turn | None:
        """The turn a 👍 or 👎 is about: the last one before it that wasn't feedback."""
        earlier = self.previous.get(sender)
        if earlier is not None and earlier.outcome != FEEDBACK:
            return earlier
        row = self.connection.execute(
            sa.select(TURNS)
            .where(
                TURNS.c.sender_id == sender,
                TURNS.c.event_id < turn.event_id,
                TURNS.c.outcome != FEEDBACK,
            )
            .order_by(TURNS.c.event_id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        cached = self.new_turns.get(row.event_id) or self.changed_turns.get(row.event_id)
        return cached or Turn.from_row(row)


REWOUND = "__rewound__"  # `acting` after a UserUtteranceReverted: a message is re-told
LISTEN = "action_listen"


def _retold(conversation: _Conversation, before: Turn | None, turn: Turn) -> bool:
    """A copy of the last message, as Rasa re-tells it (`_message_clarification`): same
    text, same time. A visitor typing the same words again is a new message."""
    return (
        conversation.acting == REWOUND
        and before is not None
        and (before.text, before.at) == (turn.text, turn.at)
    )


def _on_user(batch: _Batch, event_id: int, sender: str, data: dict[str, Any]) -> None:
    conversation = batch.conversation(sender, float(data.get("timestamp") or 0.0))
    turn = Turn.from_user_event(event_id, sender, data)
    turn.in_planner = conversation.in_form
    before = batch.latest_turn(sender)
    if _retold(conversation, before, turn):
        # Rasa's two-stage fallback re-tells the message that ended it (a picked
        # guess, or what was typed instead) after reverting it: the answer that
        # follows belongs to that message's turn, which is not counted again.
        conversation.acting = None
        return
    _object_to_earlier(batch, sender, turn)
    _asked_again(batch, sender, turn)
    if before is not None and before.outcome == CLARIFY_OFFERED:
        picked = is_choice_of_a_guess(turn.text)
        before.outcome = CLARIFY_ACCEPTED if picked else CLARIFY_REFUSED
        if not picked and not is_click(turn.text):
            before.outcome = CLARIFY_REPHRASED  # typed it again instead of choosing
        before.settled = True
        batch.changed(before)
        turn.choice = turn.text.startswith("/")
        turn.outcome = CHOICE if turn.choice else turn.outcome
    if turn.intent in FEEDBACK_INTENTS:
        turn.outcome, turn.settled = FEEDBACK, True
        rated = before if before is not None and before.outcome != FEEDBACK else None
        rated = rated or batch.answered_turn_before(sender, turn)
        if rated is not None:
            rated.feedback = FEEDBACK_INTENTS[turn.intent]
            batch.changed(rated)
    elif before is not None and before.replies and before.replies[-1] == FEEDBACK_ASK:
        turn.outcome, turn.settled = FEEDBACK, True  # what was missing, after a 👎
        rated = batch.answered_turn_before(sender, before)
        if rated is not None and turn.text.strip().lower() not in SKIPS:
            rated.feedback_text = turn.text[:1000]
            batch.changed(rated)
    if batch.handoff_open(sender):
        turn.outcome, turn.settled = WITH_STAFF, True  # staff answer it, not the bot
        batch.handoff(sender, last_visitor_at=turn.at)
    if turn.written:
        conversation.messages += 1
    conversation.last_at = max(conversation.last_at, turn.at)
    conversation.first_at = min(conversation.first_at, turn.at)
    conversation.channel = conversation.channel or data.get("input_channel")
    conversation.acting = None
    batch.add_turn(turn)


def _on_bot(batch: _Batch, sender: str, data: dict[str, Any]) -> None:
    turn = batch.latest_turn(sender)
    if turn is None:
        return  # said before the first visitor message (the session start)
    conversation = batch.conversation(sender, turn.at)
    metadata = data.get("metadata") or {}
    if metadata.get("staff"):
        return  # a live-chat message from staff: the transcript shows it, the bot didn't say it
    acting = conversation.acting if conversation.acting != REWOUND else None
    reply = str(metadata.get("utter_action") or metadata.get("sent_by") or acting or "")
    if reply:
        turn.add_reply(reply, str(data.get("text") or ""))
        batch.changed(turn)


def _asked_again(batch: _Batch, sender: str, turn: Turn) -> None:
    """A message typed after "Something else" asks the refused question again: that one
    no longer counts as a question of its own (it stays among the unanswered)."""
    before, refused = batch.latest_turn(sender), batch.previous.get(sender)
    if is_click(turn.text) or before is None or refused is None:
        return
    if before.text.startswith(SOMETHING_ELSE_PAYLOAD) and refused.outcome == CLARIFY_REFUSED:
        refused.outcome = CLARIFY_REPHRASED
        batch.changed(refused)


def _object_to_earlier(batch: _Batch, sender: str, turn: Turn) -> None:
    """Mark the answers this message (one of the visitor's next two) says didn't do."""
    if turn.intent in FEEDBACK_INTENTS or batch.handoff_open(sender):
        return  # a 👎 rates its answer itself; in a live chat staff answer
    before = batch.latest_turn(sender)
    if before is not None and before.replies and before.replies[-1] == FEEDBACK_ASK:
        return  # what was missing, after a 👎
    earlier = [before, batch.previous.get(sender)][:RESOLUTION_WINDOW]
    for number, answered in enumerate(earlier):
        if answered is None or answered.objection is not None:
            continue
        objection = objection_to(answered, turn, next_one=number == 0)
        if objection is not None:
            answered.objection = objection
            batch.changed(answered)


def _apply(batch: _Batch, event_id: int, sender: str, data: dict[str, Any]) -> None:
    kind = data.get("event")
    at = float(data.get("timestamp") or 0.0)
    if kind == "user":
        _on_user(batch, event_id, sender, data)
        return
    if kind == "bot":
        _on_bot(batch, sender, data)
        return
    conversation = batch.conversation(sender, at)
    conversation.last_at = max(conversation.last_at, at)
    if kind == "action":
        if not (conversation.acting == REWOUND and data.get("name") == LISTEN):
            conversation.acting = data.get("name")  # the re-told copy follows action_listen
    elif kind == "active_loop":
        conversation.in_form = data.get("name") == PLANNER_FORM
        if conversation.in_form:
            conversation.planner_started = True
            turn = batch.latest_turn(sender)
            if turn is not None and turn.outcome not in (FEEDBACK,):
                turn.in_planner = True
                turn.outcome = PLANNER if not turn.topics else turn.outcome
                batch.changed(turn)
    elif kind == "slot" and data.get("name") == "schedule" and data.get("value"):
        conversation.planner_completed = True
    elif kind == "slot" and data.get("name") == "callback_request":
        request = _callback(event_id, sender, at, data.get("value"))
        if request is not None:
            batch.callbacks.append(request)
    elif kind == "rewind":
        conversation.acting = REWOUND
    elif kind == "pause":
        batch.handoff(
            sender,
            asked_at=at,
            channel=conversation.channel,
            taken_by=None,
            taken_at=None,
            ended_at=None,
            end_reason=None,
        )
    elif kind == "resume" and batch.handoff_open(sender):
        reason = str((data.get("metadata") or {}).get("handoff") or "back")[:32]
        batch.handoff(sender, ended_at=at, end_reason=reason)
    elif kind in ("session_started", "restart"):
        conversation.in_form = False
        if batch.handoff_open(sender):
            # Rasa un-pauses silently on both: the console must not show a live chat.
            reason = "session_expired" if kind == "session_started" else "restarted"
            batch.handoff(sender, ended_at=at, end_reason=reason)


def _callback(event_id: int, sender: str, at: float, value: Any) -> dict[str, Any] | None:
    """A kept callback request as a row, or None for a cleared or malformed slot."""
    if not isinstance(value, dict) or value.get("consent") is not True:
        return None
    fields = {key: str(value.get(key) or "").strip() for key in ("name", "contact", "time")}
    if not all(fields.values()):
        return None
    return {
        "event_id": event_id,
        "sender_id": sender,
        "at": at,
        "name": fields["name"][:80],
        "contact": fields["contact"][:320],
        "preferred_time": fields["time"][:120],
    }


def _write_handoffs(batch: _Batch) -> None:
    for sender, values in batch.handoffs.items():
        found = batch.connection.execute(
            sa.update(HANDOFFS).where(HANDOFFS.c.sender_id == sender).values(**values)
        )
        if found.rowcount == 0 and "asked_at" in values:
            batch.connection.execute(sa.insert(HANDOFFS).values(sender_id=sender, **values))
        if values.get("ended_at") is not None:
            live.keep_ended(batch.connection, sender)


def _write(batch: _Batch) -> None:
    connection = batch.connection
    _write_handoffs(batch)
    if batch.callbacks:
        connection.execute(sa.insert(CALLBACKS), batch.callbacks)
    if batch.new_turns:
        connection.execute(sa.insert(TURNS), [t.row() for t in batch.new_turns.values()])
    for turn in batch.changed_turns.values():
        connection.execute(
            sa.update(TURNS).where(TURNS.c.event_id == turn.event_id).values(**turn.row())
        )
    fresh = [c.row() for c in batch.conversations.values() if c.new]
    if fresh:
        connection.execute(sa.insert(CONVERSATIONS), fresh)
    for conversation in batch.conversations.values():
        if not conversation.new:
            row = conversation.row()
            connection.execute(
                sa.update(CONVERSATIONS)
                .where(CONVERSATIONS.c.sender_id == row.pop("sender_id"))
                .values(**row)
            )


def _events(rows: Iterable[Any]) -> Iterable[tuple[int, str, dict[str, Any]]]:
    for row in rows:
        try:
            data = json.loads(row.data or "{}")
        except ValueError:
            continue  # an event we can't read is left out, not the whole index
        if isinstance(data, dict):
            yield row.id, row.sender_id, data


def index_new_events(engine: sa.engine.Engine, batch_size: int = BATCH) -> int:
    """Index every event stored since the last run; returns how many were read."""
    total = 0
    while True:
        with engine.begin() as connection:
            state = connection.execute(
                sa.select(INDEX_STATE.c.last_event_id).where(INDEX_STATE.c.name == STATE)
            ).scalar()
            last = int(state or 0)
            rows = connection.execute(
                sa.select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.data)
                .where(EVENTS.c.id > last)
                .order_by(EVENTS.c.id)
                .limit(batch_size)
            ).all()
            if not rows:
                return total
            batch = _Batch(connection)
            batch.load(row.sender_id for row in rows)
            for event_id, sender, data in _events(rows):
                _apply(batch, event_id, sender, data)
            _write(batch)
            newest = rows[-1].id
            if state is None:
                connection.execute(sa.insert(INDEX_STATE).values(name=STATE, last_event_id=newest))
            else:
                claimed = connection.execute(
                    sa.update(INDEX_STATE)
                    .where(INDEX_STATE.c.name == STATE, INDEX_STATE.c.last_event_id == last)
                    .values(last_event_id=newest)
                )
                if claimed.rowcount != 1:
                    raise _Raced()
            total += len(rows)


class _Raced(RuntimeError):
    """Another replica indexed the same events first; this run's writes are rolled back."""


def catch_up(engine: sa.engine.Engine) -> int:
    """Index what's new, leaving it to the other replica if it is already doing so."""
    try:
        return index_new_events(engine)
    except (_Raced, sa.exc.IntegrityError):
        return 0

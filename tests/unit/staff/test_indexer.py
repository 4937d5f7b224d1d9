"""The index of visitor turns, built from the tracker store's events (staff/indexer.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bench.console_seed import MODEL_ID, UNCLEAR, seed
from clinic.tracker_db import EVENTS
from staff import indexer
from staff.db import CONVERSATIONS, INDEX_STATE, TURNS, create_tables
from staff.indexer import catch_up, index_new_events
from staff.turns import (
    ANSWERED,
    CLARIFY_ACCEPTED,
    CLARIFY_OFFERED,
    CLARIFY_REFUSED,
    CLARIFY_REPHRASED,
    CLINIC_INFO,
    CONTACT,
    FALLBACK,
    FEEDBACK,
    NOT_COVERED,
    OTHER,
    OTHER_LANGUAGE,
    OUT_OF_SCOPE,
    PLANNER,
    SAFETY,
)
from tests.unit.staff.helpers import (
    NOW,
    Visit,
    conversation,
    planning,
    replies,
    snapshot,
    store,
    topics,
    turn,
    turns,
)


def fresh(path: Path) -> sa.engine.Engine:
    engine = sa.create_engine(f"sqlite:///{path}")
    create_tables(engine)
    return engine


# --- one turn, as stored ------------------------------------------------------------------


def test_an_answer_is_indexed_with_what_the_visitor_said_and_what_the_bot_did(
    engine: sa.engine.Engine,
) -> None:
    visit = Visit("v1", NOW - 3600).start()
    visit.ask("what is mesotherapy", "faq", "utter_faq/what_is", "Mesotherapy is…", confidence=0.91)
    rows = visit.take()
    ids = store(engine, rows)

    assert index_new_events(engine) == len(rows)

    (only,) = turns(engine)
    user = next(i for i, row in enumerate(rows) if row["type_name"] == "user")
    assert only.event_id == ids[user]
    assert only.sender_id == "v1" and only.at == rows[user]["timestamp"]
    assert (only.text, only.intent, only.confidence) == ("what is mesotherapy", "faq", 0.91)
    assert only.model_id == MODEL_ID
    assert only.outcome == ANSWERED
    assert replies(only) == ["utter_faq/what_is"], "the privacy notice came before the question"
    assert only.reply_text == "Mesotherapy is…"
    assert topics(only) == ["what_is"]
    assert only.feedback is None and only.feedback_text is None

    talk = conversation(engine, "v1")
    assert talk.messages == 1 and talk.channel == "socketio"
    assert not talk.planner_started and not talk.planner_completed
    assert talk.first_at == rows[0]["timestamp"] and talk.last_at == rows[-1]["timestamp"]


@pytest.mark.parametrize(
    ("text", "intent", "response", "action", "outcome", "answered_topics"),
    [
        ("can i go in the sun after", "faq", "utter_faq/sun_after", None, ANSWERED, ["sun_after"]),
        ("how much does it cost", "faq", "utter_faq/price", None, NOT_COVERED, []),
        ("when are you open", "faq", "utter_faq/opening_hours", None, CLINIC_INFO, []),
        ("i'm pregnant, can i have it", "ask_pregnancy", "utter_pregnancy", None, SAFETY, []),
        (
            "my face is swollen",
            "report_adverse_reaction",
            "utter_adverse_reaction",
            None,
            SAFETY,
            [],
        ),
        ("can i talk to a person", "request_human", "utter_request_human", None, CONTACT, []),
        ("what's the weather", "out_of_scope", "utter_out_of_scope", None, OUT_OF_SCOPE, []),
        ("asdf qwerty", "nlu_fallback", None, "action_default_fallback", FALLBACK, []),
        ("cuánto cuesta", "other_language", "utter_other_language", None, OTHER_LANGUAGE, []),
        ("hello there", "greet", "utter_greet_first", None, OTHER, []),
    ],
)
def test_each_kind_of_reply_gives_its_outcome(
    engine: sa.engine.Engine,
    text: str,
    intent: str,
    response: str | None,
    action: str | None,
    outcome: str,
    answered_topics: list[str],
) -> None:
    store(engine, Visit("v1", NOW).start().ask(text, intent, response, action=action).take())
    index_new_events(engine)
    found = turn(engine, text)
    assert found.outcome == outcome
    assert replies(found) == [response or action]
    assert topics(found) == answered_topics


def test_a_turn_with_several_replies_counts_the_one_that_says_most(
    engine: sa.engine.Engine,
) -> None:
    visit = Visit("v1", NOW).start()
    visit.user("i'm pregnant, what's in the injection", "ask_pregnancy")
    visit.bot("utter_faq", "It contains vitamins…", "utter_faq/ingredients")
    visit.bot("utter_source", "From the clinic's article.")
    visit.bot("utter_pregnancy", "Please talk to the team first.")
    visit.listen()
    store(engine, visit.take())
    index_new_events(engine)
    found = turn(engine, "i'm pregnant, what's in the injection")
    assert found.outcome == SAFETY
    assert replies(found) == ["utter_faq/ingredients", "utter_source", "utter_pregnancy"]
    assert topics(found) == ["ingredients"]
    assert found.reply_text == "It contains vitamins…\nPlease talk to the team first."


def test_bot_messages_before_the_first_visitor_message_make_no_turn(
    engine: sa.engine.Engine,
) -> None:
    visit = Visit("v1", NOW).start()
    store(engine, visit.take())
    index_new_events(engine)
    assert turns(engine) == []
    assert conversation(engine, "v1").messages == 0

    store(engine, visit.ask("does it hurt", "faq", "utter_faq/pain").take())
    index_new_events(engine)
    (only,) = turns(engine)
    assert replies(only) == ["utter_faq/pain"] and only.outcome == NOT_COVERED
    assert conversation(engine, "v1").messages == 1


def test_interleaved_conversations_keep_their_own_replies(engine: sa.engine.Engine) -> None:
    first = Visit("v1", NOW).start().ask("what is mesotherapy", "faq", "utter_faq/what_is")
    second = Visit("v2", NOW + 0.05).start().ask("how much does it cost", "faq", "utter_faq/price")
    both = sorted(first.take() + second.take(), key=lambda row: row["timestamp"])
    said = [
        (row["sender_id"], row["type_name"])
        for row in both
        if row["type_name"] in ("user", "bot") and "utter_privacy_notice" not in row["data"]
    ]
    assert said == [("v1", "user"), ("v2", "user"), ("v1", "bot"), ("v2", "bot")], "interleaved"
    store(engine, both)
    index_new_events(engine)
    assert turn(engine, "what is mesotherapy", "v1").outcome == ANSWERED
    assert turn(engine, "how much does it cost", "v2").outcome == NOT_COVERED
    assert replies(turn(engine, "how much does it cost", "v2")) == ["utter_faq/price"]
    assert conversation(engine, "v1").messages == conversation(engine, "v2").messages == 1


# --- "did you mean…?" ---------------------------------------------------------------------


def offer(visit: Visit) -> Visit:
    return visit.ask(
        "do you do lip fillers too",
        "nlu_fallback",
        None,
        "Did you mean…?",
        action="action_default_ask_affirmation",
        confidence=0.3,
    )


@pytest.mark.parametrize("index_between", [False, True])
def test_a_picked_guess_makes_the_offer_accepted(
    engine: sa.engine.Engine, index_between: bool
) -> None:
    visit = offer(Visit("v1", NOW).start())
    if index_between:
        store(engine, visit.take())
        index_new_events(engine)
        assert turn(engine, "do you do lip fillers too").outcome == CLARIFY_OFFERED
    visit.ask("/faq/what_is", "faq", "utter_faq/what_is", "Mesotherapy is…", confidence=1.0)
    store(engine, visit.take())
    index_new_events(engine)
    assert turn(engine, "do you do lip fillers too").outcome == CLARIFY_ACCEPTED
    assert turn(engine, "/faq/what_is").outcome == ANSWERED


@pytest.mark.parametrize("index_between", [False, True])
def test_something_else_makes_the_offer_refused(
    engine: sa.engine.Engine, index_between: bool
) -> None:
    visit = offer(Visit("v1", NOW).start())
    if index_between:
        store(engine, visit.take())
        index_new_events(engine)
    visit.ask(
        "/out_of_scope",
        "out_of_scope",
        None,
        "Could you say it another way?",
        action="action_default_ask_rephrase",
        confidence=1.0,
    )
    store(engine, visit.take())
    index_new_events(engine)
    assert turn(engine, "do you do lip fillers too").outcome == CLARIFY_REFUSED


def test_typing_instead_of_picking_a_guess_refuses_them(engine: sa.engine.Engine) -> None:
    visit = offer(Visit("v1", NOW).start()).ask(
        "lip fillers", "nlu_fallback", None, action="action_default_fallback"
    )
    store(engine, visit.take())
    index_new_events(engine)
    assert turn(engine, "do you do lip fillers too").outcome == CLARIFY_REPHRASED
    assert turn(engine, "lip fillers").outcome == FALLBACK


def test_an_offer_with_no_answer_yet_stays_offered(engine: sa.engine.Engine) -> None:
    store(engine, offer(Visit("v1", NOW).start()).take())
    index_new_events(engine)
    assert turn(engine, "do you do lip fillers too").outcome == CLARIFY_OFFERED


# --- 👍 / 👎 ------------------------------------------------------------------------------


@pytest.mark.parametrize("index_each_step", [False, True])
def test_a_thumbs_up_rates_the_answer_just_before_it(
    engine: sa.engine.Engine, index_each_step: bool
) -> None:
    visit = Visit("v1", NOW).start()
    steps: list[Callable[[], Visit]] = [
        lambda: visit.ask("what is mesotherapy", "faq", "utter_faq/what_is"),
        lambda: visit.ask("can i exercise after", "faq", "utter_faq/exercise_after"),
        lambda: visit.thumbs(up=True),
    ]
    for step in steps:
        step()
        if index_each_step:
            store(engine, visit.take())
            index_new_events(engine)
    store(engine, visit.take())
    index_new_events(engine)

    assert turn(engine, "can i exercise after").feedback == "up"
    assert turn(engine, "can i exercise after").outcome == ANSWERED
    assert turn(engine, "what is mesotherapy").feedback is None
    rating = turn(engine, "/feedback_up")
    assert rating.outcome == FEEDBACK and rating.feedback is None


@pytest.mark.parametrize("index_each_step", [False, True])
def test_a_thumbs_down_and_what_was_missing_go_on_the_answer(
    engine: sa.engine.Engine, index_each_step: bool
) -> None:
    visit = Visit("v1", NOW).start()
    steps: list[Callable[[], Visit]] = [
        lambda: visit.ask("how often are sessions", "faq", "utter_faq/session_frequency"),
        lambda: visit.thumbs(up=False),
        lambda: visit.missing("i wanted to know about prices"),
        lambda: visit.ask("does it hurt", "faq", "utter_faq/pain"),
    ]
    for step in steps:
        step()
        if index_each_step:
            store(engine, visit.take())
            index_new_events(engine)
    store(engine, visit.take())
    index_new_events(engine)

    rated = turn(engine, "how often are sessions")
    assert rated.feedback == "down"
    assert rated.feedback_text == "i wanted to know about prices"
    assert rated.outcome == ANSWERED
    assert turn(engine, "/feedback_down").outcome == FEEDBACK
    said = turn(engine, "i wanted to know about prices")
    assert said.outcome == FEEDBACK, "what was missing is not a question to count"
    assert said.feedback is None and said.feedback_text is None
    after = turn(engine, "does it hurt")
    assert after.outcome == NOT_COVERED, "the next message is a question again"
    assert after.feedback is None and after.feedback_text is None


def test_what_was_missing_is_kept_to_a_thousand_characters(engine: sa.engine.Engine) -> None:
    long = "more about prices " * 100
    visit = Visit("v1", NOW).start().ask("what is mesotherapy", "faq", "utter_faq/what_is")
    store(engine, visit.thumbs(up=False).missing(long).take())
    index_new_events(engine)
    assert turn(engine, "what is mesotherapy").feedback_text == long[:1000]


def test_skipping_what_was_missing_leaves_no_text(engine: sa.engine.Engine) -> None:
    # utter_ask_feedback_text offers a "Skip" button whose payload is "skip".
    visit = Visit("v1", NOW).start().ask("what is mesotherapy", "faq", "utter_faq/what_is")
    store(engine, visit.thumbs(up=False).missing("skip").take())
    index_new_events(engine)
    rated = turn(engine, "what is mesotherapy")
    assert rated.feedback == "down"
    assert rated.feedback_text is None, "the visitor said nothing was missing"


def test_a_message_after_a_thumbs_up_is_a_question_not_feedback(engine: sa.engine.Engine) -> None:
    visit = Visit("v1", NOW).start().ask("what is mesotherapy", "faq", "utter_faq/what_is")
    visit.thumbs(up=True).ask("how much does it cost", "faq", "utter_faq/price")
    store(engine, visit.take())
    index_new_events(engine)
    assert turn(engine, "how much does it cost").outcome == NOT_COVERED
    assert turn(engine, "what is mesotherapy").feedback_text is None


# --- the planner --------------------------------------------------------------------------


@pytest.mark.parametrize("completed", [True, False])
def test_the_planner_steps_and_whether_a_plan_was_made(
    engine: sa.engine.Engine, completed: bool
) -> None:
    visit = Visit("v1", NOW).start()
    planning(visit, completed)
    visit.ask("thanks", "thank", "utter_thank")
    store(engine, visit.take())
    index_new_events(engine)

    assert turn(engine, "plan my sessions").outcome == PLANNER
    assert replies(turn(engine, "plan my sessions")) == ["utter_ask_start_date"]
    assert turn(engine, "next monday").outcome == PLANNER
    assert turn(engine, "thanks").outcome == OTHER, "the form had ended"
    talk = conversation(engine, "v1")
    assert talk.planner_started and talk.planner_completed is completed
    assert talk.messages == 3


def test_a_question_answered_during_the_planner_is_an_answer(engine: sa.engine.Engine) -> None:
    visit = Visit("v1", NOW).start()
    visit.user("plan my sessions", "request_schedule")
    visit.add({"event": "action", "name": "schedule_form"})
    visit.add({"event": "active_loop", "name": "schedule_form"}, 0.0)
    visit.bot("schedule_form", "When would you like to start?", "utter_ask_start_date")
    visit.listen()
    visit.ask("can i go in the sun after", "faq", "utter_faq/sun_after")
    store(engine, visit.take())
    index_new_events(engine)
    assert turn(engine, "can i go in the sun after").outcome == ANSWERED
    assert conversation(engine, "v1").planner_started
    assert not conversation(engine, "v1").planner_completed


def test_the_planners_answers_are_planner_steps_whether_indexed_in_one_run_or_two(
    tmp_path: Path,
) -> None:
    visit = Visit("v1", NOW).start()
    visit.user("plan my sessions", "request_schedule")
    visit.add({"event": "action", "name": "schedule_form"})
    visit.add({"event": "active_loop", "name": "schedule_form"}, 0.0)
    visit.bot("schedule_form", "When would you like to start?", "utter_ask_start_date")
    visit.listen()
    before = visit.take()
    # The visitor answers after a staff page view has indexed the question.
    visit.user("next monday", "inform")
    visit.add({"event": "action", "name": "schedule_form"})
    visit.bot("schedule_form", "How many sessions?", "utter_ask_session_count")
    visit.listen()
    after = visit.take()

    at_once = fresh(tmp_path / "once.db")
    store(at_once, before + after)
    index_new_events(at_once)
    in_two = fresh(tmp_path / "two.db")
    store(in_two, before)
    index_new_events(in_two)
    store(in_two, after)
    index_new_events(in_two)

    assert turn(at_once, "next monday").outcome == PLANNER
    assert turn(in_two, "next monday").outcome == PLANNER, "the form is still active"


# --- reading only what's new ----------------------------------------------------------------


def test_indexing_reads_only_the_events_stored_since_the_last_run(
    engine: sa.engine.Engine,
) -> None:
    first = Visit("v1", NOW).start().ask("what is mesotherapy", "faq", "utter_faq/what_is")
    rows = first.take()
    store(engine, rows)
    assert index_new_events(engine) == len(rows)
    assert index_new_events(engine) == 0
    assert catch_up(engine) == 0

    first.ask("does it hurt", "faq", "utter_faq/pain")
    second = (
        Visit("v2", NOW + 100).start().ask("when are you open", "faq", "utter_faq/opening_hours")
    )
    later = first.take() + second.take()
    store(engine, later)
    assert index_new_events(engine) == len(later)
    assert index_new_events(engine) == 0

    assert [t.text for t in turns(engine)] == [
        "what is mesotherapy",
        "does it hurt",
        "when are you open",
    ]
    assert len({t.event_id for t in turns(engine)}) == 3, "nothing indexed twice"
    v1 = conversation(engine, "v1")
    assert v1.messages == 2 and v1.last_at == max(
        r["timestamp"] for r in later if r["sender_id"] == "v1"
    )
    assert conversation(engine, "v2").messages == 1
    with engine.connect() as connection:
        last = connection.execute(
            sa.select(INDEX_STATE.c.last_event_id).where(INDEX_STATE.c.name == indexer.STATE)
        ).scalar()
        newest = connection.execute(sa.select(sa.func.max(EVENTS.c.id))).scalar()
    assert last == newest


def test_catch_up_indexes_like_index_new_events(engine: sa.engine.Engine) -> None:
    rows = Visit("v1", NOW).start().ask("what is mesotherapy", "faq", "utter_faq/what_is").take()
    store(engine, rows)
    assert catch_up(engine) == len(rows)
    assert turn(engine, "what is mesotherapy").outcome == ANSWERED


def feedback_script() -> list[dict[str, Any]]:
    visit = Visit("v1", NOW).start()
    visit.ask("what is mesotherapy", "faq", "utter_faq/what_is")
    visit.thumbs(up=False).missing("the price")
    visit.ask("how much does it cost", "faq", "utter_faq/price")
    visit.ask("i'm pregnant, can i have it", "ask_pregnancy", "utter_pregnancy")
    visit.ask("can i exercise after", "faq", "utter_faq/exercise_after")
    visit.thumbs(up=True)
    return visit.take()


def test_a_reply_stored_after_a_run_is_attached_to_its_turn_wherever_the_run_fell(
    tmp_path: Path,
) -> None:
    rows = feedback_script()
    reference = fresh(tmp_path / "reference.db")
    store(reference, rows)
    index_new_events(reference)
    expected = snapshot(reference)
    assert len(expected[0]) == 7

    for split in range(1, len(rows)):
        engine = fresh(tmp_path / f"split-{split}.db")
        store(engine, rows[:split])
        index_new_events(engine)
        store(engine, rows[split:])
        index_new_events(engine)
        assert snapshot(engine) == expected, f"a run after event {split} of {len(rows)}"


@pytest.mark.parametrize("batch_size", [1, 2, 3, 5])
def test_small_batches_index_the_same_as_one(tmp_path: Path, batch_size: int) -> None:
    rows = feedback_script()
    reference = fresh(tmp_path / "reference.db")
    store(reference, rows)
    index_new_events(reference)
    engine = fresh(tmp_path / "batched.db")
    store(engine, rows)
    assert index_new_events(engine, batch_size=batch_size) == len(rows)
    assert snapshot(engine) == snapshot(reference)


@pytest.mark.parametrize(
    ("text", "intent", "action", "outcome"),
    [
        ("asdf qwerty", "nlu_fallback", "action_default_fallback", FALLBACK),
        (
            "do you do lip fillers too",
            "nlu_fallback",
            "action_default_ask_affirmation",
            CLARIFY_OFFERED,
        ),
    ],
)
def test_an_action_message_read_in_the_batch_after_its_action_is_still_its_reply(
    engine: sa.engine.Engine, text: str, intent: str, action: str, outcome: str
) -> None:
    # A custom action's message has no `utter_action`: the reply is the action
    # event just before it. A batch (or a page view's run) may end between the two.
    visit = Visit("v1", NOW).start().ask(text, intent, None, action=action)
    rows = visit.take()
    bot = next(i for i, row in enumerate(rows) if row["type_name"] == "bot" and i > 4)
    assert rows[bot - 1]["action_name"] == action
    store(engine, rows)
    index_new_events(engine, batch_size=bot)  # the first batch ends with the action event
    found = turn(engine, text)
    assert replies(found) == [action]
    assert found.outcome == outcome


# --- what can go wrong ------------------------------------------------------------------


def test_an_unreadable_event_is_skipped_and_the_rest_indexed(engine: sa.engine.Engine) -> None:
    visit = Visit("v1", NOW).start().ask("what is mesotherapy", "faq", "utter_faq/what_is")
    visit.user("how much does it cost", "faq")
    head = visit.take()
    visit.bot("utter_faq", "The article doesn't say…", "utter_faq/price")
    visit.listen()
    tail = visit.take()
    broken = [
        {"sender_id": "v1", "type_name": "bot", "timestamp": NOW, "data": "{not json"},
        {"sender_id": "v1", "type_name": "bot", "timestamp": NOW, "data": "[1, 2]"},
    ]
    store(engine, head + broken + tail)

    assert index_new_events(engine) == len(head) + len(broken) + len(tail)
    assert turn(engine, "what is mesotherapy").outcome == ANSWERED
    price = turn(engine, "how much does it cost")
    assert price.outcome == NOT_COVERED and replies(price) == ["utter_faq/price"]
    assert index_new_events(engine) == 0, "the unreadable events are not read again"


# --- a batch reads its conversations at once ------------------------------------------------


def visits(count: int) -> list[Visit]:
    return [
        Visit(f"v{number}", NOW + number)
        .start()
        .ask("what is mesotherapy", "faq", "utter_faq/what_is")
        for number in range(count)
    ]


def more_of(talks: list[Visit]) -> list[dict[str, Any]]:
    """A rating, what was missing and a new question in every conversation."""
    for visit in talks:
        visit.thumbs(up=False).missing("the price").ask("does it hurt", "faq", "utter_faq/pain")
    return [row for visit in talks for row in visit.take()]


def reads_of_a_run_on(tmp_path: Path, count: int) -> int:
    """The queries a run makes that adds to every one of `count` indexed conversations."""
    engine = fresh(tmp_path / f"{count}.db")
    talks = visits(count)
    store(engine, [row for visit in talks for row in visit.take()])
    index_new_events(engine)
    store(engine, more_of(talks))
    statements: list[str] = []
    sa.event.listen(
        engine, "before_cursor_execute", lambda *call: statements.append(call[2]), retval=False
    )
    index_new_events(engine)
    assert len(turns(engine)) == 4 * count
    return sum(1 for statement in statements if statement.lstrip().upper().startswith("SELECT"))


def test_a_run_reads_its_conversations_in_as_many_queries_for_300_as_for_3(
    tmp_path: Path,
) -> None:
    assert reads_of_a_run_on(tmp_path, 300) == reads_of_a_run_on(tmp_path, 3)


def test_reading_conversations_a_few_at_a_time_indexes_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshots = []
    for per_query in (500, 7):
        monkeypatch.setattr(indexer, "SENDERS_PER_QUERY", per_query)
        engine = fresh(tmp_path / f"{per_query}.db")
        talks = visits(30)
        store(engine, [row for visit in talks for row in visit.take()])
        index_new_events(engine)
        store(engine, more_of(talks))
        index_new_events(engine)
        snapshots.append(snapshot(engine))
    assert snapshots[0] == snapshots[1]
    assert sum(1 for t in turns(engine) if t.feedback_text == "the price") == 30


# --- a whole seeded tracker store -----------------------------------------------------------


def test_a_seeded_tracker_store_indexes_consistently(engine: sa.engine.Engine) -> None:
    written = seed(engine, 60, days=10, seed_value=11)
    assert index_new_events(engine) == written
    with engine.connect() as connection:
        users = connection.execute(
            sa.select(EVENTS.c.sender_id, EVENTS.c.data).where(EVENTS.c.type_name == "user")
        ).all()
        senders = set(connection.execute(sa.select(EVENTS.c.sender_id).distinct()).scalars())
        talks = connection.execute(sa.select(CONVERSATIONS)).all()
    indexed = turns(engine)
    texts = [json.loads(data)["text"] for _, data in users]

    assert len(indexed) == len(users) and sorted(t.text for t in indexed) == sorted(texts)
    assert {t.sender_id for t in talks} == senders
    typed = [t for t in indexed if not t.text.startswith("/")]
    assert typed and len(typed) < len(indexed), "the seed has button clicks"
    assert sum(t.messages for t in talks) == len(typed), "a conversation counts what was written"
    ratings = sum(1 for text in texts if text in ("/feedback_up", "/feedback_down"))
    assert ratings > 0
    assert sum(1 for t in indexed if t.feedback is not None) == ratings, "one answer per rating"
    assert all(t.feedback == "down" for t in indexed if t.feedback_text)
    assert all(t.outcome == FEEDBACK for t in indexed if t.text.startswith("/feedback_"))
    assert all(t.outcome == ANSWERED for t in indexed if topics(t))
    unclear = [t for t in indexed if t.text in UNCLEAR]
    assert unclear and {t.outcome for t in unclear} <= {
        CLARIFY_ACCEPTED,
        CLARIFY_REFUSED,
        CLARIFY_REPHRASED,
    }
    assert all(t.planner_started for t in talks if t.planner_completed)
    assert any(t.planner_completed for t in talks)
    with engine.connect() as connection:
        outcomes = set(connection.execute(sa.select(TURNS.c.outcome).distinct()).scalars())
    assert {ANSWERED, NOT_COVERED, SAFETY, PLANNER, FEEDBACK} <= outcomes

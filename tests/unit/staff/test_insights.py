"""The overview's numbers over a period (staff/insights.py), from indexed conversations."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from staff.indexer import index_new_events
from staff.insights import RESOLUTION_DEFINITION, overview, ratings
from staff.periods import DAYS
from staff.turns import QUESTIONS, UNANSWERED
from tests.unit.staff.helpers import DAY, NOW, Visit, planning, store, turn, turns


def week_and_older(engine: sa.engine.Engine) -> None:
    """Two conversations in the last week and one ten days ago, each message counted below."""
    a = Visit("a", NOW - 2 * DAY).start()
    a.ask("what is mesotherapy", "faq", "utter_faq/what_is")  # answered, then 👎
    a.thumbs(up=False).missing("the price")  # two feedback turns
    a.ask("can i exercise after", "faq", "utter_faq/exercise_after")  # answered, then 👍
    a.thumbs(up=True)  # feedback
    a.ask("how much does it cost", "faq", "utter_faq/price")  # not covered, then 👎
    a.thumbs(up=False).missing("i wanted a number")  # two feedback turns
    a.ask("i'm pregnant, can i have it", "ask_pregnancy", "utter_pregnancy")  # safety
    a.ask("hello", "greet", "utter_greet_first")  # small talk
    b = Visit("b", NOW - DAY + 60).start()
    b.ask("what is mesotherapy", "faq", "utter_faq/what_is")  # answered, then 👍
    b.thumbs(up=True)  # feedback
    b.ask("asdf qwerty", "nlu_fallback", None, action="action_default_fallback")  # fallback
    b.ask("what's the weather", "out_of_scope", "utter_out_of_scope")  # out of scope
    b.ask("can i talk to a person", "request_human", "utter_request_human")  # contact
    planning(b, completed=True)  # two planner turns
    c = Visit("c", NOW - 10 * DAY).start()
    c.ask("does it hurt", "faq", "utter_faq/pain")  # not covered
    c.ask("how do i prepare", "faq", "utter_faq/preparation")  # answered, then 👎
    c.thumbs(up=False)  # feedback
    store(engine, a.take() + b.take() + c.take())
    index_new_events(engine)


def test_the_weeks_counts(engine: sa.engine.Engine) -> None:
    week_and_older(engine)
    found = overview(engine, "week", NOW)
    assert (found.since, found.until) == (NOW - 7 * DAY, NOW)
    counts = found.counts
    assert counts["messages"] == 7 + 6, "what a and b wrote (not their 👍/👎); none of c's"
    assert counts["conversations"] == 2
    assert counts["answered"] == 3
    assert counts["not_covered"] == 1
    assert counts["safety"] == 1
    assert counts["contact"] == 1
    assert counts["fallback"] == 1
    assert counts["out_of_scope"] == 1
    assert counts["clarify_offered"] == 0 and counts["clarify_accepted"] == 0
    assert counts["feedback_up"] == 2 and counts["feedback_down"] == 2
    assert counts["planner_started"] == 1 and counts["planner_completed"] == 1
    # Questions: 3 answered + 1 not covered + safety + contact + fallback + out of scope.
    assert counts["questions"] == 8
    # Resolved: 3 answered, less the one rated 👎, and the safety route. Not the request
    # for a person, nor the not-covered answer (its 👎 takes nothing off).
    assert counts["resolved"] == 3
    assert found.resolution_rate == pytest.approx(3 / 8)


def test_a_turn_older_than_the_period_is_not_counted(engine: sa.engine.Engine) -> None:
    week_and_older(engine)
    week = overview(engine, "week", NOW).counts
    month = overview(engine, "month", NOW).counts
    # c, ten days old: 1 not covered, 1 answered rated 👎, its 👎 (a click, not written).
    assert month["messages"] == week["messages"] + 2
    assert month["conversations"] == week["conversations"] + 1
    assert month["not_covered"] == week["not_covered"] + 1
    assert month["answered"] == week["answered"] + 1
    assert month["feedback_down"] == week["feedback_down"] + 1
    assert month["questions"] == week["questions"] + 2
    assert month["resolved"] == week["resolved"], "c's answer was rated 👎"
    day = overview(engine, "day", NOW).counts
    assert day["conversations"] == 1 and day["messages"] == 6, "only b is from the last day"


def said_at(sender: str, at: float, text: str, response: str) -> list[dict[str, object]]:
    """A visitor message stored at exactly `at`, and its answer."""
    visit = Visit(sender, at - 20.0)  # a visitor message comes 20 s after the writer's clock
    visit.user(text, "faq")
    visit.bot("utter_faq", "an answer", response)
    rows = visit.take()
    assert rows[0]["timestamp"] == at
    return rows


def test_the_period_includes_its_first_moment_and_ends_now(engine: sa.engine.Engine) -> None:
    since = NOW - DAY
    store(
        engine,
        said_at("first", since, "what is mesotherapy", "utter_faq/what_is")
        + said_at("too-early", since - 1.0, "does it hurt", "utter_faq/pain")
        + said_at("last", NOW, "how do i prepare", "utter_faq/preparation")
        + said_at("too-late", NOW + 1.0, "how much is it", "utter_faq/price"),
    )
    index_new_events(engine)
    assert len(turns(engine)) == 4

    counts = overview(engine, "day", NOW).counts
    assert counts["messages"] == 2
    assert counts["answered"] == 2 and counts["not_covered"] == 0
    assert counts["conversations"] == 2


def test_a_thumbs_down_makes_a_resolved_answer_unresolved(engine: sa.engine.Engine) -> None:
    visit = Visit("v", NOW - 3600)
    visit.ask("what is mesotherapy", "faq", "utter_faq/what_is")
    visit.ask("how do i prepare", "faq", "utter_faq/preparation")
    store(engine, visit.take())
    index_new_events(engine)
    assert overview(engine, "day", NOW).resolution_rate == 1.0

    store(engine, visit.thumbs(up=False).take())
    index_new_events(engine)
    found = overview(engine, "day", NOW)
    assert found.counts["questions"] == 2, "the 👎 is not a question"
    assert found.counts["resolved"] == 1
    assert found.resolution_rate == 0.5


def test_no_questions_means_no_resolution_rate(engine: sa.engine.Engine) -> None:
    visit = Visit("v", NOW - 3600).ask("hello", "greet", "utter_greet_first")
    store(engine, visit.ask("thanks", "thank", "utter_thank").take())
    index_new_events(engine)
    found = overview(engine, "week", NOW)
    assert found.counts["messages"] == 2 and found.counts["questions"] == 0
    assert found.resolution_rate is None


@pytest.mark.parametrize("period", sorted(DAYS))
def test_the_time_series_adds_up_to_the_counts(engine: sa.engine.Engine, period: str) -> None:
    week_and_older(engine)
    found = overview(engine, period, NOW)
    bucket = 3600 if period == "day" else 86400
    assert found.series, "one point per bucket"
    assert sum(p["messages"] for p in found.series) == found.counts["messages"]
    indexed = [
        t for t in turns(engine) if found.since <= t.at <= NOW and not t.text.startswith("/")
    ]
    assert sum(p["unanswered"] for p in found.series) == sum(
        1 for t in indexed if t.outcome in UNANSWERED
    )
    assert all(p["at"] % bucket == 0 for p in found.series)
    assert [p["at"] for p in found.series] == sorted({p["at"] for p in found.series})
    assert found.series[0]["at"] <= found.since < found.series[0]["at"] + bucket
    assert found.series[-1]["at"] <= NOW < found.series[-1]["at"] + bucket
    for point in found.series:
        in_bucket = [t for t in indexed if point["at"] <= t.at < point["at"] + bucket]
        assert point["messages"] == len(in_bucket)
        assert point["resolved"] + point["unanswered"] <= point["messages"]


def test_the_charts_resolved_line_agrees_with_the_resolved_count(engine: sa.engine.Engine) -> None:
    # The overview prints "Resolved … and not rated 👎" above the chart's "Resolved" line.
    week_and_older(engine)
    found = overview(engine, "week", NOW)
    assert sum(p["resolved"] for p in found.series) == found.counts["resolved"]


def test_helpfulness_per_article_topic(engine: sa.engine.Engine) -> None:
    week_and_older(engine)
    topics = overview(engine, "week", NOW).topics
    # what_is: 👎 by a, 👍 by b; exercise_after: 👍; the price answer's 👎 has no article topic.
    assert topics == [
        {"topic": "what_is", "up": 1, "down": 1, "helpful": 0.5},
        {"topic": "(no article topic)", "up": 0, "down": 1, "helpful": 0.0},
        {"topic": "exercise_after", "up": 1, "down": 0, "helpful": 1.0},
    ]
    month = {t["topic"]: t for t in overview(engine, "month", NOW).topics}
    assert month["preparation"] == {"topic": "preparation", "up": 0, "down": 1, "helpful": 0.0}


@pytest.mark.parametrize("period", sorted(DAYS))
def test_the_feedback_pages_ratings_are_the_overviews(
    engine: sa.engine.Engine, period: str
) -> None:
    week_and_older(engine)
    found = overview(engine, period, NOW)
    rated = ratings(engine, found.since, found.until)
    assert rated.up == found.counts["feedback_up"]
    assert rated.down == found.counts["feedback_down"]
    assert rated.topics == found.topics


def test_ratings_count_every_rated_answer_of_the_period_once(engine: sa.engine.Engine) -> None:
    week_and_older(engine)
    # Ten days back: a's and b's ratings (2 👍, 2 👎) and c's 👎 on the preparation answer.
    rated = ratings(engine, NOW - 10 * DAY, NOW)
    assert (rated.up, rated.down) == (2, 3)
    assert sum(t["up"] + t["down"] for t in rated.topics) == 5, "each answer has one topic"
    # From just after c's answer: not c's 👎 (a rating counts when the answer was given).
    rated = ratings(engine, NOW - 10 * DAY + 60, NOW)
    assert (rated.up, rated.down) == (2, 2)
    assert ratings(engine, NOW - 20 * DAY, NOW - 11 * DAY) == ratings(engine, NOW, NOW)
    assert ratings(engine, NOW, NOW).topics == []


def test_the_overview_reads_its_period_from_indexes_alone(engine: sa.engine.Engine) -> None:
    # Not a timing: the plans SQLite picks. Grouping the turns by `floor(at / bucket)`
    # and reading each turn's row made the month's overview take over a second at 100,000
    # conversations (bench/README.md).
    week_and_older(engine)
    statements: list[tuple[str, Any]] = []

    @sa.event.listens_for(engine, "before_cursor_execute")
    def keep(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    overview(engine, "month", NOW)
    sa.event.remove(engine, "before_cursor_execute", keep)
    with engine.connect() as connection:
        plans = [
            " / ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {s}", p))
            for s, p in statements
        ]
    turns, conversations, rated = plans
    # The turns are read in the index's order, with no sort; only their per-hour sums
    # (a few thousand rows) are sorted into the chart's buckets.
    by_hour, _sorted_sums = turns.split("SCAN per_hour")
    assert "COVERING INDEX ix_staff_turns_period" in by_hour and "TEMP B-TREE" not in by_hour
    assert "COVERING INDEX ix_staff_conversations_first_at" in conversations
    assert "INDEX ix_staff_turns_rated (feedback=? AND at>? AND at<?)" in rated


def test_one_refused_guess_is_one_did_you_mean(engine: sa.engine.Engine) -> None:
    visit = Visit("v", NOW - 3600).ask(
        "do you do lip fillers too", "nlu_fallback", None, action="action_default_ask_affirmation"
    )
    visit.ask("/out_of_scope", "out_of_scope", None, action="action_default_ask_rephrase")
    store(engine, visit.take())
    index_new_events(engine)
    counts = overview(engine, "day", NOW).counts
    assert counts["clarify_offered"] == 1, "one 'did you mean…?' was offered"


def test_a_picked_guess_counts_as_accepted_and_resolved(engine: sa.engine.Engine) -> None:
    visit = Visit("v", NOW - 3600).ask(
        "do you do lip fillers too", "nlu_fallback", None, action="action_default_ask_affirmation"
    )
    visit.ask("/faq/what_is", "faq", "utter_faq/what_is")
    store(engine, visit.take())
    index_new_events(engine)
    counts = overview(engine, "day", NOW).counts
    assert counts["clarify_offered"] == 1 and counts["clarify_accepted"] == 1
    assert counts["resolved"] == counts["questions"]


def test_the_widgets_greeting_and_thumbs_are_not_visitor_messages(
    engine: sa.engine.Engine,
) -> None:
    visit = Visit("v", NOW - 3600).start()
    visit.ask("/greet", "greet", "utter_greet_first")  # the widget sends it on opening
    visit.ask("what is mesotherapy", "faq", "utter_faq/what_is")
    visit.thumbs(up=True)
    visit.thumbs(up=False).missing("more detail")
    store(engine, visit.take())
    index_new_events(engine)
    counts = overview(engine, "day", NOW).counts
    assert counts["messages"] == 2, "the question and what was missing"
    assert counts["questions"] == 1
    assert sum(p["messages"] for p in overview(engine, "day", NOW).series) == 2


# --- the resolution rate, on built conversations -------------------------------------------


def ask_person(visit: Visit, text: str = "can i talk to a person") -> Visit:
    return visit.ask(text, "request_human", "utter_request_human")


def wrong_topic(visit: Visit) -> None:
    """Asked about exercise, told what mesotherapy is, asked again in nearly the same words."""
    visit.ask("can i exercise after it", "faq", "utter_faq/what_is")
    visit.ask("can i exercise after", "faq", "utter_faq/exercise_after")


def good_answers(visit: Visit) -> None:
    visit.ask("what is mesotherapy", "faq", "utter_faq/what_is")
    visit.ask("can i exercise after", "faq", "utter_faq/exercise_after")


def person_after_answer(visit: Visit) -> None:
    visit.ask("how do i prepare", "faq", "utter_faq/preparation")
    ask_person(visit)


def person_two_messages_later(visit: Visit) -> None:
    visit.ask("how do i prepare", "faq", "utter_faq/preparation")
    visit.ask("hello", "greet", "utter_greet")
    ask_person(visit)


def objection_three_messages_later(visit: Visit) -> None:
    visit.ask("how do i prepare", "faq", "utter_faq/preparation")
    visit.ask("what is mesotherapy", "faq", "utter_faq/what_is")
    visit.ask("thanks", "thank", "utter_thank")
    ask_person(visit)


def denied(visit: Visit) -> None:
    visit.ask("can i go in the sun after", "faq", "utter_faq/sun_after")
    visit.ask("no that's not what i asked", "deny", "utter_deny")


def no_words(visit: Visit) -> None:
    visit.ask("????", "faq", "utter_faq/what_is")
    visit.ask("🙂🙂🙂", "faq", "utter_faq/sessions_needed")


def safety_then_person(visit: Visit) -> None:
    visit.ask("i'm pregnant, can i have it", "ask_pregnancy", "utter_pregnancy")
    ask_person(visit, "/request_human")  # the "Chat with the team" button


def thumbs_down(visit: Visit) -> None:
    visit.ask("how often are sessions", "faq", "utter_faq/session_frequency")
    visit.thumbs(up=False).missing("skip")


def clinic_details_then_another_question(visit: Visit) -> None:
    visit.ask("when are you open", "faq", "utter_faq/opening_hours")
    visit.ask("how much does it cost", "faq", "utter_faq/price")


@pytest.mark.parametrize(
    ("script", "resolved", "unresolved"),
    [
        (good_answers, ["what is mesotherapy", "can i exercise after"], []),
        (wrong_topic, ["can i exercise after"], ["can i exercise after it"]),
        (person_after_answer, [], ["how do i prepare", "can i talk to a person"]),
        (person_two_messages_later, [], ["how do i prepare", "can i talk to a person"]),
        (
            objection_three_messages_later,
            ["how do i prepare"],
            ["what is mesotherapy", "can i talk to a person"],
        ),
        (denied, [], ["can i go in the sun after"]),
        (no_words, [], ["????", "🙂🙂🙂"]),
        (safety_then_person, ["i'm pregnant, can i have it"], ["/request_human"]),
        (thumbs_down, [], ["how often are sessions"]),
        (clinic_details_then_another_question, ["when are you open"], ["how much does it cost"]),
    ],
)
def test_a_question_is_resolved_only_if_answered_and_not_taken_back(
    engine: sa.engine.Engine, script: Any, resolved: list[str], unresolved: list[str]
) -> None:
    visit = Visit("v", NOW - 3600).start()
    script(visit)
    store(engine, visit.take())
    index_new_events(engine)
    assert [t.text for t in turns(engine) if t.resolved] == resolved
    questions = [t.text for t in turns(engine) if t.outcome in QUESTIONS]
    assert sorted(questions) == sorted(resolved + unresolved)
    counts = overview(engine, "day", NOW).counts
    assert (counts["resolved"], counts["questions"]) == (len(resolved), len(questions))


@pytest.mark.parametrize("split", range(1, 12))
def test_an_objection_indexed_in_a_later_run_still_unresolves_the_answer(
    engine: sa.engine.Engine, split: int
) -> None:
    visit = Visit("v", NOW - 3600).start()
    person_two_messages_later(visit)
    rows = visit.take()
    store(engine, rows[:split])
    index_new_events(engine)
    store(engine, rows[split:])
    index_new_events(engine)
    assert not turn(engine, "how do i prepare").resolved


def test_the_overview_states_the_definition(engine: sa.engine.Engine) -> None:
    for words in ("next 2 messages", "👎", "person", "nearly the same words", "wrong both ways"):
        assert words in RESOLUTION_DEFINITION

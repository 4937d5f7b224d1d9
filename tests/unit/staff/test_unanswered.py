"""Unanswered visitor messages, grouped by what they ask (staff/unanswered.py)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
import yaml

from staff.db import DECISIONS
from staff.indexer import index_new_events
from staff.review import ARTICLE_QUESTIONS, new_wordings
from staff.turns import CLARIFY_REFUSED, FALLBACK, NOT_COVERED, OUT_OF_SCOPE
from staff.unanswered import Group, decide, file_wordings, key_of, unanswered_groups
from tests.unit.staff.helpers import DAY, NOW, Visit, store

SINCE, UNTIL = NOW - 30 * DAY, NOW


def unclear(visit: Visit, text: str) -> Visit:
    """A message the bot didn't understand (its fallback)."""
    return visit.ask(text, "nlu_fallback", None, action="action_default_fallback", confidence=0.2)


def groups(engine: sa.engine.Engine) -> list[Group]:
    index_new_events(engine)
    return unanswered_groups(engine, SINCE, UNTIL)


def group_of(found: list[Group], key: str) -> Group:
    (group,) = [g for g in found if key in g.keys]
    return group


def test_keys_ignore_case_spacing_and_punctuation() -> None:
    assert key_of("  How much does it COST?? ") == "how much does it cost"
    assert key_of("how much, does it cost") == key_of("How much does it cost!")
    assert key_of("??? ") == "???", "a message with no words is still a message"
    assert key_of("🙂🙂🙂") == "🙂🙂🙂"
    assert len(key_of("a " * 300)) == 255


def test_similar_wordings_are_one_group_and_other_questions_apart(
    engine: sa.engine.Engine,
) -> None:
    visit = Visit("v1", NOW - DAY)
    unclear(visit, "how much does it cost")
    unclear(visit, "how much do you charge")
    unclear(visit, "can i bring my dog")
    other = Visit("v2", NOW - DAY + 500)
    other.ask("is there parking at the clinic", "out_of_scope", "utter_out_of_scope")
    other.ask("is parking available nearby", "out_of_scope", "utter_out_of_scope")
    store(engine, visit.take() + other.take())

    found = groups(engine)

    price = group_of(found, "how much does it cost")
    assert sorted(price.keys) == ["how much do you charge", "how much does it cost"]
    assert price.count == 2 and price.outcomes == {FALLBACK: 2}
    dog = group_of(found, "can i bring my dog")
    assert dog.keys == ["can i bring my dog"] and dog is not price
    parking = group_of(found, "is parking available nearby")
    assert sorted(parking.keys) == ["is parking available nearby", "is there parking at the clinic"]
    assert parking.outcomes == {OUT_OF_SCOPE: 2}
    assert len(found) == 3
    assert sum(g.count for g in found) == 5


def test_groups_follow_the_question_not_the_answer_the_bot_gave(
    engine: sa.engine.Engine,
) -> None:
    # The bot gave one "not covered" answer to three different questions, and two
    # different answers to one question: the groups follow what was asked.
    visit = Visit("v1", NOW - DAY)
    visit.ask("what age can you have it from", "faq", "utter_faq/not_in_article")
    visit.ask("can i have it if i have rosacea", "faq", "utter_faq/not_in_article")
    visit.ask("can men have it", "faq", "utter_faq/not_in_article")
    visit.ask("how much does it cost", "faq", "utter_faq/price")
    unclear(visit, "whats the price")
    store(engine, visit.take())

    found = groups(engine)

    ages = group_of(found, "what age can you have it from")
    assert ages.keys == ["what age can you have it from"]
    assert group_of(found, "can i have it if i have rosacea") is not ages
    assert group_of(found, "can men have it") is not ages
    price = group_of(found, "whats the price")
    assert sorted(price.keys) == ["how much does it cost", "whats the price"]
    assert price.outcomes == {NOT_COVERED: 1, FALLBACK: 1}


def test_a_message_of_emoji_only_is_listed(engine: sa.engine.Engine) -> None:
    visit = Visit("v1", NOW - DAY)
    unclear(visit, "🙂🙂🙂")
    unclear(visit, "????")
    store(engine, visit.take())
    found = groups(engine)
    assert sorted(k for g in found for k in g.keys) == ["????", "🙂🙂🙂"]
    assert sum(g.count for g in found) == 2


def test_identical_messages_are_counted_once_with_their_number(engine: sa.engine.Engine) -> None:
    first = unclear(Visit("v1", NOW - 3 * DAY), "Can I bring my dog?")
    second = unclear(Visit("v2", NOW - 2 * DAY), "can i bring my dog")
    third = unclear(Visit("v3", NOW - DAY), "can I bring my  dog")
    rows = first.take() + second.take() + third.take()
    store(engine, rows)

    (group,) = groups(engine)

    assert group.key == "can i bring my dog" and group.keys == ["can i bring my dog"]
    assert group.count == 3
    assert group.examples == ["can I bring my  dog"], "as most recently written"
    assert sorted(group.conversations) == ["v1", "v2", "v3"]
    user_times = [row["timestamp"] for row in rows if row["type_name"] == "user"]
    assert (group.first_seen, group.last_seen) == (min(user_times), max(user_times))


def test_a_group_links_each_of_its_conversations_once(engine: sa.engine.Engine) -> None:
    # One visitor asking twice, in two wordings of the same question.
    visit = Visit("v1", NOW - DAY)
    unclear(visit, "how much does it cost")
    unclear(visit, "how much do you charge")
    other = unclear(Visit("v2", NOW - 3600), "how much does it cost")
    store(engine, visit.take() + other.take())

    (group,) = groups(engine)

    assert group.count == 3
    assert sorted(group.conversations) == ["v1", "v2"]


def test_answered_messages_and_button_payloads_are_not_listed(engine: sa.engine.Engine) -> None:
    visit = Visit("v1", NOW - DAY)
    visit.ask("what is mesotherapy", "faq", "utter_faq/what_is")
    visit.ask("when are you open", "faq", "utter_faq/opening_hours")
    visit.ask(
        "lip fillers?",
        "nlu_fallback",
        None,
        action="action_default_ask_affirmation",
        confidence=0.3,
    )
    visit.ask("/out_of_scope", "out_of_scope", None, action="action_default_ask_rephrase")
    store(engine, visit.take())

    found = groups(engine)

    assert [g.keys for g in found] == [["lip fillers"]]
    assert found[0].outcomes == {CLARIFY_REFUSED: 1}
    assert not any(e.startswith("/") for g in found for e in g.examples)


def test_only_the_period_is_grouped(engine: sa.engine.Engine) -> None:
    old = unclear(Visit("old", NOW - 40 * DAY), "can i bring my dog")
    recent = unclear(Visit("new", NOW - DAY), "is there wifi")
    store(engine, old.take() + recent.take())
    assert [g.keys for g in groups(engine)] == [["is there wifi"]]
    longer = unanswered_groups(engine, NOW - 50 * DAY, UNTIL)
    assert sorted(k for g in longer for k in g.keys) == ["can i bring my dog", "is there wifi"]
    assert unanswered_groups(engine, NOW - 50 * DAY, NOW - 35 * DAY)[0].keys == [
        "can i bring my dog"
    ]


def test_the_biggest_group_comes_first(engine: sa.engine.Engine) -> None:
    visit = Visit("v1", NOW - DAY)
    unclear(visit, "can i bring my dog")
    for _ in range(3):
        unclear(visit, "is there wifi")
    store(engine, visit.take())
    assert [(g.key, g.count) for g in groups(engine)] == [
        ("is there wifi", 3),
        ("can i bring my dog", 1),
    ]


def test_a_decided_group_is_hidden_until_a_new_wording_arrives(engine: sa.engine.Engine) -> None:
    visit = Visit("v1", NOW - 2 * DAY)
    unclear(visit, "how much does it cost")
    unclear(visit, "how much do you charge")
    unclear(visit, "can i bring my dog")
    store(engine, visit.take())
    price = group_of(groups(engine), "how much does it cost")

    decide(engine, price.keys, "dismissed", "alice", NOW - DAY)

    assert [g.keys for g in groups(engine)] == [["can i bring my dog"]]
    with engine.connect() as connection:
        filed = connection.execute(sa.select(DECISIONS).order_by(DECISIONS.c.key)).all()
    assert [(d.key, d.decision, d.account) for d in filed] == [
        ("how much do you charge", "dismissed", "alice"),
        ("how much does it cost", "dismissed", "alice"),
    ]

    # The same words again stay hidden; a new wording of the question shows.
    later = Visit("v2", NOW - 3600)
    unclear(later, "How much does it cost?")
    unclear(later, "what is the price in total")
    store(engine, later.take())
    found = groups(engine)
    shown = [key for g in found for key in g.keys]
    assert "what is the price in total" in shown
    assert "how much does it cost" not in shown and "how much do you charge" not in shown
    assert sorted(shown) == ["can i bring my dog", "what is the price in total"]


def test_deciding_again_replaces_the_earlier_decision(engine: sa.engine.Engine) -> None:
    decide(engine, ["is there wifi"], "dismissed", "alice", NOW - 10)
    decide(engine, ["is there wifi"], "new_wording", "bob", NOW, topic="faq/what_is")
    with engine.connect() as connection:
        (row,) = connection.execute(sa.select(DECISIONS)).all()
    assert (row.decision, row.topic, row.account, row.at) == (
        "new_wording",
        "faq/what_is",
        "bob",
        NOW,
    )


def test_filing_writes_the_ticked_wordings_and_marks_done_only_those(
    engine: sa.engine.Engine, tmp_path: Path
) -> None:
    visit = Visit("v1", NOW - DAY)
    for text in ("how much does it cost", "How much does it cost?", "whats the price"):
        unclear(visit, text)
    unclear(visit, "how much do you charge")
    store(engine, visit.take())
    (price,) = groups(engine)
    assert sorted(price.keys) == [
        "how much do you charge",
        "how much does it cost",
        "whats the price",
    ]

    filed = file_wordings(
        engine,
        tmp_path,
        ["how much does it cost", "whats the price", "never asked"],
        "new_wording",
        "alice",
        NOW,
        topic="faq/sessions_needed",
    )

    assert (filed.wordings, filed.messages, filed.left_out) == (2, 3, 1)
    assert new_wordings(tmp_path, "faq/sessions_needed") == [
        "How much does it cost?",
        "whats the price",
    ]
    (left,) = groups(engine)
    assert left.keys == ["how much do you charge"], "the unticked wording stays listed"
    with engine.connect() as connection:
        done = set(connection.execute(sa.select(DECISIONS.c.key)).scalars())
    assert done == {"how much does it cost", "whats the price"}


def test_a_question_for_the_article_counts_every_message_filed(
    engine: sa.engine.Engine, tmp_path: Path
) -> None:
    visit = Visit("v1", NOW - DAY)
    for text in ("is it vegan", "is it vegan?", "IS IT VEGAN"):
        unclear(visit, text)
    store(engine, visit.take())
    assert [g.count for g in groups(engine)] == [3]
    filed = file_wordings(engine, tmp_path, ["is it vegan"], "article", "alice", NOW)
    assert (filed.wordings, filed.messages) == (1, 3)
    written = yaml.safe_load((tmp_path / ARTICLE_QUESTIONS).read_text(encoding="utf-8"))
    assert written["questions"][0]["times"] == 3
    assert groups(engine) == []


def test_a_wording_already_filed_is_not_filed_again(
    engine: sa.engine.Engine, tmp_path: Path
) -> None:
    store(engine, unclear(Visit("v1", NOW - DAY), "can i bring my dog").take())
    index_new_events(engine)
    decide(engine, ["can i bring my dog"], "dismissed", "alice", NOW - 10)
    filed = file_wordings(engine, tmp_path, ["can i bring my dog"], "article", "bob", NOW)
    assert (filed.wordings, filed.left_out) == (0, 1)
    assert not (tmp_path / ARTICLE_QUESTIONS).exists()

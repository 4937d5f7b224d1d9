"""The Conversations page's list (staff/conversation_list.py): paged, filtered, each row
with its channel, first question and how it went."""

from __future__ import annotations

import json

import sqlalchemy as sa

from staff.conversation_list import Filters, channels, conversation_page
from staff.indexer import index_new_events
from tests.unit.staff.helpers import DAY, NOW, Visit, store


def on(visit: Visit, channel: str) -> Visit:
    for row in visit.rows:
        data = json.loads(row["data"])
        if "input_channel" in data:
            data["input_channel"] = channel
            row["data"] = json.dumps(data)
    return visit


def three(engine: sa.engine.Engine) -> None:
    """Safety on Telegram three days ago, an unanswered question two days ago, an answer today."""
    a = Visit("a", NOW - 3 * DAY).start()
    a.ask("/greet", "greet", "utter_greet")
    a.ask("i'm pregnant, can i", "ask_pregnancy", "utter_pregnancy")
    a.ask("what is it", "faq", "utter_faq/what_is")
    b = Visit("b", NOW - 2 * DAY).start()
    b.ask("do you sell vouchers", "nlu_fallback", None, action="action_default_fallback")
    c = Visit("c", NOW - 600).start()
    c.ask("what is mesotherapy", "faq", "utter_faq/what_is")
    c.ask("thanks", "thank", "utter_thank")
    store(engine, on(a, "telegram").take() + b.take() + c.take())
    index_new_events(engine)


def test_rows_newest_first_with_what_staff_read(engine: sa.engine.Engine) -> None:
    three(engine)
    found = conversation_page(engine, Filters())
    assert [row.sender_id for row in found.rows] == ["c", "b", "a"]
    assert [row.outcome for row in found.rows] == ["Answered", "Not answered", "Safety route"]
    assert [row.channel for row in found.rows] == ["the website chat"] * 2 + ["Telegram"]
    assert found.rows[2].first_message == "i'm pregnant, can i", "not the /greet"
    assert (found.page, found.pages, found.total) == (1, 1, 3)


def test_pages(engine: sa.engine.Engine) -> None:
    three(engine)
    pages = [conversation_page(engine, Filters(), page=n, per_page=2) for n in (1, 2, 3)]
    assert [[row.sender_id for row in p.rows] for p in pages] == [["c", "b"], ["a"], ["a"]]
    assert pages[0].pages == 2


def test_filters(engine: sa.engine.Engine) -> None:
    three(engine)

    def senders(**filters: object) -> list[str]:
        return [row.sender_id for row in conversation_page(engine, Filters(**filters)).rows]

    assert senders(channel="telegram") == ["a"]
    assert senders(outcome="safety") == ["a"]
    assert senders(outcome="unanswered") == ["b"]
    assert senders(outcome="answered") == ["c", "a"]
    assert senders(outcome="nonsense") == ["c", "b", "a"], "an unknown outcome narrows nothing"
    assert senders(since=NOW - 2.5 * DAY) == ["c", "b"]
    assert senders(until=NOW - 2.5 * DAY) == ["a"]
    assert senders(words="MESOTHERAPY") == ["c"]
    assert senders(words="100%") == []
    assert senders(words="b") == ["b"], "an id, whole"
    assert senders(words="what", channel="telegram") == ["a"]


def test_a_search_shows_the_matching_message(engine: sa.engine.Engine) -> None:
    three(engine)
    (row,) = conversation_page(engine, Filters(words="what is it")).rows
    assert (row.first_message, row.matching) == ("i'm pregnant, can i", "what is it")


def test_channels_are_named_for_staff(engine: sa.engine.Engine) -> None:
    three(engine)
    assert channels(engine) == [("telegram", "Telegram"), ("socketio", "the website chat")]

"""The latest answers rated 👎 (staff/feedback.py), with what was missing."""

from __future__ import annotations

import sqlalchemy as sa

from staff.feedback import recent_thumbs_down
from staff.indexer import index_new_events
from tests.unit.staff.helpers import DAY, NOW, Visit, store


def rated(engine: sa.engine.Engine) -> None:
    a = Visit("a", NOW - 40 * DAY).start()
    a.ask("what is mesotherapy", "faq", "utter_faq/what_is", answer="It is…")
    a.thumbs(up=False).missing("how it feels")
    a.ask("can i exercise after", "faq", "utter_faq/exercise_after")
    a.thumbs(up=True)
    b = Visit("b", NOW - DAY).start()
    b.ask("how do i prepare", "faq", "utter_faq/preparation")
    b.thumbs(up=False)
    store(engine, a.take() + b.take())
    index_new_events(engine)


def test_only_thumbs_down_newest_first_whatever_their_age(engine: sa.engine.Engine) -> None:
    rated(engine)
    down = recent_thumbs_down(engine)
    assert [(d.sender_id, d.text) for d in down] == [
        ("b", "how do i prepare"),
        ("a", "what is mesotherapy"),
    ]
    assert down[1].reply_text == "It is…" and down[1].feedback_text == "how it feels"
    assert down[0].feedback_text is None


def test_the_newest_are_kept_when_there_are_more_than_the_limit(
    engine: sa.engine.Engine,
) -> None:
    rated(engine)
    assert [d.text for d in recent_thumbs_down(engine, limit=1)] == ["how do i prepare"]

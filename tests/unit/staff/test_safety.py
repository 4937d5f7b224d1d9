"""The safety log (staff/safety.py): only safety routes, newest first, each reviewed once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from staff import rendering
from staff.db import SAFETY_REVIEWS
from staff.indexer import index_new_events
from staff.safety import (
    SafetyPage,
    SafetyRoute,
    log_address,
    mark_reviewed,
    safety_log,
    safety_page,
)
from tests.unit.staff.helpers import DAY, NOW, Visit, store, turn

PREGNANT = "i'm pregnant, can i have it"
REACTION = "my face is swollen since yesterday's session"
LATER_PREGNANT = "is it ok while breastfeeding"


def three_safety_routes(engine: sa.engine.Engine) -> None:
    """Three safety routes over three days, among ordinary questions."""
    a = Visit("a", NOW - 3 * DAY).start()
    a.ask(PREGNANT, "ask_pregnancy", "utter_pregnancy", answer="Please ask the clinic's team.")
    a.ask("what is mesotherapy", "faq", "utter_faq/what_is")
    b = Visit("b", NOW - 2 * DAY).start()
    b.ask(REACTION, "report_reaction", "utter_adverse_reaction", confidence=0.81)
    c = Visit("c", NOW - DAY).start()
    c.ask(LATER_PREGNANT, "ask_pregnancy", "utter_pregnancy_followup")
    c.ask("how much does it cost", "faq", "utter_faq/price")
    store(engine, a.take() + b.take() + c.take())
    index_new_events(engine)


def reviews(engine: sa.engine.Engine) -> dict[int, str]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(SAFETY_REVIEWS)).all()
    return {row.event_id: row.account for row in rows}


def test_the_log_lists_only_safety_routes_newest_first(engine: sa.engine.Engine) -> None:
    three_safety_routes(engine)
    log = safety_log(engine)
    assert [route.text for route in log] == [LATER_PREGNANT, REACTION, PREGNANT]
    reaction = log[1]
    assert (reaction.sender_id, reaction.intent, reaction.confidence) == (
        "b",
        "report_reaction",
        0.81,
    )
    assert log[2].reply_text == "Please ask the clinic's team."
    assert all(route.reviewed_by is None for route in log)


def test_the_log_keeps_the_newest_when_there_are_more_than_the_limit(
    engine: sa.engine.Engine,
) -> None:
    three_safety_routes(engine)
    assert [route.text for route in safety_log(engine, limit=2)] == [LATER_PREGNANT, REACTION]


def test_marking_one_route_reviewed_changes_only_that_row(engine: sa.engine.Engine) -> None:
    three_safety_routes(engine)
    reaction = turn(engine, REACTION).event_id

    assert mark_reviewed(engine, reaction, "nurse.jo", NOW)

    assert reviews(engine) == {reaction: "nurse.jo"}
    reviewed_by = {route.text: route.reviewed_by for route in safety_log(engine)}
    assert reviewed_by == {LATER_PREGNANT: None, REACTION: "nurse.jo", PREGNANT: None}


def test_reviewing_again_keeps_one_review_by_the_latest_reviewer(
    engine: sa.engine.Engine,
) -> None:
    three_safety_routes(engine)
    pregnant, reaction = turn(engine, PREGNANT).event_id, turn(engine, REACTION).event_id
    assert mark_reviewed(engine, pregnant, "nurse.jo", NOW)
    assert mark_reviewed(engine, reaction, "nurse.jo", NOW)
    assert mark_reviewed(engine, pregnant, "dr.kim", NOW + 60)
    assert reviews(engine) == {pregnant: "dr.kim", reaction: "nurse.jo"}


def test_what_is_not_a_safety_route_cannot_be_marked(engine: sa.engine.Engine) -> None:
    three_safety_routes(engine)
    ordinary = turn(engine, "what is mesotherapy").event_id
    for event_id in (ordinary, ordinary + 10**6, 0, -1, 2**63, 10**20):
        assert not mark_reviewed(engine, event_id, "nurse.jo", NOW), event_id
    assert reviews(engine) == {}


# --- the page staff read: to review first, paged ------------------------------------------


def test_the_page_opens_on_the_routes_to_review(engine: sa.engine.Engine) -> None:
    three_safety_routes(engine)
    assert mark_reviewed(engine, turn(engine, REACTION).event_id, "nurse.jo", NOW)
    found = safety_page(engine)
    assert [route.text for route in found.routes] == [LATER_PREGNANT, PREGNANT]
    assert (found.show, found.shown, found.unreviewed, found.total) == ("unreviewed", 2, 2, 3)


def test_all_puts_the_routes_to_review_first_then_newest(engine: sa.engine.Engine) -> None:
    three_safety_routes(engine)
    assert mark_reviewed(engine, turn(engine, LATER_PREGNANT).event_id, "nurse.jo", NOW)
    found = safety_page(engine, "all")
    assert [route.text for route in found.routes] == [REACTION, PREGNANT, LATER_PREGNANT]
    reviewed = safety_page(engine, "reviewed")
    assert [route.text for route in reviewed.routes] == [LATER_PREGNANT]


def test_pages_hold_per_page_routes_and_a_page_past_the_end_is_the_last(
    engine: sa.engine.Engine,
) -> None:
    three_safety_routes(engine)
    first = safety_page(engine, "all", page=1, per_page=2)
    second = safety_page(engine, "all", page=2, per_page=2)
    assert (first.pages, len(first.routes), len(second.routes)) == (2, 2, 1)
    assert second.routes[0].text == PREGNANT
    assert safety_page(engine, "all", page=99, per_page=2) == second
    assert safety_page(engine, "all", page=0, per_page=2) == first


def test_an_unknown_view_is_the_routes_to_review(engine: sa.engine.Engine) -> None:
    three_safety_routes(engine)
    assert safety_page(engine, "everything; drop table").show == "unreviewed"


def test_an_empty_log_has_one_empty_page(engine: sa.engine.Engine) -> None:
    found = safety_page(engine)
    assert (found.page, found.pages, found.routes) == (1, 1, [])


@pytest.mark.parametrize(
    ("show", "page", "anchor", "address"),
    [
        ("all", "2", "42", "/staff/safety?show=all&page=2#route-42"),
        ("reviewed", "1", "", "/staff/safety?show=reviewed&page=1"),
        (None, None, None, "/staff/safety?show=unreviewed&page=1"),
        ("https://evil.example", "//evil", "1#x", "/staff/safety?show=unreviewed&page=1"),
        ("all", "-3", "7", "/staff/safety?show=all&page=1#route-7"),
    ],
)
def test_the_address_back_keeps_the_readers_place_and_nothing_else(
    show: str | None, page: str | None, anchor: str | None, address: str
) -> None:
    assert log_address(show, page, anchor) == address


def _log_showing(model_id: str) -> str:
    """The safety log's page with one route answered by the model `model_id`."""
    route = SafetyRoute(
        7, "a", NOW, PREGNANT, "ask_pregnancy", 0.98, None, "Please ask.", model_id, None
    )
    page = SafetyPage("unreviewed", 1, 1, 1, 1, 1, [route])
    template = rendering.templates().get_template("safety.html")
    return template.render(log=page, csrf_token="t", clinic_name="Clinic", path="/staff/safety")


def test_a_route_names_the_assistant_version_that_answered_it() -> None:
    """Staff compare a short version, not Rasa's 32-character model id (kept as its title)."""
    model_id = "3f9a1c2e5b7d4e6f8a9b0c1d2e3f4a5b"
    shown = _log_showing(model_id)
    assert f'title="{model_id}">Assistant version 3f9a1c2e</p>' in shown
    assert f">{model_id}" not in shown and "Model " not in shown
    # A short id, as a seeded or renamed model has, shows whole.
    assert ">Assistant version bench-model</p>" in _log_showing("bench-model")

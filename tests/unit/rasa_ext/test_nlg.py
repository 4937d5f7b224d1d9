"""Responses get the clinic's details from clinic.yml, inside the Rasa server."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.shared.core.domain import Domain

from clinic.settings import load_clinic_settings
from rasa_ext.nlg import ClinicResponseGenerator


async def test_responses_get_the_clinic_details_from_clinic_yml() -> None:
    domain = Domain.from_yaml(
        """
version: "3.1"
responses:
  utter_contact:
  - text: "Call {clinic_phone} or book at {clinic_booking_url}."
"""
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker.from_events("visitor", [], slots=domain.slots)
    reply = await ClinicResponseGenerator(None, domain).generate("utter_contact", tracker, "rest")
    settings = load_clinic_settings()
    assert reply is not None
    assert reply["text"] == f"Call {settings.phone} or book at {settings.booking_url}."


def _faq_domain() -> Domain:
    return Domain.from_yaml(
        """
version: "3.1"
responses:
  utter_faq/sessions_needed:
  - text: "Between 3 and 15."
  utter_faq/price:
  - text: "The article doesn't cover prices."
  utter_greet:
  - text: "Hello!"
    buttons:
    - title: Plan my sessions
      payload: /request_schedule
  utter_source:
  - text: "placeholder"
"""
    )


async def test_an_answer_from_the_article_offers_its_source_and_a_rating() -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = _faq_domain()
    tracker = DialogueStateTracker.from_events("visitor", [], slots=domain.slots)
    nlg = ClinicResponseGenerator(None, domain)
    answer = await nlg.generate("utter_faq/sessions_needed", tracker, "rest")
    assert answer is not None
    assert [b["payload"] for b in answer["buttons"]] == [
        "/ask_source",
        "/feedback_up",
        "/feedback_down",
    ]
    not_covered = await nlg.generate("utter_faq/price", tracker, "rest")
    assert not_covered is not None  # the nearest fact has a source, but no rating of the article
    assert [b["payload"] for b in not_covered["buttons"]] == ["/ask_source"]
    greeting = await nlg.generate("utter_greet", tracker, "rest")
    assert greeting is not None
    assert [b["payload"] for b in greeting["buttons"]] == ["/request_schedule"]


async def test_the_source_quotes_the_article_behind_the_last_answer() -> None:
    from rasa.shared.core.events import BotUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from clinic.content import fact_sources

    domain = _faq_domain()
    nlg = ClinicResponseGenerator(None, domain)
    events = [
        BotUttered("Between 3 and 15.", metadata={"utter_action": "utter_faq/sessions_needed"}),
        BotUttered("Thanks!", metadata={"utter_action": "utter_feedback_thanks"}),
    ]
    tracker = DialogueStateTracker.from_events("visitor", events, slots=domain.slots)
    source = await nlg.generate("utter_source", tracker, "rest")
    assert source is not None
    for passage in fact_sources()["F26"]:
        assert f"> {passage}" in source["text"]
    empty = DialogueStateTracker.from_events("other", [], slots=domain.slots)
    first = await nlg.generate("utter_source", empty, "rest")
    assert first is not None and "Ask me a question first" in first["text"]


def test_each_quoted_passage_is_its_own_paragraph_in_the_widgets_markdown() -> None:
    from clinic.content import sources_of
    from rasa_ext.nlg import source_text

    passages = sources_of("utter_faq/conditions")  # the article's list: "Dull skin", ...
    quote = source_text("utter_faq/conditions").split("\n\n", 1)[1]
    # A blank quote line between passages; without it markdown runs them into one line.
    assert quote.split("\n>\n") == [f"> {passage}" for passage in passages]


def _real_domain() -> Domain:
    from tests.support.servers import ROOT

    return Domain.load([str(ROOT / "domain.yml"), str(ROOT / "data" / "responses")])


def _stating_facts() -> list[str]:
    from clinic.content import fact_map

    domain = _real_domain()
    return sorted(name for name, facts in fact_map().items() if facts and name in domain.responses)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_stating_facts()))
def test_where_is_this_from_after_any_answer_quotes_that_answer_s_facts(response: str) -> None:
    """Every topic's and every detail's "where is this from?" quotes its own facts."""
    import asyncio

    from rasa.shared.core.events import BotUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from clinic.content import fact_map, fact_sources

    domain = _real_domain()
    nlg = ClinicResponseGenerator(None, domain)
    said = [BotUttered("an answer", metadata={"utter_action": response})]
    tracker = DialogueStateTracker.from_events("visitor", said, slots=domain.slots)
    source = asyncio.run(nlg.generate("utter_source", tracker, "rest"))
    assert source is not None
    for fact in fact_map()[response]:
        for passage in fact_sources()[fact]:
            assert f"> {passage}" in source["text"], (response, fact)


async def test_a_detail_the_article_gives_is_rated_like_its_topic_and_one_it_doesnt_is_not() -> (
    None
):
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = _real_domain()
    tracker = DialogueStateTracker.from_events("visitor", [], slots=domain.slots)
    nlg = ClinicResponseGenerator(None, domain)
    given = await nlg.generate("utter_detail_origin_where", tracker, "rest")
    not_given = await nlg.generate("utter_detail_combine_order", tracker, "rest")
    assert given is not None and not_given is not None
    assert "/feedback_up" in [b["payload"] for b in given["buttons"]]
    assert "/feedback_up" not in [b["payload"] for b in not_given["buttons"]]

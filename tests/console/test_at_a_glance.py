"""The console read at a glance: what is waiting, in words staff use, and where they left off.

Over HTTP against the running console and its seeded store: the safety log
opens on what is still to review, counts it, and "Mark reviewed" comes back
to the same place; the navigation counts what is waiting; callback contacts
are links to call or email; topics read as questions, transcripts hide the
widget's `/greet` and intent names, show the bot's bold as bold (never the
visitor's), list the buttons offered in a line of words (not 👍/👎) and say
the channel; each figure the page shows is compared with the database.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from staff.db import CALLBACKS, SAFETY_REVIEWS, TURNS
from staff.turns import SAFETY
from tests.console.conftest import (
    CALLBACK_PHONE,
    KEEP,
    MARKDOWN_ASKER,
    OFFERED,
    VISITOR_STARS,
    XSS_FEEDBACK,
    XSS_SAFETY,
    Console,
    Staff,
    shown_text,
)

ROUTE = re.compile(r'<li class="card route( unreviewed)?" id="route-(\d+)">')
BADGE = re.compile(r'<span class="badge" data-badge="(\w+)">(\d+)<')


def unreviewed(console: Console) -> set[int]:
    with console.engine.connect() as connection:
        return set(
            connection.execute(
                sa.select(TURNS.c.event_id).where(
                    TURNS.c.outcome == SAFETY,
                    TURNS.c.event_id.not_in(sa.select(SAFETY_REVIEWS.c.event_id)),
                )
            ).scalars()
        )


def all_safety_routes(console: Console) -> set[int]:
    with console.engine.connect() as connection:
        return set(
            connection.execute(
                sa.select(TURNS.c.event_id).where(TURNS.c.outcome == SAFETY)
            ).scalars()
        )


def markable(console: Console, ids: set[int]) -> list[int]:
    """Of `ids`, the routes these tests may mark: not XSS_SAFETY's (test_csrf.py's own)."""
    return sorted(ids - set(console.safety_event_ids(XSS_SAFETY)))


def shown_routes(page: str) -> list[tuple[int, bool]]:
    """The routes a safety log page lists, in order, each with whether it is unreviewed."""
    return [(int(found[1]), bool(found[0])) for found in ROUTE.findall(page)]


def badges(page: str) -> dict[str, int]:
    return {name: int(count) for name, count in BADGE.findall(page)}


def test_the_safety_log_opens_on_what_is_left_to_review(console: Console, staff: Staff) -> None:
    page = staff.page("/staff/safety")
    waiting, every = unreviewed(console), all_safety_routes(console)
    assert waiting, "the test store has safety routes to review"
    assert {event_id for event_id, _ in shown_routes(page)} == waiting
    assert all(open_ for _, open_ in shown_routes(page))
    assert f"{len(waiting)} to review · {len(every)} in all" in page


def test_all_lists_the_unreviewed_routes_first(console: Console, staff: Staff) -> None:
    some = markable(console, all_safety_routes(console))[0]
    token = staff.csrf_token("/staff/safety")
    staff.post(f"/staff/safety/{some}/reviewed", data={"csrf_token": token})
    shown = shown_routes(staff.page("/staff/safety?show=all"))
    assert {event_id for event_id, _ in shown} == all_safety_routes(console)
    flags = [open_ for _, open_ in shown]
    assert flags == sorted(flags, reverse=True), "unreviewed ones first"
    reviewed = shown_routes(staff.page("/staff/safety?show=reviewed"))
    assert some in {event_id for event_id, _ in reviewed}
    assert not any(open_ for _, open_ in reviewed)


def test_a_page_past_the_end_and_an_unknown_view_are_the_defaults(staff: Staff) -> None:
    assert shown_routes(staff.page("/staff/safety?page=999")) == shown_routes(
        staff.page("/staff/safety")
    )
    assert shown_routes(staff.page("/staff/safety?show=<script>&page=x")) == shown_routes(
        staff.page("/staff/safety")
    )


def test_mark_reviewed_comes_back_to_the_same_view_page_and_the_next_route(
    console: Console, staff: Staff
) -> None:
    shown = shown_routes(staff.page("/staff/safety?show=all"))
    ours = set(markable(console, unreviewed(console)))
    first_open = next(index for index, (event_id, _) in enumerate(shown) if event_id in ours)
    marked, after = shown[first_open][0], shown[first_open + 1][0]
    reply = staff.post(
        f"/staff/safety/{marked}/reviewed",
        data={
            "csrf_token": staff.csrf_token("/staff/safety"),
            "show": "all",
            "page": "1",
            "next": str(after),
        },
    )
    assert reply.status_code == 303
    assert reply.headers["Location"] == f"/staff/safety?show=all&page=1#route-{after}"
    assert marked not in unreviewed(console)


def test_mark_reviewed_sends_nowhere_else(console: Console, staff: Staff) -> None:
    marked = markable(console, all_safety_routes(console))[-1]
    reply = staff.post(
        f"/staff/safety/{marked}/reviewed",
        data={
            "csrf_token": staff.csrf_token("/staff/safety"),
            "show": "https://evil.example/",
            "page": "//evil.example",
            "next": "1#<script>",
        },
    )
    assert reply.headers["Location"] == "/staff/safety?show=unreviewed&page=1"


def test_the_navigation_counts_what_is_waiting(console: Console, staff: Staff) -> None:
    with console.engine.connect() as connection:
        open_callbacks = connection.execute(
            sa.select(sa.func.count()).select_from(CALLBACKS).where(CALLBACKS.c.done_at.is_(None))
        ).scalar()
    counted = badges(staff.page("/staff/overview"))
    assert counted.get("safety", 0) == len(unreviewed(console))
    assert counted.get("callbacks", 0) == open_callbacks
    assert "live" not in counted, "no chat is waiting"


def test_the_safety_badge_goes_down_when_a_route_is_reviewed(
    console: Console, staff: Staff
) -> None:
    before = badges(staff.page("/staff/feedback")).get("safety", 0)
    assert before == len(unreviewed(console)) > 0
    waiting = markable(console, unreviewed(console))
    token = staff.csrf_token("/staff/safety")
    staff.post(f"/staff/safety/{waiting[0]}/reviewed", data={"csrf_token": token})
    assert badges(staff.page("/staff/feedback")).get("safety", 0) == before - 1


def test_a_callback_number_is_a_link_to_call_and_stays_on_one_line(staff: Staff) -> None:
    page = staff.page("/staff/callbacks")
    assert f'<a class="contact" href="tel:{CALLBACK_PHONE}">+44 7911 123456</a>' in page
    css = staff.page("/staff/static/console.css")
    assert ".contact { white-space: nowrap; }" in css


def test_feedback_names_topics_by_their_questions(staff: Staff) -> None:
    page = staff.page("/staff/feedback?period=month")
    assert "<td>What is mesotherapy?</td>" in page
    assert "faq/" not in page and "what_is" not in page


def test_a_transcript_hides_the_greeting_and_intent_names(staff: Staff) -> None:
    page = staff.page(f"/staff/conversations/{MARKDOWN_ASKER}")
    assert "/greet" not in page
    for internal in ("utter_", "faq/", "nlu_fallback", "greet<"):
        assert internal not in page, internal
    assert "When can I have laser, peels or fillers?" in page  # the answer's topic


def test_the_bots_bold_is_bold_and_the_visitors_stars_stay_stars(staff: Staff) -> None:
    page = staff.page(f"/staff/conversations/{MARKDOWN_ASKER}")
    assert "Wait <strong>at least one week</strong> before a peel." in page
    assert VISITOR_STARS in page and "<strong>this</strong>" not in page


def test_a_transcript_lists_the_buttons_offered_and_its_channel(staff: Staff) -> None:
    for path in (f"/staff/conversations/{MARKDOWN_ASKER}", f"/staff/live/{MARKDOWN_ASKER}"):
        page = staff.page(path)
        titles = ", ".join(title for title, _ in OFFERED)
        assert f'<p class="offered">Buttons offered: {titles}</p>' in page, path
        assert "[" not in shown_text(page.split('<ol class="transcript"', 1)[1]), "no [button]"
        assert "👍" not in page and "👎" not in page, "the feedback buttons are left out"
        assert f"Conversation <code>{MARKDOWN_ASKER}</code> on Telegram ·" in page
    keep = staff.page(f"/staff/conversations/{KEEP}")
    assert f"Conversation <code>{KEEP}</code> on the website chat ·" in keep


def test_safety_routes_say_what_was_understood_in_words(staff: Staff) -> None:
    page = staff.page("/staff/safety?show=all")
    assert "Can I have it while pregnant or breast-feeding? (98% sure)" in page
    assert "ask_pregnancy" not in page


def test_conversations_of_the_xss_visitors_still_open(staff: Staff) -> None:
    for sender in (XSS_SAFETY, XSS_FEEDBACK):
        assert "<script>alert" not in staff.page(f"/staff/conversations/{sender}")


def test_the_live_chat_transcript_reads_the_same_way(staff: Staff) -> None:
    found = staff.get(f"/staff/api/live/{MARKDOWN_ASKER}/lines").json()
    texts = [line["text"] for line in found["lines"]]
    assert found["count"] == len(texts)
    assert "/greet" not in texts and "Wait at least one week before a peel." in texts
    assert VISITOR_STARS in texts, "the visitor's words as written"
    details = {line["detail"] for line in found["lines"]}
    assert not any(d.startswith(("utter_", "faq", "nlu_")) for d in details), details
    assert "When can I have laser, peels or fillers?" in details
    offered = [line["offered"] for line in found["lines"] if line["offered"]]
    assert offered == [[title for title, _ in OFFERED]], "the buttons, without 👍/👎"
    page = staff.page(f"/staff/live/{MARKDOWN_ASKER}")
    assert f'data-count="{len(texts)}"' in page
    assert "Wait <strong>at least one week</strong> before a peel." in page
    assert "/greet" not in page

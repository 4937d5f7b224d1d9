"""Callback requests in the console: listed with consent only, marked done, deleted with
their conversation, and never among the unanswered questions."""

from __future__ import annotations

import sqlalchemy as sa

from staff.db import CALLBACKS
from tests.console.conftest import CALLBACK, CALLBACK_PHONE, IMG, NO_CONSENT, Console, Staff


def _callbacks(console: Console, sender: str) -> list[sa.Row]:
    with console.engine.connect() as connection:
        return list(
            connection.execute(sa.select(CALLBACKS).where(CALLBACKS.c.sender_id == sender)).all()
        )


def test_a_request_left_with_consent_is_listed_for_staff(console: Console, staff: Staff) -> None:
    page = staff.page("/staff/callbacks")
    assert "+44 7911 123456" in page  # the stored number, grouped for reading aloud
    assert "weekday mornings" in page
    assert IMG not in page and "&#34;&gt;&lt;img" in page  # the name is visitor text
    assert [row.contact for row in _callbacks(console, CALLBACK)] == [CALLBACK_PHONE]


def test_a_request_refused_consent_is_not_kept(console: Console, staff: Staff) -> None:
    assert _callbacks(console, NO_CONSENT) == []
    assert "sam@example.org" not in staff.page("/staff/callbacks")


def test_the_answers_to_a_callback_request_are_not_unanswered_questions(staff: Staff) -> None:
    page = staff.page("/staff/unanswered")
    assert CALLBACK_PHONE not in page and "weekday mornings" not in page
    assert "sam@example.org" not in page


def test_staff_mark_a_request_done(console: Console, staff: Staff) -> None:
    (row,) = _callbacks(console, CALLBACK)
    token = staff.csrf_token("/staff/callbacks")
    assert staff.post(f"/staff/callbacks/{row.event_id}/done", data={}).status_code == 403
    reply = staff.post(f"/staff/callbacks/{row.event_id}/done", data={"csrf_token": token})
    assert reply.status_code == 303
    (done,) = _callbacks(console, CALLBACK)
    assert done.done_by == "reception" and done.done_at
    for missing in (row.event_id + 10**6, 0, 10**20):
        reply = staff.post(f"/staff/callbacks/{missing}/done", data={"csrf_token": token})
        assert reply.status_code == 404, missing

"""A signed-in browser's malformed form gets a clear 4xx, never a 500, and files nothing."""

from __future__ import annotations

from pathlib import Path

from staff.unanswered import key_of
from tests.console.conftest import LOYALTY, Console, Staff


def test_a_count_that_is_not_a_number_is_not_a_server_error(
    console: Console, staff: Staff, review_files: Path
) -> None:
    fields = {
        "csrf_token": staff.csrf_token(),
        "decision": "article",
        "key": key_of(LOYALTY),
        "example": LOYALTY,
        "count": "lots",
    }
    reply = staff.post("/staff/unanswered/decide", data=fields)
    assert reply.status_code < 500, f"{reply.status_code}: a bad count crashed the handler"
    if reply.status_code >= 400:
        assert console.decisions_for(key_of(LOYALTY)) == []


def test_a_safety_id_too_big_for_the_database_is_not_found(staff: Staff) -> None:
    token = staff.csrf_token()
    for event_id in ("-1", "0", "99999999999999999999999"):
        reply = staff.post(f"/staff/safety/{event_id}/reviewed", data={"csrf_token": token})
        assert reply.status_code == 404, f"{event_id}: {reply.status_code}"


def test_a_decision_without_keys_is_refused(staff: Staff) -> None:
    reply = staff.post(
        "/staff/unanswered/decide",
        data={"csrf_token": staff.csrf_token(), "decision": "dismissed"},
    )
    assert reply.status_code == 400
    assert "Choose what to do with it." in reply.text

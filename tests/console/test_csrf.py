"""Every POST needs its session's CSRF token; the sign-in form needs its own.

A signed-in browser that posts without the token, with a wrong one or with
another session's is refused (403) and nothing changes; with the token from
the page's hidden input the action is done.
"""

from __future__ import annotations

import secrets
from typing import Any

import pytest
import requests

from staff.unanswered import key_of
from tests.console.conftest import (
    ACCOUNT,
    DELETE,
    KEEP,
    NEVER_FILED,
    OTHER_ACCOUNT,
    OTHER_PASSWORD,
    PASSWORD,
    Console,
    Staff,
    hidden_input,
)

TOKENS = ("missing", "empty", "wrong", "another session's", "wrong header")


def _send(staff: Staff, path: str, fields: dict[str, str], token: str, kind: str) -> Any:
    """POST `fields` with a bad CSRF token of the given kind."""
    data = dict(fields)
    headers = {}
    if kind == "empty":
        data["csrf_token"] = ""
    elif kind == "wrong":
        data["csrf_token"] = secrets.token_urlsafe(32)
    elif kind == "another session's":
        data["csrf_token"] = token
    elif kind == "wrong header":
        headers["X-CSRF-Token"] = secrets.token_urlsafe(32)
    return staff.post(path, data=data, headers=headers)


@pytest.fixture
def other_token(console: Console) -> str:
    """A real CSRF token, of another staff member's session."""
    return console.sign_in(OTHER_ACCOUNT, OTHER_PASSWORD).csrf_token()


def _refused(reply: requests.Response) -> None:
    assert reply.status_code == 403, reply.text
    assert reply.json() == {"error": "missing or wrong CSRF token"}


@pytest.mark.parametrize("kind", TOKENS)
def test_delete_without_the_right_token_keeps_the_conversation(
    console: Console, staff: Staff, other_token: str, kind: str
) -> None:
    events, turns = console.events_of(KEEP), console.turns_of(KEEP)
    path = f"/staff/conversations/{KEEP}/delete"
    _refused(_send(staff, path, {}, other_token, kind))
    assert console.events_of(KEEP) == events > 0
    assert console.turns_of(KEEP) == turns > 0
    assert staff.get(f"/staff/conversations/{KEEP}").status_code == 200


@pytest.mark.parametrize("kind", TOKENS)
def test_filing_without_the_right_token_files_nothing(
    console: Console, staff: Staff, other_token: str, kind: str
) -> None:
    key = key_of(NEVER_FILED)
    fields = {"decision": "dismissed", "key": key, "example": NEVER_FILED, "count": "1"}
    _refused(_send(staff, "/staff/unanswered/decide", fields, other_token, kind))
    assert console.decisions_for(key) == []


@pytest.mark.parametrize("kind", TOKENS)
def test_reviewing_without_the_right_token_marks_nothing(
    console: Console, staff: Staff, other_token: str, kind: str
) -> None:
    first = console.safety_event_ids()[0]
    _refused(_send(staff, f"/staff/safety/{first}/reviewed", {}, other_token, kind))
    assert console.reviews_of(first) == 0


@pytest.mark.parametrize("kind", TOKENS)
def test_sign_out_without_the_right_token_keeps_the_session(
    console: Console, staff: Staff, other_token: str, kind: str
) -> None:
    sessions = console.sessions()
    _refused(_send(staff, "/staff/logout", {}, other_token, kind))
    assert console.sessions() == sessions
    assert staff.get("/staff/overview").status_code == 200


def test_delete_with_the_pages_token_deletes_the_conversation_everywhere(
    console: Console, admin: Staff
) -> None:
    """An administrator deletes (staff may not: tests/console/test_roles.py)."""
    assert console.events_of(DELETE) > 0 and console.turns_of(DELETE) > 0
    assert "dee@example.org" in admin.page("/staff/callbacks")
    page = admin.page(f"/staff/conversations/{DELETE}")
    action = f'action="/staff/conversations/{DELETE}/delete"'
    assert action in page
    token = hidden_input(page.split(action, 1)[1], "csrf_token")
    reply = admin.post(
        f"/staff/conversations/{DELETE}/delete", data={"csrf_token": token, "confirm": "yes"}
    )
    assert reply.status_code == 303
    assert reply.headers["Location"] == "/staff/conversations?deleted=1"
    assert console.events_of(DELETE) == 0
    assert console.turns_of(DELETE) == 0
    assert not console.indexed_conversation(DELETE)
    assert "dee@example.org" not in admin.page("/staff/callbacks"), "its callback request too"
    assert admin.get(f"/staff/conversations/{DELETE}").status_code == 404
    assert "No conversations with" in admin.page(f"/staff/conversations?q={DELETE}")
    assert f'href="/staff/conversations/{DELETE}"' not in admin.page("/staff/conversations")
    assert console.events_of(KEEP) > 0, "only that conversation"


def test_review_with_the_token_marks_the_safety_route(console: Console, staff: Staff) -> None:
    last = console.safety_event_ids()[-1]
    reply = staff.post(f"/staff/safety/{last}/reviewed", data={"csrf_token": staff.csrf_token()})
    assert reply.status_code == 303
    assert reply.headers["Location"] == "/staff/safety?show=unreviewed&page=1"
    assert console.reviews_of(last) == 1
    page = staff.page("/staff/safety?show=all")
    assert f"✔ Reviewed by {ACCOUNT}" in page
    assert f'action="/staff/safety/{last}/reviewed"' not in page


def test_the_token_may_come_in_a_header(console: Console, staff: Staff) -> None:
    middle = console.safety_event_ids()[1]
    reply = staff.post(
        f"/staff/safety/{middle}/reviewed", headers={"X-CSRF-Token": staff.csrf_token()}
    )
    assert reply.status_code == 303
    assert console.reviews_of(middle) == 1


def _post_login(console: Console, http: requests.Session, data: dict[str, str]) -> Any:
    return http.post(
        console.url + "/staff/login",
        data={"name": ACCOUNT, "password": PASSWORD, **data},
        allow_redirects=False,
        timeout=30,
    )


@pytest.mark.parametrize(
    "attempt",
    [
        "neither cookie nor field",
        "field without its cookie",
        "cookie without its field",
        "field of another form",
        "empty field",
    ],
)
def test_the_sign_in_form_needs_its_token(console: Console, attempt: str) -> None:
    """Right name and password, but not the form's login_token: 403, nobody signed in."""
    sessions = console.sessions()
    http = requests.Session()
    if attempt == "neither cookie nor field":
        reply = _post_login(console, http, {})
    elif attempt == "field without its cookie":
        token = console.login_form(requests.Session())
        reply = _post_login(console, http, {"login_token": token})
    elif attempt == "cookie without its field":
        console.login_form(http)
        reply = _post_login(console, http, {})
    elif attempt == "field of another form":
        console.login_form(http)
        reply = _post_login(console, http, {"login_token": console.login_form(requests.Session())})
    else:
        console.login_form(http)
        reply = _post_login(console, http, {"login_token": ""})
    assert reply.status_code == 403
    assert "clinic_staff=" not in reply.headers.get("Set-Cookie", "")
    assert console.sessions() == sessions
    assert not console.signed_in(http)

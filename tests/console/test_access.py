"""Nothing in the console without a live session: no cookie, a forged one or an expired one.

Pages send the browser to the sign-in page and show nothing; JSON and exports
answer 401; a POST changes nothing, even with a CSRF token that is right for
somebody else's session.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

import pytest
import requests
import sqlalchemy as sa

from staff.db import SESSIONS
from staff.sign_in import SESSION_HOURS, open_session
from staff.unanswered import key_of
from tests.console.conftest import (
    ACCOUNT,
    KEEP,
    NEVER_FILED,
    SCRIPT,
    XSS_UNANSWERED,
    Console,
    Staff,
)

PAGES = (
    "/staff/",
    "/staff/overview",
    "/staff/overview?period=month",
    "/staff/unanswered",
    "/staff/unanswered?period=month",
    "/staff/unanswered/group?key=does+it+hurt&period=week&page=2",
    "/staff/feedback",
    "/staff/safety",
    "/staff/callbacks",
    "/staff/conversations",
    "/staff/conversations?q=mesotherapy",
    f"/staff/conversations/{KEEP}",
    f"/staff/conversations/{XSS_UNANSWERED}",
)
DATA = (
    "/staff/api/overview.json",
    "/staff/api/overview.json?period=month",
    "/staff/unanswered.csv",
    f"/staff/conversations/{KEEP}/export.json",
    f"/staff/conversations/{XSS_UNANSWERED}/export.json",
)
# What any of those would show a signed-in browser.
DATA_TEXTS = (KEEP, XSS_UNANSWERED, "bench-0", "mesotherapy", "alert(1)", "&lt;script", NEVER_FILED)


@dataclass(frozen=True)
class Stranger:
    """A browser without a live session: the cookies it sends and a CSRF token it knows."""

    cookies: dict[str, str]
    csrf_token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@pytest.fixture(params=["no cookie", "forged cookie", "overlong cookie", "expired session"])
def stranger(request: pytest.FixtureRequest, console: Console, staff: Staff) -> Stranger:
    # Knowing a live session's CSRF token must not be enough without its cookie.
    stolen = staff.csrf_token()
    if request.param == "no cookie":
        return Stranger({}, stolen)
    if request.param == "forged cookie":
        return Stranger({"clinic_staff": secrets.token_urlsafe(32)}, stolen)
    if request.param == "overlong cookie":
        return Stranger({"clinic_staff": staff.cookie + "x" * 200}, stolen)
    started = time.time() - SESSION_HOURS * 3600 - 60
    token = open_session(console.engine, ACCOUNT, now=started)
    with console.engine.connect() as connection:
        row = connection.execute(
            sa.select(SESSIONS).where(SESSIONS.c.token_hash == _digest(token))
        ).one()
    assert row.account == ACCOUNT and row.expires < time.time(), "a real session, expired"
    return Stranger({"clinic_staff": token}, row.csrf_token)


def _shows_no_data(body: str) -> None:
    for text in DATA_TEXTS:
        assert text not in body


@pytest.mark.parametrize("path", PAGES)
def test_a_page_sends_a_stranger_to_sign_in_and_shows_nothing(
    console: Console, stranger: Stranger, path: str
) -> None:
    reply = console.get(path, cookies=stranger.cookies)
    assert reply.status_code == 303
    assert reply.headers["Location"] == "/staff/login"
    _shows_no_data(reply.text)

    followed = requests.get(console.url + path, cookies=stranger.cookies, timeout=30)
    assert followed.status_code == 200
    assert followed.url == console.url + "/staff/login"
    assert 'name="login_token"' in followed.text and "Sign out" not in followed.text
    _shows_no_data(followed.text)


@pytest.mark.parametrize("path", DATA)
def test_data_and_exports_answer_a_stranger_401(
    console: Console, stranger: Stranger, path: str
) -> None:
    reply = console.get(path, cookies=stranger.cookies)
    assert reply.status_code == 401
    assert reply.json() == {"error": "sign in first"}
    _shows_no_data(reply.text)


def _refused(reply: requests.Response) -> None:
    assert reply.status_code in (303, 401, 403), reply.text
    if reply.status_code == 303:
        assert reply.headers["Location"] == "/staff/login"


def test_a_stranger_cannot_delete_a_conversation(console: Console, stranger: Stranger) -> None:
    events, turns = console.events_of(KEEP), console.turns_of(KEEP)
    assert events > 0 and turns > 0
    reply = console.post(
        f"/staff/conversations/{KEEP}/delete",
        cookies=stranger.cookies,
        data={"csrf_token": stranger.csrf_token},
    )
    _refused(reply)
    assert console.events_of(KEEP) == events
    assert console.turns_of(KEEP) == turns
    assert console.indexed_conversation(KEEP)


def test_a_stranger_cannot_file_an_unanswered_group(console: Console, stranger: Stranger) -> None:
    key = key_of(NEVER_FILED)
    for decision in ("dismissed", "article", "new_wording"):
        reply = console.post(
            "/staff/unanswered/decide",
            cookies=stranger.cookies,
            data={
                "csrf_token": stranger.csrf_token,
                "decision": decision,
                "key": key,
                "example": NEVER_FILED,
                "topic": "faq/sessions_needed",
                "count": "1",
            },
        )
        _refused(reply)
    assert console.decisions_for(key) == []


def test_a_stranger_cannot_mark_a_safety_route_reviewed(
    console: Console, stranger: Stranger
) -> None:
    first = console.safety_event_ids()[0]
    reply = console.post(
        f"/staff/safety/{first}/reviewed",
        cookies=stranger.cookies,
        data={"csrf_token": stranger.csrf_token},
    )
    _refused(reply)
    assert console.reviews_of(first) == 0


def test_a_strangers_sign_out_signs_nobody_out(
    console: Console, stranger: Stranger, staff: Staff
) -> None:
    sessions = console.sessions()
    reply = console.post(
        "/staff/logout", cookies=stranger.cookies, data={"csrf_token": stranger.csrf_token}
    )
    _refused(reply)
    assert console.sessions() == sessions
    assert staff.get("/staff/overview").status_code == 200


def test_a_signed_in_browser_sees_the_pages(staff: Staff) -> None:
    """The other side of the tests above: the same paths do open with a session."""
    for path in PAGES:
        reply = staff.get(path)
        if path == "/staff/":
            assert reply.status_code == 303 and reply.headers["Location"] == "/staff/overview"
            continue
        assert reply.status_code == 200, path
    for path in DATA:
        assert staff.get(path).status_code == 200, path
    assert SCRIPT not in staff.page(f"/staff/conversations/{XSS_UNANSWERED}")

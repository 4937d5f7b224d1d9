"""Signing in and out over HTTP: slow wrong passwords, throttling, and the cookies.

Only the throttling test types wrong passwords for the locked account, and
the tests here stay well under the per-address limit (all requests come from
127.0.0.1), so the other tests still sign in.
"""

from __future__ import annotations

import hashlib
import time
from http.cookies import SimpleCookie

import requests

from staff.db import SESSIONS
from staff.routes.sign_in import FAILED_SIGN_IN_DELAY_S
from staff.sign_in import MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS, SESSION_HOURS
from tests.console.conftest import (
    ACCOUNT,
    LOCKED_ACCOUNT,
    LOCKED_PASSWORD,
    OTHER_ACCOUNT,
    OTHER_PASSWORD,
    PASSWORD,
    Console,
    hidden_input,
)

# A little under the app's delay, for the clock's resolution.
SLOW_S = FAILED_SIGN_IN_DELAY_S - 0.05


def _set_cookies(reply: requests.Response) -> dict[str, SimpleCookie]:
    """Each Set-Cookie header of the response (not of a redirect), by cookie name."""
    found: dict[str, SimpleCookie] = {}
    for header in reply.raw.headers.getlist("Set-Cookie"):
        parsed: SimpleCookie = SimpleCookie()
        parsed.load(header)
        for name in parsed:
            found[name] = parsed
    return found


def _header_of(reply: requests.Response, name: str) -> str:
    headers = [h for h in reply.raw.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert len(headers) == 1, headers
    return str(headers[0])


def _attributes(header: str) -> dict[str, str]:
    """`name=value; HttpOnly; Path=/x` as {"httponly": "", "path": "/x"} (lower-case keys)."""
    parts = [part.strip() for part in header.split(";")[1:]]
    return {
        key.strip().lower(): value.strip()
        for key, _, value in (part.partition("=") for part in parts if part)
    }


def test_a_wrong_password_is_slow_and_throttled_per_account(console: Console) -> None:
    assert MAX_FAILURES_PER_ACCOUNT + 1 < MAX_FAILURES_PER_ADDRESS
    http = requests.Session()
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        began = time.monotonic()
        reply = console.try_sign_in(http, LOCKED_ACCOUNT, "not the password at all")
        took = time.monotonic() - began
        assert reply.status_code == 401
        assert "That name and password don&#39;t match." in reply.text
        assert took >= SLOW_S, f"a wrong password was answered in {took:.2f} s"
        assert "clinic_staff" not in _set_cookies(reply)

    reply = console.try_sign_in(http, LOCKED_ACCOUNT, LOCKED_PASSWORD)
    assert reply.status_code == 429
    assert "Too many wrong passwords" in reply.text
    assert "clinic_staff" not in _set_cookies(reply)
    assert not console.signed_in(http)

    # Others on the same address still sign in.
    other = console.sign_in(OTHER_ACCOUNT, OTHER_PASSWORD)
    assert "Sign out" in other.page("/staff/overview")


def test_an_unknown_account_is_answered_as_slowly(console: Console) -> None:
    began = time.monotonic()
    reply = console.try_sign_in(requests.Session(), "nobody.here", PASSWORD)
    took = time.monotonic() - began
    assert reply.status_code == 401
    assert took >= SLOW_S


def test_the_session_cookie_is_httponly_strict_and_for_the_console_only(
    console: Console,
) -> None:
    http = requests.Session()
    form = http.get(console.url + "/staff/login", timeout=30)
    login = _attributes(_header_of(form, "clinic_staff_login"))
    assert "httponly" in login and login["samesite"] == "Strict"
    assert login["path"] == "/staff/login"

    reply = console.try_sign_in(http, ACCOUNT, PASSWORD)
    assert reply.status_code == 303
    session = _attributes(_header_of(reply, "clinic_staff"))
    assert "httponly" in session
    assert session["samesite"] == "Strict"
    assert session["path"] == "/staff"
    assert int(session["max-age"]) == SESSION_HOURS * 3600
    assert "secure" not in session, "plain http here: a Secure cookie would not come back"
    # The sign-in form's cookie is done with.
    assert _attributes(_header_of(reply, "clinic_staff_login"))["max-age"] == "0"


def test_sign_out_ends_the_session_on_the_server(console: Console) -> None:
    staff = console.sign_in()
    other_browser = console.sign_in()
    token = staff.cookie
    digest = hashlib.sha256(token.encode()).hexdigest()
    assert console.count(SESSIONS, SESSIONS.c.token_hash == digest) == 1

    reply = staff.post("/staff/logout", data={"csrf_token": staff.csrf_token()})
    assert reply.status_code == 303 and reply.headers["Location"] == "/staff/login"
    cleared = _attributes(_header_of(reply, "clinic_staff"))
    assert cleared["max-age"] == "0" and cleared["path"] == "/staff"
    assert console.count(SESSIONS, SESSIONS.c.token_hash == digest) == 0

    # The old cookie, kept by a browser that ignores the cleared one, opens nothing.
    old = {"clinic_staff": token}
    reply = console.get("/staff/overview", cookies=old)
    assert reply.status_code == 303 and reply.headers["Location"] == "/staff/login"
    assert console.get("/staff/api/overview.json", cookies=old).status_code == 401
    # Only that browser was signed out.
    assert other_browser.get("/staff/overview").status_code == 200


def test_behind_the_https_proxy_the_session_cookie_is_secure(console: Console) -> None:
    """deploy/nginx/clinicbot.conf forwards the console with X-Forwarded-For and
    X-Forwarded-Proto, and says the session cookie is Secure when the request came over https.
    (Over plain http, as in the test above, it is not, or the browser couldn't send it back.)"""
    proxied = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    form = requests.get(console.url + "/staff/login", headers=proxied, timeout=30)
    login_cookie = _attributes(_header_of(form, "clinic_staff_login"))
    assert "secure" in login_cookie, "the sign-in form's cookie, sent over https"
    # A browser on https sends that Secure cookie back; requests, talking plain http to
    # the app behind the (here absent) proxy, has to be handed it.
    token = _set_cookies(form)["clinic_staff_login"]["clinic_staff_login"].value
    reply = requests.post(
        console.url + "/staff/login",
        data={
            "login_token": hidden_input(form.text, "login_token"),
            "name": ACCOUNT,
            "password": PASSWORD,
        },
        cookies={"clinic_staff_login": token},
        headers=proxied,
        allow_redirects=False,
        timeout=30,
    )
    assert reply.status_code == 303, reply.text
    assert "secure" in _attributes(_header_of(reply, "clinic_staff")), "sent over https"

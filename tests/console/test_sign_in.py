"""Signing in and out over HTTP: throttling per address and per account, and the cookies.

No account is ever locked. Each test that types wrong passwords does so from
addresses of its own (X-Forwarded-For, believed from the one proxy the app is
told of), so the other tests, signing in from 127.0.0.1, are never slowed.
"""

from __future__ import annotations

import hashlib
import time
from http.cookies import SimpleCookie

import requests

from staff.db import SESSIONS
from staff.sign_in import SESSION_HOURS
from staff.throttle import BY_ACCOUNT, BY_ADDRESS
from tests.console.conftest import (
    ACCOUNT,
    ADMIN_PASSWORD,
    LOCKED_ACCOUNT,
    LOCKED_PASSWORD,
    PASSWORD,
    Console,
    hidden_input,
    new_address,
)

WRONG = "not the password at all"


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


def _refused(reply: requests.Response) -> int:
    """A 429 that says when to try again, and signs nobody in; returns Retry-After."""
    assert reply.status_code == 429, (reply.status_code, reply.text[:300])
    assert "Too many failed sign-ins. Try again in" in reply.text
    assert "clinic_staff" not in _set_cookies(reply)
    return int(reply.headers["Retry-After"])


def _wrong(console: Console, http: requests.Session, name: str) -> None:
    reply = console.try_sign_in(http, name, WRONG)
    assert reply.status_code == 401, (reply.status_code, reply.text[:300])
    assert "That name and password don&#39;t match." in reply.text
    assert "clinic_staff" not in _set_cookies(reply)


def _wrong_when_allowed(console: Console, http: requests.Session, name: str) -> None:
    """A patient guesser: waits as long as told, then types a wrong password."""
    reply = console.try_sign_in(http, name, WRONG)
    if reply.status_code == 429:
        time.sleep(int(reply.headers["Retry-After"]))
        reply = console.try_sign_in(http, name, WRONG)
    assert reply.status_code == 401, (reply.status_code, reply.text[:300])


def test_one_address_trying_many_accounts_is_slowed_and_the_waits_grow(
    console: Console,
) -> None:
    stranger = console.http(new_address())
    for n in range(BY_ADDRESS.free):
        _wrong(console, stranger, f"guess.{n}")
    waits = []
    for n in range(3):
        wait = _refused(console.try_sign_in(stranger, f"other.{n}", WRONG))
        waits.append(wait)
        time.sleep(wait)
        _wrong(console, stranger, f"other.{n}")
    assert waits == [1, 2, 4]
    # Even the right password waits, unchecked, while the address is slowed...
    _refused(console.try_sign_in(stranger, ACCOUNT, PASSWORD))
    # ...and everyone elsewhere signs in as usual, that account included.
    assert "Sign out" in console.sign_in().page("/staff/overview")


def test_a_strangers_failures_from_one_address_do_not_stop_the_owner_elsewhere(
    console: Console,
) -> None:
    stranger = console.http(new_address())
    failures = refusals = 0
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:  # as fast as the console lets them, for 8 seconds
        reply = console.try_sign_in(stranger, LOCKED_ACCOUNT, WRONG)
        if reply.status_code == 429:
            refusals += 1
            time.sleep(min(int(reply.headers["Retry-After"]), 2))
        else:
            assert reply.status_code == 401
            failures += 1
    assert failures > BY_ADDRESS.free and refusals > 0, "the stranger was slowed, not stopped"

    # The owner, from an address the console has never seen: in at once.
    owner = console.http(new_address())
    began = time.monotonic()
    reply = console.try_sign_in(owner, LOCKED_ACCOUNT, LOCKED_PASSWORD)
    assert reply.status_code == 303, reply.text
    assert reply.headers["Location"] == "/staff/overview"
    assert time.monotonic() - began < 2
    assert console.signed_in(owner)


def test_many_addresses_on_one_account_slow_strangers_not_the_owner_at_a_known_address(
    console: Console,
) -> None:
    phone = console.admin_account("under.attack")
    home = new_address()
    console.sign_in_with_code("under.attack", ADMIN_PASSWORD, phone, address=home)

    botnet = [console.http(new_address()) for _ in range(BY_ACCOUNT.free + 3)]
    for bot in botnet:  # one guess from each address, each slowed once past the first few
        _wrong_when_allowed(console, bot, "under.attack")
    # One more address, never seen: slowed on this account (and only on it)...
    newcomer = console.http(new_address())
    _refused(console.try_sign_in(newcomer, "under.attack", ADMIN_PASSWORD))
    _wrong(console, newcomer, "somebody.else")
    # ...while the owner at home, with the right password and code, gets straight in.
    owner = console.sign_in_with_code("under.attack", ADMIN_PASSWORD, phone, address=home)
    assert "Sign out" in owner.page("/staff/overview")


def test_a_wrong_code_counts_as_a_failure_and_is_slowed_the_same_way(console: Console) -> None:
    phone = console.admin_account("code.guessed")
    thief = console.http(new_address())
    refused = None
    for _ in range(BY_ADDRESS.free + 1):
        reply = console.try_sign_in(thief, "code.guessed", ADMIN_PASSWORD)
        if reply.status_code == 429:
            refused = reply
            break
        assert reply.headers["Location"] == "/staff/login/code"
        reply = console.try_code(thief, phone.wrong_code())
        if reply.status_code == 429:
            refused = reply
            break
        assert reply.status_code == 401, reply.text
        assert "That code didn&#39;t work" in reply.text
    assert refused is not None, "wrong codes were never slowed"
    assert int(refused.headers["Retry-After"]) >= 1


def test_an_unknown_account_is_answered_like_a_wrong_password(console: Console) -> None:
    http = console.http(new_address())
    reply = console.try_sign_in(http, "nobody.here", PASSWORD)
    assert reply.status_code == 401
    assert "That name and password don&#39;t match." in reply.text


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

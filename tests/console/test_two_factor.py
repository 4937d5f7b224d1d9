"""Two-factor sign-in over HTTP, with the codes computed by pyotp as a phone would.

Setting it up (the QR code and key on the page, one code to switch it on,
recovery codes shown once), signing in with the code after the password, a
wrong code, a code replayed, and a recovery code used once.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import unquote

from staff.accounts import ADMIN, add_account
from staff.two_factor import RECOVERY_CODE_COUNT
from tests.console.conftest import (
    ADMIN_PASSWORD,
    Authenticator,
    Console,
    Staff,
    hidden_input,
    new_address,
)

RECOVERY = re.compile(r"<code>([A-Z2-9]{4}(?:-[A-Z2-9]{4}){3})</code>")


def _setup_page(walker: Staff) -> tuple[str, str]:
    """The set-up page's key (spaces dropped) and the otpauth link inside its QR image."""
    page = walker.page("/staff/two-factor")
    key = re.search(r"Type this key instead \(time-based\): <code>([A-Z2-7 ]+)</code>", page)
    image = re.search(r'<img src="(data:image/svg\+xml[^"]+)" alt="QR code', page)
    assert key and image, page[:2000]
    return key[1].replace(" ", ""), image[1]


def _switch_on(walker: Staff, phone: Authenticator) -> list[str]:
    page = walker.page("/staff/two-factor")
    reply = walker.post(
        "/staff/two-factor",
        data={"csrf_token": hidden_input(page, "csrf_token"), "code": phone.code()},
    )
    assert reply.status_code == 200, reply.text[:500]
    codes = RECOVERY.findall(reply.text)
    assert len(codes) == RECOVERY_CODE_COUNT
    assert "shown only now" in reply.text
    return codes


def test_an_administrator_sets_it_up_before_anything_else(console: Console) -> None:
    add_account(console.engine, "new.manager", ADMIN_PASSWORD, role=ADMIN)
    http = console.http()
    reply = console.try_sign_in(http, "new.manager", ADMIN_PASSWORD)
    assert reply.status_code == 303 and reply.headers["Location"] == "/staff/two-factor"
    walker = Staff(console, http)
    assert walker.get("/staff/overview").headers["Location"] == "/staff/two-factor"
    assert walker.get("/staff/api/overview.json").status_code == 403

    secret, image = _setup_page(walker)
    assert _setup_page(walker)[0] == secret, "a reload shows the same key"
    svg = image.split(",", 1)[1]
    svg = base64.b64decode(svg).decode() if ";base64" in image.split(",", 1)[0] else unquote(svg)
    assert svg.lstrip().startswith(("<svg", "<?xml")) and "<path" in svg
    page = walker.page("/staff/two-factor")
    assert "Administrators sign in with a password and a code" in page
    assert 'href="/staff/overview"' not in page, "no navigation until it is set up"

    phone = Authenticator(secret)
    wrong = walker.post(
        "/staff/two-factor",
        data={"csrf_token": hidden_input(page, "csrf_token"), "code": phone.wrong_code()},
    )
    assert wrong.status_code == 400 and "didn&#39;t match" in wrong.text
    assert walker.get("/staff/overview").status_code == 303, "still not on"

    codes = _switch_on(walker, phone)
    assert walker.get("/staff/overview").status_code == 200
    assert walker.get("/staff/accounts").status_code == 200
    assert not set(codes) & set(RECOVERY.findall(walker.page("/staff/two-factor"))), "once"

    # From now on the password alone is not enough.
    again = console.http()
    reply = console.try_sign_in(again, "new.manager", ADMIN_PASSWORD)
    assert reply.headers["Location"] == "/staff/login/code"
    assert console.try_code(again, phone.code()).headers["Location"] == "/staff/overview"


def test_sign_in_asks_for_the_code_after_the_password(console: Console) -> None:
    phone = console.admin_account("code.asked")
    http = console.http()
    reply = console.try_sign_in(http, "code.asked", ADMIN_PASSWORD)
    assert reply.status_code == 303 and reply.headers["Location"] == "/staff/login/code"
    half_way = dict(http.cookies)

    # Between the password and the code, nothing of the console opens.
    for path in ("/staff/overview", "/staff/accounts", "/staff/two-factor"):
        reply = console.get(path, cookies=half_way)
        assert reply.status_code == 303 and reply.headers["Location"] == "/staff/login"
    assert console.get("/staff/api/overview.json", cookies=half_way).status_code == 401

    wrong = console.try_code(http, phone.wrong_code())
    assert wrong.status_code == 401 and "That code didn&#39;t work" in wrong.text
    reply = console.try_code(http, phone.code())
    assert reply.status_code == 303 and reply.headers["Location"] == "/staff/overview"
    assert console.signed_in(http)
    assert http.cookies.get("clinic_staff") != half_way["clinic_staff"], "a new session"
    assert console.get("/staff/login/code", cookies=half_way).status_code == 303


def test_a_code_is_good_once(console: Console) -> None:
    phone = console.admin_account("no.replay")
    first, second = console.http(new_address()), console.http(new_address())
    for http in (first, second):
        reply = console.try_sign_in(http, "no.replay", ADMIN_PASSWORD)
        assert reply.headers["Location"] == "/staff/login/code"
    code = phone.code()
    assert console.try_code(first, code).status_code == 303
    replayed = console.try_code(second, code)
    assert replayed.status_code == 401, "the same code, seen over a shoulder, in its window"
    assert not console.signed_in(second)


def test_a_recovery_code_signs_in_once(console: Console) -> None:
    add_account(console.engine, "lost.phone", ADMIN_PASSWORD, role=ADMIN)
    http = console.http()
    console.try_sign_in(http, "lost.phone", ADMIN_PASSWORD)
    walker = Staff(console, http)
    phone = Authenticator(_setup_page(walker)[0])
    codes = _switch_on(walker, phone)

    browser = console.http(new_address())
    console.try_sign_in(browser, "lost.phone", ADMIN_PASSWORD)
    reply = console.try_code(browser, codes[3].lower())
    assert reply.status_code == 303
    assert reply.headers["Location"] == "/staff/two-factor?recovery=used"
    page = Staff(console, browser).page(reply.headers["Location"])
    assert f"{RECOVERY_CODE_COUNT - 1} left" in page

    another = console.http(new_address())
    console.try_sign_in(another, "lost.phone", ADMIN_PASSWORD)
    assert console.try_code(another, codes[3]).status_code == 401, "used"
    assert console.try_code(another, codes[4]).status_code == 303


def test_staff_may_switch_it_on_and_off(console: Console) -> None:
    add_account(console.engine, "careful.nurse", "the careful nurse's password")
    http = console.http()
    reply = console.try_sign_in(http, "careful.nurse", "the careful nurse's password")
    assert reply.headers["Location"] == "/staff/overview", "optional: not asked"
    walker = Staff(console, http)
    assert "Optional for staff" in walker.page("/staff/two-factor")
    phone = Authenticator(_setup_page(walker)[0])
    _switch_on(walker, phone)

    other = console.http()
    reply = console.try_sign_in(other, "careful.nurse", "the careful nurse's password")
    assert reply.headers["Location"] == "/staff/login/code"
    assert console.try_code(other, phone.code()).status_code == 303

    page = walker.page("/staff/two-factor")
    off = {"csrf_token": hidden_input(page, "csrf_token")}
    assert walker.post("/staff/two-factor/off", data={**off, "code": "123"}).status_code == 400
    reply = walker.post("/staff/two-factor/off", data={**off, "code": phone.code()})
    assert reply.status_code == 303
    third = console.http()
    reply = console.try_sign_in(third, "careful.nurse", "the careful nurse's password")
    assert reply.headers["Location"] == "/staff/overview"


def test_an_administrator_cannot_switch_it_off(console: Console, admin: Staff) -> None:
    page = admin.page("/staff/two-factor")
    assert "Switch two-factor sign-in off" not in page
    reply = admin.post(
        "/staff/two-factor/off",
        data={"csrf_token": hidden_input(page, "csrf_token"), "code": "000000"},
    )
    assert reply.status_code == 409 and "Administrators always sign in" in reply.text

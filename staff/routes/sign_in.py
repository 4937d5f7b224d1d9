"""Signing in and out (staff/sign_in.py, staff/accounts.py, staff/two_factor.py).

The sign-in form has its own CSRF token, in a short-lived cookie, since there
is no session yet. Each attempt, a password or a two-factor code, first asks
staff/throttle.py whether it may be tried: too many failures from the address
(or, from an address the account has never signed in from, on the account)
and it is answered 429 with Retry-After, unchecked. (There is no fixed pause
after each failure: the growing waits slow guessing, over any number of
connections, where a pause would only slow one.) After the right password, an
account with two-factor sign-in gets a code-stage session and the code page;
the code (or a recovery code) opens the full session. Signing out also stops
taking live chats, and signing in starts
without them: a member of staff chooses again on the Live page.
"""

from __future__ import annotations

import asyncio
import logging
import secrets

import sqlalchemy as sa
from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from staff import accounts, live, sign_in, throttle, two_factor
from staff.routes.console import COOKIE, SECURITY_HEADERS, TWO_FACTOR_SETUP, Console, csrf_sent

logger = logging.getLogger(__name__)

LOGIN_COOKIE = "clinic_staff_login"  # the sign-in form's CSRF token, before any session
LOGIN_TOKEN_S = 600
CODE_PAGE = "/staff/login/code"


def set_cookie(
    reply: HTTPResponse, request: Request, name: str, value: str, path: str, max_age: int
) -> None:
    """HttpOnly, SameSite=Strict, and Secure when the request came over https."""
    reply.cookies[name] = value
    cookie = reply.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = path
    cookie["max-age"] = max_age
    cookie["secure"] = request.scheme == "https"


def address_of(request: Request) -> str:
    """Where the attempt came from (X-Forwarded-For's, behind the proxies WEB_PROXIES counts)."""
    return str(request.remote_addr or request.ip or "unknown")


def wait_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{-(-seconds // 60)} minutes"


def _too_many(page: HTTPResponse, wait_s: int) -> HTTPResponse:
    page.headers["Retry-After"] = str(wait_s)
    return page


def _too_many_message(wait_s: int) -> str:
    return f"Too many failed sign-ins. Try again in {wait_words(wait_s)}."


def _signed_in(engine: sa.engine.Engine, request: Request, name: str, goes_to: str) -> HTTPResponse:
    """A full session for `name`, and the page to go to (not yet taking live chats)."""
    throttle.signed_in(engine, name, address_of(request))
    live.sign_off(engine, name)
    token = sign_in.open_session(engine, name)
    reply = response.redirect(goes_to, status=303, headers=SECURITY_HEADERS)
    set_cookie(reply, request, COOKIE, token, "/staff", sign_in.SESSION_HOURS * 3600)
    set_cookie(reply, request, LOGIN_COOKIE, "", "/staff/login", 0)
    return reply


def add_sign_in_routes(staff: Blueprint, console: Console) -> None:
    """`/staff/login` (the form, and signing in), `/staff/login/code` and `/staff/logout`."""
    _add_password_routes(staff, console)
    _add_code_routes(staff, console)

    @staff.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        account = request.ctx.staff.account
        await asyncio.to_thread(live.sign_off, console.engine, account)
        sign_in.close_session(console.engine, request.cookies.get(COOKIE))
        reply = response.redirect("/staff/login", status=303)
        set_cookie(reply, request, COOKIE, "", "/staff", 0)
        return reply


def _add_password_routes(staff: Blueprint, console: Console) -> None:
    """`/staff/login`: the form, and a name and password; the code page next for an
    account with two-factor sign-in."""
    engine = console.engine

    def login_form(request: Request, error: str = "", status: int = 200) -> HTTPResponse:
        token = secrets.token_urlsafe(32)
        reply = console.page(request, "login.html", status=status, login_token=token, error=error)
        set_cookie(reply, request, LOGIN_COOKIE, token, "/staff/login", LOGIN_TOKEN_S)
        return reply

    @staff.get("/login")
    async def login_page(request: Request) -> HTTPResponse:
        return login_form(request)

    @staff.post("/login")
    async def login(request: Request) -> HTTPResponse:
        form = request.form or {}
        sent, expected = form.get("login_token"), request.cookies.get(LOGIN_COOKIE)
        if not sent or not expected or not secrets.compare_digest(str(sent), str(expected)):
            return response.json({"error": "missing or wrong CSRF token"}, status=403)
        name = str(form.get("name") or "")[:64]
        password = str(form.get("password") or "")[:1024]
        address = address_of(request)
        attempt = await asyncio.to_thread(throttle.begin_attempt, engine, name, address)
        if not attempt.allowed:
            return _too_many(
                login_form(request, _too_many_message(attempt.wait_s), 429), attempt.wait_s
            )
        if not await asyncio.to_thread(accounts.verify, engine, name, password):
            await asyncio.to_thread(throttle.failed, engine, name, address)
            return login_form(request, "That name and password don't match.", 401)
        await asyncio.to_thread(throttle.proved_right, engine, attempt)
        found = await asyncio.to_thread(accounts.account, engine, name)
        if found is not None and found.two_factor:
            token = sign_in.open_session(engine, name, stage=sign_in.CODE)
            reply = response.redirect(CODE_PAGE, status=303, headers=SECURITY_HEADERS)
            set_cookie(reply, request, COOKIE, token, "/staff", sign_in.CODE_STAGE_MINUTES * 60)
            return reply
        needs_setup = found is not None and found.is_admin
        goes_to = TWO_FACTOR_SETUP if needs_setup else "/staff/overview"
        return _signed_in(engine, request, name, goes_to)


def _add_code_routes(staff: Blueprint, console: Console) -> None:
    """`/staff/login/code`: after the right password, the authenticator's code or a
    recovery code opens the full session."""
    engine = console.engine

    def code_session(request: Request) -> sign_in.StaffSession | None:
        session = sign_in.session_for(engine, request.cookies.get(COOKIE))
        return session if session is not None and session.stage == sign_in.CODE else None

    def code_form(
        request: Request, session: sign_in.StaffSession, error: str = "", status: int = 200
    ) -> HTTPResponse:
        request.ctx.staff = session  # its CSRF token in the form, and "Sign out" to cancel
        return console.page(request, "login_code.html", status=status, error=error)

    @staff.get("/login/code")
    async def code_page(request: Request) -> HTTPResponse:
        session = code_session(request)
        if session is None:
            return response.redirect("/staff/login", status=303, headers=SECURITY_HEADERS)
        return code_form(request, session)

    @staff.post("/login/code")
    async def code(request: Request) -> HTTPResponse:
        session = code_session(request)
        if session is None:
            return response.redirect("/staff/login", status=303, headers=SECURITY_HEADERS)
        if not sign_in.csrf_matches(session, csrf_sent(request)):
            return response.json({"error": "missing or wrong CSRF token"}, status=403)
        typed = str((request.form or {}).get("code") or "")[:64]
        name, address = session.account, address_of(request)
        attempt = await asyncio.to_thread(throttle.begin_attempt, engine, name, address)
        if not attempt.allowed:
            page = code_form(request, session, _too_many_message(attempt.wait_s), 429)
            return _too_many(page, attempt.wait_s)
        recovery = two_factor.looks_like_recovery_code(typed)
        check = two_factor.use_recovery_code if recovery else two_factor.check_code
        if not await asyncio.to_thread(check, engine, name, typed):
            await asyncio.to_thread(throttle.failed, engine, name, address)
            logger.warning("Staff sign-in: right password, wrong two-factor code")
            return code_form(request, session, "That code didn't work. Try the newest one.", 401)
        await asyncio.to_thread(throttle.proved_right, engine, attempt)
        sign_in.close_session(engine, request.cookies.get(COOKIE))
        goes_to = f"{TWO_FACTOR_SETUP}?recovery=used" if recovery else "/staff/overview"
        return _signed_in(engine, request, name, goes_to)

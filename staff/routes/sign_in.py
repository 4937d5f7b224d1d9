"""Signing in and out (staff/sign_in.py, staff/accounts.py).

The sign-in form has its own CSRF token, in a short-lived cookie, since there
is no session yet. A wrong password is answered slowly and counted; past a
few, sign-in is refused for a while. Signing out stops taking live chats, and signing
in starts without them: a member of staff chooses again on the Live page.
"""

from __future__ import annotations

import asyncio
import secrets

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from staff import accounts, live, sign_in
from staff.routes.console import COOKIE, Console, account_of

LOGIN_COOKIE = "clinic_staff_login"  # the sign-in form's CSRF token, before any session
LOGIN_TOKEN_S = 600
FAILED_SIGN_IN_DELAY_S = 1.0


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


def add_sign_in_routes(staff: Blueprint, console: Console) -> None:
    """`/staff/login` (the form, and signing in) and `/staff/logout`."""

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
        address = request.remote_addr or request.ip or "unknown"
        wait = sign_in.sign_in_blocked(console.engine, name, address)
        if wait:
            message = f"Too many wrong passwords. Try again in {wait // 60 + 1} minutes."
            return login_form(request, message, 429)
        if not await asyncio.to_thread(accounts.verify, console.engine, name, password):
            sign_in.record_failure(console.engine, name, address)
            await asyncio.sleep(FAILED_SIGN_IN_DELAY_S)
            return login_form(request, "That name and password don't match.", 401)
        sign_in.clear_failures(console.engine, name)
        await asyncio.to_thread(live.sign_off, console.engine, name)
        token = sign_in.open_session(console.engine, name)
        reply = response.redirect("/staff/overview", status=303)
        set_cookie(reply, request, COOKIE, token, "/staff", sign_in.SESSION_HOURS * 3600)
        set_cookie(reply, request, LOGIN_COOKIE, "", "/staff/login", 0)
        return reply

    @staff.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        await asyncio.to_thread(live.sign_off, console.engine, account_of(request))
        sign_in.close_session(console.engine, request.cookies.get(COOKIE))
        reply = response.redirect("/staff/login", status=303)
        set_cookie(reply, request, COOKIE, "", "/staff", 0)
        return reply

"""What every console route shares: its database, its pages, and the sign-in guard.

Every route but the sign-in pages and the console's own static files needs a
signed-in staff session (staff/sign_in.py): a page sends a stranger to
sign-in, JSON and exports answer 401. Every POST carries the session's CSRF
token, in the form or the `X-CSRF-Token` header. An administrator without
two-factor sign-in is sent to set it up before anything else. Routes made
with `**ADMIN_ONLY` answer staff 403 with a page saying who can do it; every
other route is open to staff and administrators alike. Pages are the Jinja2
templates of staff/rendering.py, sent with headers that allow scripts from
the console itself only. Before a route runs, the index catches up with the
events stored since the last one (staff/indexer.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from jinja2 import Environment
from sanic import Request, response
from sanic.response import HTTPResponse

from staff import accounts, badges, sign_in
from staff.indexer import catch_up

COOKIE = "clinic_staff"
# The sign-in pages check their own (password-stage) session; the rest need a full one.
OPEN_PATHS = ("/staff/login", "/staff/static/")
# What an administrator without two-factor sign-in may still open: setting it up.
TWO_FACTOR_SETUP = "/staff/two-factor"
SETUP_PATHS = (TWO_FACTOR_SETUP, "/staff/logout")
# A route's keyword arguments that make it an administrator's only (Sanic route context).
ADMIN_ONLY: dict[str, Any] = {"ctx_admin_only": True}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def wants_json(request: Request) -> bool:
    """Data and exports (not pages): a stranger gets a 401 there, not the sign-in page."""
    return request.path.startswith("/staff/api/") or request.path.endswith((".csv", ".json"))


def csrf_sent(request: Request) -> str | None:
    """The CSRF token a POST carries: a form's field, or else the `X-CSRF-Token` header."""
    sent = request.form.get("csrf_token") if request.form else None
    return sent or request.headers.get("X-CSRF-Token")


def account_of(request: Request) -> str:
    """The signed-in account (the guard has checked the session before any route runs)."""
    return str(request.ctx.staff.account)


def form_value(request: Request, name: str) -> str | None:
    """A posted form's field, or None when the form or the field is missing."""
    value = request.form.get(name) if request.form else None
    return str(value) if value is not None else None


@dataclass(frozen=True)
class Console:
    """The console's database and templates, for every route."""

    engine: sa.engine.Engine
    templates: Environment
    clinic_name: str

    def page(self, request: Request, name: str, status: int = 200, **values: Any) -> HTTPResponse:
        """Template `name` with `values`, the clinic's name and the signed-in session's details."""
        session = request.ctx.staff if hasattr(request.ctx, "staff") else None
        # The navigation is for full sessions, and not while an administrator sets up
        # two-factor sign-in (every link would lead back there).
        nav = (
            session is not None
            and session.stage == sign_in.FULL
            and not session.must_set_up_two_factor
        )
        body = self.templates.get_template(name).render(
            clinic_name=self.clinic_name,
            badges=getattr(request.ctx, "badges", None) if nav else None,
            account=session.account if session else None,
            nav=nav,
            is_admin=nav and session is not None and session.is_admin,
            csrf_token=session.csrf_token if session else "",
            path=request.path,
            **values,
        )
        return response.html(body, status=status, headers=SECURITY_HEADERS)

    def not_possible(self, request: Request, status: int, message: str) -> HTTPResponse:
        """The error page: what could not be done, and a way back."""
        return self.page(request, "error.html", status=status, message=message)

    def forbidden(self, request: Request) -> HTTPResponse:
        """403 for staff on an administrator's route: a page saying who can, or JSON."""
        if wants_json(request):
            return response.json({"error": "administrators only"}, status=403)
        admins = [found.name for found in accounts.accounts(self.engine) if found.is_admin]
        message = (
            "Only an administrator can do this (managing accounts, deleting conversations). "
            f"Ask {', '.join(admins) or 'whoever runs the assistant'}."
        )
        return self.not_possible(request, 403, message)


def admin_only(request: Request) -> bool:
    """The route asked for was made with `**ADMIN_ONLY`."""
    route = getattr(request, "route", None)
    return bool(route is not None and getattr(route.ctx, "admin_only", False))


Guard = Callable[[Request], Awaitable[HTTPResponse | None]]


def sign_in_guard(console: Console) -> Guard:
    """The blueprint's request middleware: stop a request without a live, full session,
    a POST without its CSRF token, an administrator without two-factor sign-in anywhere
    but its set-up, and staff on an administrator's route; otherwise note the session
    and catch the index up.

    A function, not a bound method: Sanic 21.12's `Blueprint.on_request(handler)`
    registers only what `inspect.isfunction` accepts, and silently drops the rest.
    """

    async def require_sign_in(request: Request) -> HTTPResponse | None:
        if request.path.startswith(OPEN_PATHS):
            return None
        session = sign_in.session_for(console.engine, request.cookies.get(COOKIE))
        signing_out = request.path == "/staff/logout"
        if session is None or (session.stage != sign_in.FULL and not signing_out):
            if wants_json(request):
                return response.json({"error": "sign in first"}, status=401)
            return response.redirect("/staff/login", status=303, headers=SECURITY_HEADERS)
        if request.method == "POST" and not sign_in.csrf_matches(session, csrf_sent(request)):
            return response.json({"error": "missing or wrong CSRF token"}, status=403)
        request.ctx.staff = session
        if session.must_set_up_two_factor and not request.path.startswith(SETUP_PATHS):
            if wants_json(request) or request.method != "GET":
                return response.json({"error": "set up two-factor sign-in first"}, status=403)
            return response.redirect(TWO_FACTOR_SETUP, status=303, headers=SECURITY_HEADERS)
        if admin_only(request) and not session.is_admin:
            return console.forbidden(request)
        await asyncio.to_thread(catch_up, console.engine)
        if request.method == "GET" and not wants_json(request):
            request.ctx.badges = await asyncio.to_thread(badges.waiting_work, console.engine)
        return None

    return require_sign_in

"""The staff console at `/staff/`: a Sanic blueprint the web app mounts.

Every route but the sign-in page and the console's own static files needs a
signed-in staff session (staff/sign_in.py): pages redirect to sign-in, JSON
and exports answer 401. Every POST carries the session's CSRF token. Pages
are Jinja2 templates with autoescaping on, so a visitor's `<script>` shows as
text; the Content-Security-Policy allows scripts from the console itself only.
Before a page is built the index catches up with the events stored since the
last one (staff/indexer.py); a background task does the same every few
seconds, and applies the retention period once a day.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import sqlalchemy as sa
from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from clinic import calendars
from clinic.content import load_topics
from clinic.handoff.live_chat import load_live_chat
from clinic.settings import load_clinic_settings
from staff import accounts, conversations, insights, live, rendering, review, sign_in, unanswered
from staff.callbacks import callback_requests, mark_done
from staff.export import unanswered_csv as csv_text
from staff.feedback import recent_thumbs_down
from staff.indexer import catch_up
from staff.live_routes import add_live_routes
from staff.rasa_link import RasaLink
from staff.rendering import form_count, set_cookie
from staff.safety import mark_reviewed, safety_log

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
CHART_JS = HERE.parent / "web" / "node_modules" / "chart.js" / "dist" / "chart.umd.min.js"
COOKIE = "clinic_staff"
LOGIN_COOKIE = "clinic_staff_login"  # the sign-in form's CSRF token, before any session
FAILED_SIGN_IN_DELAY_S = 1.0
OPEN_PATHS = ("/staff/login", "/staff/static/")
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
DECISIONS = {"new_wording", "article", "dismissed"}

Handler = Callable[..., Awaitable[HTTPResponse]]


def create_blueprint(
    engine: sa.engine.Engine,
    review_dir: Path = review.REVIEW_DIR,
    link: RasaLink | None = None,
) -> Blueprint:
    """The console on `engine` (the tracker store's database, console tables created).

    With `link` (Rasa's handoff route) it has the Live page too.
    """
    staff = Blueprint("staff", url_prefix="/staff")
    templates = rendering.templates()
    clinic_name = load_clinic_settings().name
    topics = sorted(name for name, t in load_topics().items() if t.coverage == "article")

    def page(request: Request, name: str, status: int = 200, **values: Any) -> HTTPResponse:
        session = request.ctx.staff if hasattr(request.ctx, "staff") else None
        body = templates.get_template(name).render(
            clinic_name=clinic_name,
            account=session.account if session else None,
            csrf_token=session.csrf_token if session else "",
            path=request.path,
            **values,
        )
        return response.html(body, status=status, headers=SECURITY_HEADERS)

    def wants_json(request: Request) -> bool:
        return request.path.startswith("/staff/api/") or request.path.endswith((".csv", ".json"))

    @staff.on_request  # type: ignore[untyped-decorator]
    async def require_sign_in(request: Request) -> HTTPResponse | None:
        if request.path.startswith(OPEN_PATHS):
            return None
        session = sign_in.session_for(engine, request.cookies.get(COOKIE))
        if session is None:
            if wants_json(request):
                return response.json({"error": "sign in first"}, status=401)
            return response.redirect("/staff/login", status=303, headers=SECURITY_HEADERS)
        if request.method == "POST":
            sent = request.form.get("csrf_token") if request.form else None
            sent = sent or request.headers.get("X-CSRF-Token")
            if not sign_in.csrf_matches(session, sent):
                return response.json({"error": "missing or wrong CSRF token"}, status=403)
        request.ctx.staff = session
        await asyncio.to_thread(catch_up, engine)
        return None

    @staff.get("/")
    async def home(request: Request) -> HTTPResponse:
        return response.redirect("/staff/overview", status=303)

    @staff.get("/static/<name>")
    async def static(request: Request, name: str) -> HTTPResponse:
        files = {
            "console.css": HERE / "static" / "console.css",
            "console.js": HERE / "static" / "console.js",
            "live.js": HERE / "static" / "live.js",
            "chart.js": CHART_JS,
        }
        path = files.get(name)
        if path is None or not path.is_file():
            return response.text("Not found", status=404)
        kind = "text/css" if name.endswith(".css") else "application/javascript"
        return await response.file(path, mime_type=f"{kind}; charset=utf-8")

    @staff.get("/login")
    async def login_page(request: Request) -> HTTPResponse:
        return _login_form(request)

    def _login_form(request: Request, error: str = "", status: int = 200) -> HTTPResponse:
        token = secrets.token_urlsafe(32)
        reply = page(request, "login.html", status=status, login_token=token, error=error)
        set_cookie(reply, request, LOGIN_COOKIE, token, "/staff/login", 600)
        return reply

    @staff.post("/login")
    async def login(request: Request) -> HTTPResponse:
        form = request.form or {}
        sent, expected = form.get("login_token"), request.cookies.get(LOGIN_COOKIE)
        if not sent or not expected or not secrets.compare_digest(str(sent), str(expected)):
            return response.json({"error": "missing or wrong CSRF token"}, status=403)
        name = str(form.get("name") or "")[:64]
        password = str(form.get("password") or "")[:1024]
        address = request.remote_addr or request.ip or "unknown"
        wait = sign_in.sign_in_blocked(engine, name, address)
        if wait:
            return _login_form(
                request, f"Too many wrong passwords. Try again in {wait // 60 + 1} minutes.", 429
            )
        if not await asyncio.to_thread(accounts.verify, engine, name, password):
            sign_in.record_failure(engine, name, address)
            await asyncio.sleep(FAILED_SIGN_IN_DELAY_S)
            return _login_form(request, "That name and password don't match.", 401)
        sign_in.clear_failures(engine, name)
        token = sign_in.open_session(engine, name)
        reply = response.redirect("/staff/overview", status=303)
        set_cookie(reply, request, COOKIE, token, "/staff", sign_in.SESSION_HOURS * 3600)
        set_cookie(reply, request, LOGIN_COOKIE, "", "/staff/login", 0)
        return reply

    @staff.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        await asyncio.to_thread(live.sign_off, engine, request.ctx.staff.account)
        sign_in.close_session(engine, request.cookies.get(COOKIE))
        reply = response.redirect("/staff/login", status=303)
        set_cookie(reply, request, COOKIE, "", "/staff", 0)
        return reply

    def _period(request: Request) -> str:
        period = request.args.get("period", "week")
        return period if period in insights.PERIODS else "week"

    @staff.get("/overview")
    async def overview(request: Request) -> HTTPResponse:
        period = _period(request)
        found = await asyncio.to_thread(insights.overview, engine, period, time.time())
        chart = {"series": found.series, "period": period, "topics": found.topics}
        return page(
            request,
            "overview.html",
            overview=found,
            periods=list(insights.PERIODS),
            chart=chart,
            definition=insights.RESOLUTION_DEFINITION,
        )

    @staff.get("/api/overview.json")
    async def overview_json(request: Request) -> HTTPResponse:
        found = await asyncio.to_thread(insights.overview, engine, _period(request), time.time())
        return response.json(
            {
                "period": found.period,
                "counts": found.counts,
                "resolution_rate": found.resolution_rate,
                "series": found.series,
                "topics": found.topics,
            },
            headers=SECURITY_HEADERS,
        )

    @staff.get("/unanswered")
    async def unanswered_page(request: Request) -> HTTPResponse:
        period = request.args.get("period", "month")
        period = period if period in insights.PERIODS else "month"
        now = time.time()
        since = now - insights.PERIODS[period] * 86400
        groups = await asyncio.to_thread(unanswered.unanswered_groups, engine, since, now)
        return page(
            request,
            "unanswered.html",
            groups=groups,
            topics=topics,
            period=period,
            periods=list(insights.PERIODS),
            filed=request.args.get("filed", ""),
        )

    @staff.post("/unanswered/decide")
    async def decide(request: Request) -> HTTPResponse:
        form = request.form
        if form is None:
            return page(request, "error.html", status=400, message="Choose what to do with it.")
        decision = str(form.get("decision") or "")
        keys = [str(k)[:255] for k in form.getlist("key") or []][:200]
        examples = [str(e)[:1000] for e in form.getlist("example") or []][:20]
        topic = str(form.get("topic") or "")
        if decision not in DECISIONS or not keys:
            return page(request, "error.html", status=400, message="Choose what to do with it.")
        if decision == "new_wording" and topic not in topics:
            return page(request, "error.html", status=400, message="Choose the topic it asks.")
        account = request.ctx.staff.account
        if decision == "new_wording":
            review.add_new_wording(review_dir, topic, examples)
        elif decision == "article":
            review.add_article_question(
                review_dir, examples, form_count(form.get("count")), account
            )
        unanswered.decide(engine, keys, decision, account, time.time(), topic or None)
        return response.redirect(f"/staff/unanswered?filed={decision}", status=303)

    @staff.get("/unanswered.csv")
    async def unanswered_csv(request: Request) -> HTTPResponse:
        """Every unanswered message of the month, phone numbers and emails replaced."""
        now = time.time()
        groups = await asyncio.to_thread(
            unanswered.unanswered_groups, engine, now - 30 * 86400, now
        )
        return response.text(
            csv_text(groups),
            content_type="text/csv; charset=utf-8",
            headers={
                **SECURITY_HEADERS,
                "Content-Disposition": 'attachment; filename="unanswered.csv"',
            },
        )

    @staff.get("/feedback")
    async def feedback(request: Request) -> HTTPResponse:
        period = _period(request)
        found = await asyncio.to_thread(insights.overview, engine, period, time.time())
        down = await asyncio.to_thread(recent_thumbs_down, engine)
        return page(
            request,
            "feedback.html",
            topics=found.topics,
            down=down,
            period=period,
            periods=list(insights.PERIODS),
            counts=found.counts,
        )

    @staff.get("/safety")
    async def safety(request: Request) -> HTTPResponse:
        rows = await asyncio.to_thread(safety_log, engine)
        return page(request, "safety.html", rows=rows)

    @staff.post("/safety/<event_id:int>/reviewed")
    async def reviewed(request: Request, event_id: int) -> HTTPResponse:
        account = request.ctx.staff.account
        if not await asyncio.to_thread(mark_reviewed, engine, event_id, account, time.time()):
            return page(request, "error.html", status=404, message="No such safety route.")
        return response.redirect("/staff/safety", status=303)

    @staff.get("/callbacks")
    async def callbacks(request: Request) -> HTTPResponse:
        """Callback requests, open ones first (oldest first: the longest waiting)."""
        rows = await asyncio.to_thread(callback_requests, engine)
        return page(request, "callbacks.html", rows=rows)

    @staff.post("/callbacks/<event_id:int>/done")
    async def callback_done(request: Request, event_id: int) -> HTTPResponse:
        account = request.ctx.staff.account
        if not await asyncio.to_thread(mark_done, engine, event_id, account, time.time()):
            return page(request, "error.html", status=404, message="No such callback request.")
        return response.redirect("/staff/callbacks", status=303)

    @staff.get("/conversations")
    async def conversation_list(request: Request) -> HTTPResponse:
        words = request.args.get("q", "")
        found = await asyncio.to_thread(conversations.search, engine, words)
        return page(request, "conversations.html", found=found, q=words)

    # Sanic 21.12 hands path parameters over still percent-encoded; the links
    # quote every id (templates' urlencode), so each handler unquotes it once.
    @staff.get("/conversations/<sender>")
    async def conversation(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        lines = await asyncio.to_thread(conversations.transcript, engine, sender)
        if not lines:
            return page(request, "error.html", status=404, message="No such conversation.")
        return page(request, "conversation.html", sender=sender, lines=lines)

    @staff.get("/conversations/<sender>/export.json")
    async def export(request: Request, sender: str) -> HTTPResponse:
        """One conversation, as stored, for a visitor who asked for their data."""
        sender = unquote(sender)
        lines = await asyncio.to_thread(conversations.transcript, engine, sender)
        if not lines:
            return response.json({"error": "No such conversation."}, status=404)
        return response.json(
            {"conversation": sender, "lines": [line.__dict__ for line in lines]},
            headers={
                **SECURITY_HEADERS,
                "Content-Disposition": 'attachment; filename="conversation.json"',
            },
        )

    @staff.post("/conversations/<sender>/delete")
    async def delete(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        events = await asyncio.to_thread(
            conversations.delete_conversation, engine, sender, calendars.calendar_dir()
        )
        logger.info("Staff deleted a conversation (%s events)", events)
        return response.redirect("/staff/conversations?deleted=1", status=303)

    if link is not None:
        add_live_routes(staff, engine, page, link, load_live_chat())
    return staff

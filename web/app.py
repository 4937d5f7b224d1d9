"""The clinic's demo page with the chat widget, calendar downloads and a health check.

A small Sanic app beside Rasa: it serves the page that embeds the widget
(which talks to Rasa's socket.io channel directly), the `.ics` files the
planner writes, and `/health`. `/chat/session` gives the browser its chat
session: a random conversation id and a signed token for it (kept in an
HttpOnly cookie, so reloads and other tabs continue the same conversation);
the widget shows the token when it connects, and Rasa's socket.io channel
(rasa_ext/channels/guarded.py) lets it use that conversation only.
It also serves the staff console at `/staff/` (staff/app.py), on the tracker
store's database that `--endpoints` names.
Run: `python -m web.app --port 8080`.
"""

from __future__ import annotations

import argparse
import html
import os
from pathlib import Path

import aiohttp
import sqlalchemy as sa
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from clinic.calendars import DOWNLOAD_NAME, calendar_dir, is_calendar_name
from clinic.guard.rate_limit import TokenBucketLimiter
from clinic.guard.session_tokens import (
    LIFETIME_S,
    issue_token,
    load_key,
    new_session_id,
    session_of,
)
from clinic.handoff.live_chat import load_live_chat
from clinic.privacy import log_filter
from clinic.settings import load_clinic_settings
from clinic.tracker_db import TrackerDatabaseError
from staff.app import create_blueprint
from staff.background import hand_over_due_chats, keep_index_fresh
from staff.db import console_engine
from staff.rasa_link import RasaLink
from staff.routes.live import availability_blueprint
from web.widget import WIDGET_BUNDLE, installed_version, widget_with_auth

WEB_DIR = Path(__file__).resolve().parent
SESSION_COOKIE = "clinic_chat"


def _console(app: Sanic, endpoints: Path, rasa_internal_url: str) -> None:
    """Mount the staff console, or say at `/staff/` why it can't run.

    The console reaches Rasa's handoff route at `rasa_internal_url` (never
    through the public proxy, which does not pass that route on).
    """
    try:
        engine = console_engine(endpoints)
    except (TrackerDatabaseError, OSError, sa.exc.SQLAlchemyError) as error:
        reason = str(error)

        @app.route("/staff/<rest:path>", methods=["GET", "POST"])
        async def unavailable(_: Request, rest: str = "") -> HTTPResponse:
            return response.text(f"The staff console is unavailable: {reason}", status=503)

        return
    link = RasaLink(rasa_internal_url)
    settings = load_live_chat()
    app.blueprint(create_blueprint(engine, link=link))
    app.blueprint(availability_blueprint(engine, settings))

    async def live_chat_timeouts() -> None:
        await hand_over_due_chats(engine, link, settings)

    @app.after_server_start
    async def index_in_the_background(running: Sanic, _: object) -> None:
        running.add_task(keep_index_fresh(engine, live_chat_timeouts))


def create_app(
    rasa_url: str,
    endpoints: Path = Path("endpoints.yml"),
    proxies: int = 0,
    rasa_internal_url: str | None = None,
) -> Sanic:
    """The web app; `rasa_url` is where the browser reaches Rasa's socket.io channel,
    `rasa_internal_url` where the app itself does (default: the same).

    `proxies` is how many reverse proxies (nginx) stand in front: only then are
    X-Forwarded-For and X-Forwarded-Proto believed, for the address sign-in
    throttling counts and for marking cookies Secure over https.
    """
    app = Sanic("clinic_web")
    app.config.PROXIES_COUNT = proxies
    app.config.REQUEST_MAX_SIZE = 64 * 1024  # the app takes no uploads
    app.config.KEEP_ALIVE_TIMEOUT = 15
    page = (WEB_DIR / "static" / "index.html").read_text(encoding="utf-8")
    settings = load_clinic_settings()
    session_key = load_key()
    per_address = TokenBucketLimiter(
        settings.input_limits.address_burst, settings.input_limits.address_per_minute
    )
    bundle = (
        widget_with_auth(WIDGET_BUNDLE.read_text(encoding="utf-8"), installed_version())
        if WIDGET_BUNDLE.is_file()
        else None
    )
    rendered_page = (
        page.replace("{{CLINIC_NAME}}", html.escape(settings.name))
        .replace("{{RASA_URL}}", html.escape(rasa_url))
        .replace("{{CLINIC_PHONE}}", html.escape(settings.phone))
    )

    _console(app, endpoints, rasa_internal_url or rasa_url)

    @app.get("/")
    async def index(_: Request) -> HTTPResponse:
        return response.html(rendered_page)

    @app.get("/static/webchat.js")
    async def widget(_: Request) -> HTTPResponse:
        if bundle is None:
            return response.text("Widget not installed: run `make setup`.", status=503)
        return response.text(bundle, content_type="application/javascript; charset=utf-8")

    @app.post("/chat/session")
    async def chat_session(request: Request) -> HTTPResponse:
        address = request.remote_addr or request.ip or "unknown"
        if not per_address.allow(address):
            return response.json(
                {"error": "rate_limited", "message": "Too many new chats; try again shortly."},
                status=429,
                headers={"Retry-After": str(per_address.retry_after(address))},
            )
        session = session_of(request.cookies.get(SESSION_COOKIE), session_key)
        token = issue_token(session_key, session or new_session_id())
        reply = response.json(
            {"session_id": session_of(token, session_key), "token": token},
            headers={"Cache-Control": "no-store"},
        )
        reply.cookies[SESSION_COOKIE] = token
        cookie = reply.cookies[SESSION_COOKIE]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/chat"
        cookie["max-age"] = LIFETIME_S
        cookie["secure"] = request.scheme == "https"
        return reply

    @app.get("/calendars/<name>")
    async def calendar(_: Request, name: str) -> HTTPResponse:
        path = calendar_dir() / name
        if not is_calendar_name(name) or not path.is_file():
            return response.json({"error": "No such calendar."}, status=404)
        return await response.file(
            path,
            mime_type="text/calendar",
            headers={"Content-Disposition": f'attachment; filename="{DOWNLOAD_NAME}"'},
        )

    @app.get("/health")
    async def health(_: Request) -> HTTPResponse:
        """Rasa's own health report (tracker store, action server), or why it can't be had."""
        report: dict[str, object] = {}
        try:
            timeout = aiohttp.ClientTimeout(total=5)
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.get(f"{rasa_url}/webhooks/health/") as reply,
            ):
                rasa_ok = reply.status in (200, 503)
                if rasa_ok:
                    report = await reply.json()
        except (aiohttp.ClientError, TimeoutError, ValueError):
            rasa_ok = False
        ok = rasa_ok and report.get("status") == "ok"
        return response.json(
            {"status": "ok" if ok else "degraded", "rasa": rasa_ok, "rasa_health": report},
            status=200 if ok else 503,
        )

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("WEB_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL", "http://localhost:5005"))
    parser.add_argument(
        "--rasa-internal-url",
        default=os.environ.get("RASA_INTERNAL_URL") or None,
        help="where the app reaches Rasa itself (default: --rasa-url)",
    )
    parser.add_argument(
        "--endpoints", type=Path, default=Path(os.environ.get("ENDPOINTS", "endpoints.yml"))
    )
    parser.add_argument(
        "--proxies",
        type=int,
        default=int(os.environ.get("WEB_PROXIES", "0")),
        help="reverse proxies in front of the app (1 behind deploy/nginx)",
    )
    args = parser.parse_args()
    log_filter.install()
    app = create_app(args.rasa_url, args.endpoints, max(0, args.proxies), args.rasa_internal_url)
    app.run(host=args.host, port=args.port, access_log=False)


if __name__ == "__main__":
    main()

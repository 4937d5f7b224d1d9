"""The clinic's demo page with the chat widget, calendar downloads and a health check.

A small Sanic app beside Rasa: it serves the page that embeds the widget
(which talks to Rasa's socket.io channel directly), the `.ics` files the
planner writes, and `/health`. Run: `python -m web.app --port 8080`.
"""

from __future__ import annotations

import argparse
import html
import os
import re
from pathlib import Path

import aiohttp
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from actions.calendar_store import calendar_dir
from clinicbot.settings import load_clinic_settings

WEB_DIR = Path(__file__).resolve().parent
WIDGET_BUNDLE = WEB_DIR / "node_modules" / "rasa-webchat" / "lib" / "index.js"
CALENDAR_NAME = re.compile(r"^mesotherapy-[A-Za-z0-9_-]{8,64}\.ics$")


def create_app(rasa_url: str) -> Sanic:
    """The web app; `rasa_url` is where the browser reaches Rasa's socket.io channel."""
    app = Sanic("clinic_web")
    app.config.REQUEST_MAX_SIZE = 64 * 1024  # the app takes no uploads
    app.config.KEEP_ALIVE_TIMEOUT = 15
    page = (WEB_DIR / "static" / "index.html").read_text(encoding="utf-8")
    settings = load_clinic_settings()
    rendered_page = (
        page.replace("{{CLINIC_NAME}}", html.escape(settings.name))
        .replace("{{RASA_URL}}", html.escape(rasa_url))
        .replace("{{CLINIC_PHONE}}", html.escape(settings.phone))
    )

    @app.get("/")
    async def index(_: Request) -> HTTPResponse:
        return response.html(rendered_page)

    @app.get("/static/webchat.js")
    async def widget(_: Request) -> HTTPResponse:
        if not WIDGET_BUNDLE.is_file():
            return response.text("Widget not installed: run `make setup`.", status=503)
        return await response.file(WIDGET_BUNDLE, mime_type="application/javascript")

    @app.get("/calendars/<name>")
    async def calendar(_: Request, name: str) -> HTTPResponse:
        path = calendar_dir() / name
        if not CALENDAR_NAME.match(name) or not path.is_file():
            return response.json({"error": "No such calendar."}, status=404)
        return await response.file(
            path,
            mime_type="text/calendar",
            headers={"Content-Disposition": 'attachment; filename="mesotherapy-sessions.ics"'},
        )

    @app.get("/health")
    async def health(_: Request) -> HTTPResponse:
        try:
            timeout = aiohttp.ClientTimeout(total=2)
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.get(f"{rasa_url}/webhooks/rest/") as reply,
            ):
                rasa_ok = reply.status == 200
        except (aiohttp.ClientError, TimeoutError):
            rasa_ok = False
        return response.json(
            {"status": "ok" if rasa_ok else "degraded", "rasa": rasa_ok},
            status=200 if rasa_ok else 503,
        )

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("WEB_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL", "http://localhost:5005"))
    args = parser.parse_args()
    create_app(args.rasa_url).run(host=args.host, port=args.port, access_log=False)


if __name__ == "__main__":
    main()

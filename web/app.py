"""The clinic's web app: the demo page with the chat widget, chat sessions, calendar
downloads, a health check, and the staff console.

A small Sanic app beside Rasa, one module per part: the page and the widget
(web/page.py, which talks to Rasa's socket.io channel directly), the browser's
chat session (web/chat_session.py), the `.ics` files the planner writes
(web/calendars.py), `/health` (web/health.py), and the staff console at
`/staff/` on the tracker store's database that `--endpoints` names
(web/console.py, staff/app.py).
Run: `python -m web.app --port 8080`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sanic import Sanic

from clinic import environment
from clinic.privacy import log_filter
from clinic.settings import load_clinic_settings
from web.calendars import add_calendar_route
from web.chat_session import add_chat_session_route
from web.console import mount_console
from web.health import add_health_route
from web.page import add_page_routes


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
    settings = load_clinic_settings()
    add_page_routes(app, settings, rasa_url)
    add_chat_session_route(app, settings.input_limits)
    mount_console(app, endpoints, rasa_internal_url or rasa_url)
    add_calendar_route(app)
    add_health_route(app, rasa_url)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=environment.WEB_HOST.get())
    parser.add_argument("--port", type=int, default=environment.WEB_PORT.get())
    parser.add_argument("--rasa-url", default=environment.RASA_URL.get())
    parser.add_argument(
        "--rasa-internal-url",
        default=environment.RASA_INTERNAL_URL.get(),
        help="where the app reaches Rasa itself (default: --rasa-url)",
    )
    parser.add_argument("--endpoints", type=Path, default=environment.ENDPOINTS.get())
    parser.add_argument(
        "--proxies",
        type=int,
        default=environment.WEB_PROXIES.get(),
        help="reverse proxies in front of the app (1 behind deploy/nginx)",
    )
    args = parser.parse_args()
    log_filter.install()
    app = create_app(args.rasa_url, args.endpoints, max(0, args.proxies), args.rasa_internal_url)
    app.run(host=args.host, port=args.port, access_log=False)


if __name__ == "__main__":
    main()

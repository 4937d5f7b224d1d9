"""The staff console in the web app: mounted at `/staff/` on the tracker store's database.

The console reaches Rasa's handoff route at the internal URL (never through
the public proxy, which does not pass that route on), answers the action
server's `GET /live-chat/availability` and a live-chat visitor's `POST
/chat/typing` (under `/chat`, where the chat session's cookie is sent), and
keeps its index fresh and emails alerts in the background
(staff/background.py). Without its database, `/staff/` says why.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from clinic.alerts import load_alerts
from clinic.handoff.live_chat import load_live_chat
from clinic.settings import load_clinic_settings
from clinic.tracker_db import TrackerDatabaseError
from staff.app import create_blueprint
from staff.background import email_alerts, hand_over_due_chats, keep_index_fresh
from staff.db import console_engine
from staff.rasa_link import RasaLink
from staff.routes.live import availability_blueprint, visitor_typing_route

INDEX_TASK = "staff_index"


def mount_console(app: Sanic, endpoints: Path, rasa_internal_url: str) -> None:
    """Mount the staff console, or say at `/staff/` why it can't run."""
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
    visitor_typing_route(app, engine)
    alerts, clinic = load_alerts(), load_clinic_settings().name

    async def live_chat_timeouts() -> None:
        await hand_over_due_chats(engine, link, settings)
        await email_alerts(engine, alerts, clinic)

    @app.after_server_start
    async def index_in_the_background(running: Sanic, _: object) -> None:
        running.add_task(keep_index_fresh(engine, live_chat_timeouts), name=INDEX_TASK)

    # Sanic 21.12 leaves a running task pending at stop ("Task was destroyed but it
    # is pending!" in the log on every Ctrl-C); end it first.
    @app.before_server_stop
    async def stop_indexing(running: Sanic, _: object) -> None:
        await running.cancel_task(INDEX_TASK, raise_exception=False)

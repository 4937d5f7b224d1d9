"""The staff console at `/staff/`: a Sanic blueprint the web app mounts.

Its routes are grouped by area in staff/routes/, each calling its plain
module; every one of them but the sign-in pages and the console's own static
files needs a signed-in session, and every POST its CSRF token; managing
accounts and deleting conversations are for administrators, who sign in with
two factors (staff/routes/console.py). Pages are Jinja2 templates with autoescaping on,
so a visitor's `<script>` shows as text. Before a route runs the index catches
up with the events stored since the last one (staff/indexer.py); a background
task does the same every few seconds, and applies the retention period once a
day (staff/background.py).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sanic import Blueprint

from clinic.handoff.live_chat import load_live_chat
from clinic.settings import load_clinic_settings
from staff import rendering, review
from staff.rasa_link import RasaLink
from staff.routes.accounts import add_account_routes
from staff.routes.callbacks import add_callback_routes
from staff.routes.canned_replies import add_canned_reply_routes
from staff.routes.console import Console, sign_in_guard
from staff.routes.conversations import add_conversation_routes
from staff.routes.feedback import add_feedback_routes
from staff.routes.live import add_live_routes
from staff.routes.overview import add_overview_routes
from staff.routes.safety import add_safety_routes
from staff.routes.sign_in import add_sign_in_routes
from staff.routes.static import add_static_routes
from staff.routes.two_factor import add_two_factor_routes
from staff.routes.unanswered import add_unanswered_routes


def create_blueprint(
    engine: sa.engine.Engine,
    review_dir: Path = review.REVIEW_DIR,
    link: RasaLink | None = None,
) -> Blueprint:
    """The console on `engine` (the tracker store's database, console tables created).

    With `link` (Rasa's handoff route) it has the Live page too.
    """
    staff = Blueprint("staff", url_prefix="/staff")
    console = Console(engine, rendering.templates(), load_clinic_settings().name)
    staff.on_request(sign_in_guard(console))  # type: ignore[no-untyped-call]
    add_static_routes(staff)
    add_sign_in_routes(staff, console)
    add_two_factor_routes(staff, console)
    add_account_routes(staff, console)
    add_overview_routes(staff, console)
    add_unanswered_routes(staff, console, review_dir)
    add_feedback_routes(staff, console)
    add_safety_routes(staff, console)
    add_callback_routes(staff, console)
    add_conversation_routes(staff, console)
    if link is not None:
        add_live_routes(staff, console, link, load_live_chat())
        add_canned_reply_routes(staff, console)
    return staff

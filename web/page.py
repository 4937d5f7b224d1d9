"""The clinic's demo page with the chat widget, and the widget's bundle.

The page is a Jinja2 template (web/templates/index.html), autoescaped like
the staff console's, rendered once at start-up with the clinic's name and
phone (clinic.yml) and the address where the browser reaches Rasa. The
bundle is rasa-webchat's, changed to send the page's chat token
(web/widget.py).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from clinic.settings import ClinicSettings
from web.widget import WIDGET_BUNDLE, installed_version, widget_with_auth

TEMPLATES = Path(__file__).resolve().parent / "templates"


def render_page(clinic_name: str, clinic_phone: str, rasa_url: str) -> str:
    """The page's HTML; the three values are escaped, never read as markup."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )
    return environment.get_template("index.html").render(
        clinic_name=clinic_name, clinic_phone=clinic_phone, rasa_url=rasa_url
    )


def add_page_routes(app: Sanic, settings: ClinicSettings, rasa_url: str) -> None:
    """`GET /` (the page) and `GET /static/webchat.js` (the widget, or 503 if not installed)."""
    page = render_page(settings.name, settings.phone, rasa_url)
    bundle = (
        widget_with_auth(WIDGET_BUNDLE.read_text(encoding="utf-8"), installed_version())
        if WIDGET_BUNDLE.is_file()
        else None
    )

    @app.get("/")
    async def index(_: Request) -> HTTPResponse:
        return response.html(page)

    @app.get("/static/webchat.js")
    async def widget(_: Request) -> HTTPResponse:
        if bundle is None:
            return response.text("Widget not installed: run `make setup`.", status=503)
        return response.text(bundle, content_type="application/javascript; charset=utf-8")

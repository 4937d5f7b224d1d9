"""The clinic's demo page with the chat widget, and the widget's bundle.

The page is a Jinja2 template (web/templates/index.html), autoescaped like
the staff console's, rendered once at start-up with the clinic's name and
phone (clinic.yml) and the address where the browser reaches Rasa. The
widget's files (web/widget.py) are served as they are installed, with
`Cache-Control: no-cache` so a new version is picked up on the next visit.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from clinic.settings import ClinicSettings
from web.widget import WIDGET_FILES, missing_files, read_widget_files

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
    """`GET /` (the page) and `GET /static/<file>` (the widget's files, 503 if not installed)."""
    page = render_page(settings.name, settings.phone, rasa_url)
    files = read_widget_files()
    types = {file.url_name: file.content_type for file in WIDGET_FILES}
    missing = ", ".join(missing_files())

    @app.get("/")
    async def index(_: Request) -> HTTPResponse:
        return response.html(page)

    @app.get("/static/<name>")
    async def widget(_: Request, name: str) -> HTTPResponse:
        if name not in types:
            return response.text("Not found.", status=404)
        if name not in files:
            return response.text(f"Widget not installed ({missing}): run `make setup`.", 503)
        return response.raw(
            files[name], content_type=types[name], headers={"Cache-Control": "no-cache"}
        )

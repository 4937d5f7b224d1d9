"""`GET /calendars/<name>`: the `.ics` files the planner writes, by their unguessable names."""

from __future__ import annotations

from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from clinic.calendars import DOWNLOAD_NAME, calendar_dir, is_calendar_name


def add_calendar_route(app: Sanic) -> None:
    """Only names the planner could have written, and only files that exist; else 404."""

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

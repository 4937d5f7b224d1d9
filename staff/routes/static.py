"""The console's own CSS and scripts, and Chart.js for its charts: open without signing in."""

from __future__ import annotations

from pathlib import Path

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

STAFF_DIR = Path(__file__).resolve().parents[1]
CHART_JS = STAFF_DIR.parent / "web" / "node_modules" / "chart.js" / "dist" / "chart.umd.min.js"
FILES = {
    "console.css": STAFF_DIR / "static" / "console.css",
    "console.js": STAFF_DIR / "static" / "console.js",
    "live.js": STAFF_DIR / "static" / "live.js",
    "alerts.js": STAFF_DIR / "static" / "alerts.js",
    "chart.js": CHART_JS,
}


def add_static_routes(staff: Blueprint) -> None:
    """`GET /staff/static/<name>`: only the files named in FILES."""

    @staff.get("/static/<name>")
    async def static(request: Request, name: str) -> HTTPResponse:
        path = FILES.get(name)
        if path is None or not path.is_file():
            return response.text("Not found", status=404)
        kind = "text/css" if name.endswith(".css") else "application/javascript"
        return await response.file(path, mime_type=f"{kind}; charset=utf-8")

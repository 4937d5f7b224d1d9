"""How the console shows things: templates, times and cookies (and reading a form's count)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Request
from sanic.response import HTTPResponse

from clinic.handoff.callbacks import display as contact_display

HERE = Path(__file__).resolve().parent


def when(at: float | None) -> str:
    """A stored time as staff read it (UTC, to the minute)."""
    if not at:
        return ""
    return datetime.fromtimestamp(at, tz=timezone.utc).strftime("%Y-%m-%d %H:%M")


def templates() -> Environment:
    """The console's Jinja2 templates, autoescaped: visitor text always shows as text."""
    environment = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["when"] = when
    environment.filters["contact"] = contact_display
    environment.filters["percent"] = lambda v: "–" if v is None else f"{v:.0%}"
    return environment


def set_cookie(
    reply: HTTPResponse, request: Request, name: str, value: str, path: str, max_age: int
) -> None:
    """HttpOnly, SameSite=Strict, and Secure when the request came over https."""
    reply.cookies[name] = value
    cookie = reply.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = path
    cookie["max-age"] = max_age
    cookie["secure"] = request.scheme == "https"


def form_count(sent: Any) -> int:
    """The group's size the form sent back; anything else counts as unknown (0)."""
    try:
        return max(0, min(int(str(sent)), 10**9))
    except ValueError:
        return 0

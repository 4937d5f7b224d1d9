"""How the console shows things: its Jinja2 templates and the times in them."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

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

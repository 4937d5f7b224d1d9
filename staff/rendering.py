"""How the console shows things: its Jinja2 templates and the times in them."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from clinic.handoff.callbacks import display as contact_display
from staff import wording

HERE = Path(__file__).resolve().parent


def when(at: float | None) -> str:
    """A stored time as staff read it (UTC, to the minute)."""
    if not at:
        return ""
    return datetime.fromtimestamp(at, tz=timezone.utc).strftime("%Y-%m-%d %H:%M")


def contact_link(contact: str) -> str:
    """Where a stored contact's link goes: `mailto:` for an email, `tel:` for a phone number."""
    if "@" in contact:
        return f"mailto:{contact}"
    return "tel:" + "".join(c for c in contact if c.isdigit() or c == "+")


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
    environment.filters["contact_link"] = contact_link
    environment.filters["topic"] = wording.topic_title
    environment.filters["outcome"] = wording.outcome_label
    environment.filters["version"] = wording.assistant_version
    environment.filters["bot_text"] = wording.bot_markup
    environment.filters["percent"] = lambda v: "–" if v is None else f"{v:.0%}"
    return environment

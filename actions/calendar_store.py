"""Where planned calendars (.ics) are kept and how a visitor reaches them.

Files get unguessable names. With `CALENDAR_BASE_URL` set (the web app sets
it), the visitor gets a download link; in `rasa shell` staff get the path.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "var" / "calendars"


@dataclass(frozen=True)
class SavedCalendar:
    path: Path
    link: str


def calendar_dir() -> Path:
    return Path(os.environ.get("CALENDAR_DIR") or DEFAULT_DIR)


def save(ics: bytes) -> SavedCalendar:
    """Write the calendar under a random name; return its path and the link to show."""
    directory = calendar_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"mesotherapy-{secrets.token_urlsafe(12)}.ics"
    path = directory / name
    path.write_bytes(ics)
    base = os.environ.get("CALENDAR_BASE_URL", "").rstrip("/")
    return SavedCalendar(path=path, link=f"{base}/{name}" if base else str(path))

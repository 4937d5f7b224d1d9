"""Where planned calendars (.ics) are kept, what they are called, and how a visitor reaches them.

Files get unguessable names. With `CALENDAR_BASE_URL` set (the web app's
public `/calendars` address), the visitor gets a download link; in
`rasa shell` staff get the path. The web app serves only names that match
`NAME_PATTERN`, and deleting a conversation finds its files by it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from clinic import environment

NAME_PATTERN = re.compile(r"mesotherapy-[A-Za-z0-9_-]{8,64}\.ics")
DOWNLOAD_NAME = "mesotherapy-sessions.ics"


@dataclass(frozen=True)
class SavedCalendar:
    path: Path
    link: str


def calendar_dir() -> Path:
    return environment.CALENDAR_DIR.get()


def is_calendar_name(name: str) -> bool:
    """A file name the planner could have written (and nothing that leaves the folder)."""
    return NAME_PATTERN.fullmatch(name) is not None


def names_in(values: Iterable[object]) -> set[str]:
    """Calendar file names mentioned in some values (links or paths the bot showed)."""
    names: set[str] = set()
    for value in values:
        if isinstance(value, str):
            names.update(NAME_PATTERN.findall(value))
    return names


def save(ics: bytes) -> SavedCalendar:
    """Write the calendar under a random name; return its path and the link to show."""
    directory = calendar_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"mesotherapy-{secrets.token_urlsafe(12)}.ics"
    path = directory / name
    path.write_bytes(ics)
    base = environment.CALENDAR_BASE_URL.get().rstrip("/")
    return SavedCalendar(path=path, link=f"{base}/{name}" if base else str(path))

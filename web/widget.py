"""The chat widget's files: two npm packages served as published, and the clinic's own script.

The widget is the `deep-chat` web component (the chat window: messages,
markdown, the text box) over `socket.io-client` (the connection to Rasa's
socket.io channel), both pinned in web/package.json and installed by `npm
ci`; nothing in them is changed. web/static/chat.js joins them to the
clinic: it sends the chat token when it connects, shows staff by name and at
once, paces the bot's bubbles, draws buttons and 👍/👎 with text labels, and
relays typing. Why deep-chat, with the measurements: docs/widget.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent
NODE_MODULES = WEB_DIR / "node_modules"


@dataclass(frozen=True)
class WidgetFile:
    """A file the page loads: its URL under /static/ and where it is on disk."""

    url_name: str
    path: Path
    content_type: str = "application/javascript; charset=utf-8"


WIDGET_FILES = (
    WidgetFile("deep-chat.js", NODE_MODULES / "deep-chat" / "dist" / "deepChat.bundle.js"),
    WidgetFile("socket.io.min.js", NODE_MODULES / "socket.io-client" / "dist" / "socket.io.min.js"),
    WidgetFile("chat.js", WEB_DIR / "static" / "chat.js"),
)


def missing_files(files: tuple[WidgetFile, ...] = WIDGET_FILES) -> list[str]:
    """The widget's files that are not installed (`make setup` runs `npm ci`)."""
    return [
        str(file.path.relative_to(WEB_DIR) if file.path.is_relative_to(WEB_DIR) else file.path)
        for file in files
        if not file.path.is_file()
    ]


def read_widget_files(files: tuple[WidgetFile, ...] = WIDGET_FILES) -> dict[str, bytes]:
    """Each installed file's bytes by its URL name, read once at start-up."""
    return {file.url_name: file.path.read_bytes() for file in files if file.path.is_file()}

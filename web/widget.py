"""The chat widget's bundle (rasa-webchat 1.0.1 from npm), changed to send the chat token.

rasa-webchat 1.0.1 opens its socket with `io(url, {path})` only, ignoring
`protocolOptions`, so it cannot send a token. `widget_with_auth` adds
socket.io's `auth` (read from `window.clinicChatAuth` at each connect) to that
one call of the minified bundle. It is the only change made to a third-party
file at run time; it refuses any other widget version, whose minified code
would differ (web/package.json pins 1.0.1, `npm ci` installs it).
"""

from __future__ import annotations

import json
from pathlib import Path

WIDGET_DIR = Path(__file__).resolve().parent / "node_modules" / "rasa-webchat"
WIDGET_BUNDLE = WIDGET_DIR / "lib" / "index.js"
PINNED_WIDGET = "1.0.1"
SOCKET_CALL = "var r=n?{path:n}:{},o=zo()(e,r);"
SOCKET_CALL_WITH_AUTH = (
    "var r=n?{path:n}:{};r.auth=function(cb){cb(window.clinicChatAuth||{})};var o=zo()(e,r);"
)


class WidgetBundleError(RuntimeError):
    """The installed widget is not the version whose socket call we know."""


def installed_version(widget_dir: Path = WIDGET_DIR) -> str | None:
    manifest = widget_dir / "package.json"
    if not manifest.is_file():
        return None
    return str(json.loads(manifest.read_text(encoding="utf-8")).get("version"))


def widget_with_auth(bundle: str, version: str | None = PINNED_WIDGET) -> str:
    """The widget bundle, sending the page's chat token when it connects."""
    if version != PINNED_WIDGET or bundle.count(SOCKET_CALL) != 1:
        raise WidgetBundleError(
            f"web/node_modules/rasa-webchat is {version or 'unknown'}, not the pinned "
            f"{PINNED_WIDGET} whose socket call this app changes, so the chat token cannot "
            "be sent. Run `make setup` (npm ci)."
        )
    return bundle.replace(SOCKET_CALL, SOCKET_CALL_WITH_AUTH)

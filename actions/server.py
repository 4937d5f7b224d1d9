"""The action server, hardened: `python -m actions.server [--port 5055]`.

rasa-sdk 3.6.2's own server (`rasa run actions`) listens on every interface,
checks no caller, accepts 100 MB requests and, when an action raises, sends
the exception and the whole request (the visitor's tracker) back to the
caller and into the log. This entry point builds the same Sanic app with
rasa-sdk's `create_app` and adds:

- binding to 127.0.0.1 unless `ACTION_SERVER_HOST` says otherwise (containers);
- a shared secret: `/webhook` and `/actions` need the header `X-Action-Token`
  equal to `ACTION_SERVER_TOKEN` (Rasa sends it from `endpoints.yml`
  `action_endpoint: headers:`); anything else gets 401. `/health` stays open;
- a generic error body for any exception, logged without the tracker;
- `REQUEST_MAX_SIZE` sized for the trackers Rasa sends (see `REQUEST_MAX_SIZE`);
- the logging filter that keeps personal data out of the log;
- no known third-party deprecation warnings in its log (clinic/known_warnings.py);
- a refusal to start on a rasa-sdk other than the pinned one (actions/sdk_versions.py).

Without `ACTION_SERVER_TOKEN` it refuses to start: a missing secret must not
mean an open server.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import sys

from sanic import Sanic, response
from sanic.exceptions import PayloadTooLarge, SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from actions import sdk_versions
from clinic import environment, known_warnings
from clinic.privacy import log_filter

logger = logging.getLogger("actions.server")

TOKEN_HEADER = "X-Action-Token"
_TOKEN = environment.ACTION_SERVER_TOKEN
PROTECTED_PATHS = ("/webhook", "/actions")
# Rasa posts the tracker of the current session and the whole domain with
# every call; 4 MB is many times the largest request measured on this bot
# (docs/security.md), and a session ends after 60 minutes of silence.
REQUEST_MAX_SIZE = 4 * 1024 * 1024
# Rasa's HTTP client keeps an idle connection for 15 s; Sanic closes one after
# 5 s, and a call that reuses a connection Sanic is closing fails ("Cannot
# write to closing transport": found by tests/production). Outlive the client.
KEEP_ALIVE_TIMEOUT = 120


def harden(app: Sanic, token: str, max_size: int = REQUEST_MAX_SIZE) -> Sanic:
    """Add the token check, the generic error handler and the size limit to rasa-sdk's app."""
    if not token:
        raise ValueError(f"{_TOKEN.name} is empty: the action server would accept anyone.")
    expected = token.encode("utf-8")
    app.config.REQUEST_MAX_SIZE = max_size
    app.config.KEEP_ALIVE_TIMEOUT = max(app.config.KEEP_ALIVE_TIMEOUT, KEEP_ALIVE_TIMEOUT)

    @app.on_request
    async def require_token(request: Request) -> HTTPResponse | None:
        if not request.path.startswith(PROTECTED_PATHS):
            return None
        logger.debug("action_server.request path=%s bytes=%d", request.path, len(request.body))
        given = (request.headers.get(TOKEN_HEADER) or "").encode("utf-8")
        if hmac.compare_digest(given, expected):
            return None
        logger.warning("action_server.unauthorised path=%s", request.path)
        return response.json({"error": "Unauthorised."}, status=401)

    async def generic_error(request: Request, exception: Exception) -> HTTPResponse:
        if isinstance(exception, PayloadTooLarge):
            return response.json({"error": "Request too large."}, status=413)
        if isinstance(exception, SanicException) and exception.status_code < 500:
            return response.json({"error": "Bad request."}, status=exception.status_code)
        action = (request.json or {}).get("next_action") if _has_json(request) else None
        logger.error(
            "action_server.failed action=%s error=%s",
            action,
            type(exception).__name__,
            exc_info=exception,
        )
        return response.json({"error": "The action failed on the action server."}, status=500)

    # Replaces rasa-sdk's handler, which echoes the exception and the request body.
    app.exception(Exception)(generic_error)
    return app


def _has_json(request: Request) -> bool:
    try:
        return isinstance(request.json, dict)
    except Exception:
        return False


def build_app(token: str, package: str = "actions") -> Sanic:
    """rasa-sdk's Sanic app for the actions in `package`, hardened."""
    # Imported here so that `main` hides the known warnings rasa-sdk's imports raise.
    from rasa_sdk.endpoint import create_app

    return harden(create_app(package, cors_origins=[]), token)


def main(argv: list[str] | None = None) -> int:
    known_warnings.quiet()
    parser = argparse.ArgumentParser(description="The clinic bot's action server.")
    parser.add_argument("--host", default=environment.ACTION_SERVER_HOST.get())
    parser.add_argument("--port", type=int, default=environment.ACTION_SERVER_PORT.get())
    parser.add_argument("--actions", default="actions", help="package with the Action classes")
    args = parser.parse_args(argv)
    try:
        sdk_versions.check()
    except sdk_versions.IncompatibleSdk as error:
        print(f"Not starting: {error}", file=sys.stderr)
        return 2
    token = _TOKEN.get()
    if not token:
        print(f"Set {_TOKEN.name} (scripts/action-server.sh makes one).", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=environment.ACTION_SERVER_LOG_LEVEL.get().upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    log_filter.install()
    app = build_app(token, args.actions)
    logger.info("action_server.start host=%s port=%d", args.host, args.port)
    app.run(host=args.host, port=args.port, access_log=False, workers=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Endpoints files written from endpoints.yml with the action server on another port.

endpoints.yml names the action server's usual port (5055). `make run` and
`make shell` with `ACTIONS_PORT` set, and the tests and benchmarks that start
servers on free ports, give Rasa a copy that points at the port in use. The
`${ACTION_SERVER_TOKEN}` reference stays as written: Rasa fills it in when it
reads the file, and only in a plain (unquoted) value.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

TOKEN_REFERENCE = "${ACTION_SERVER_TOKEN}"
_KEPT = "__action_server_token__"


def load(text: str) -> dict[str, Any]:
    """An endpoints file's settings, with the token reference kept for `dump`."""
    settings = yaml.safe_load(text.replace(TOKEN_REFERENCE, _KEPT))
    if not isinstance(settings, dict):
        raise ValueError("an endpoints file holds a mapping of settings")
    return settings


def dump(settings: dict[str, Any]) -> str:
    """`settings` as an endpoints file, the token reference unquoted again."""
    return yaml.safe_dump(settings, sort_keys=False).replace(_KEPT, TOKEN_REFERENCE)


def with_action_port(settings: dict[str, Any], port: int) -> dict[str, Any]:
    """`settings` whose action server URL names `port` (same host and path)."""
    endpoint = dict(settings["action_endpoint"])
    url = urlsplit(endpoint["url"])
    endpoint["url"] = urlunsplit(url._replace(netloc=f"{url.hostname}:{port}"))
    return {**settings, "action_endpoint": endpoint}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="endpoints file to copy (endpoints.yml)")
    parser.add_argument("target", type=Path, help="where to write the copy")
    parser.add_argument("--actions-port", type=int, required=True, help="the action server's port")
    args = parser.parse_args(argv)
    settings = with_action_port(load(args.source.read_text(encoding="utf-8")), args.actions_port)
    args.target.parent.mkdir(parents=True, exist_ok=True)
    args.target.write_text(dump(settings), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Signed tokens that bind a website chat session to the browser it was issued to.

The web app gives each browser a random session id and a token signed with a
key only the servers know (JWT, HS256, subject = the session id). The socket.io
channel lets a connection into a conversation only with a token for that
conversation, so knowing someone's session id is not enough to read or write
it. The key comes from `CHAT_SESSION_KEY`, or else from the file named by
`CHAT_SESSION_KEY_FILE` (default `var/chat-session.key`), created on first use.
`python -m clinic.guard.session_tokens` creates that file (`make run` does).
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import jwt

from clinic import environment

KEY_ENV = environment.CHAT_SESSION_KEY.name
KEY_FILE_ENV = environment.CHAT_SESSION_KEY_FILE.name
ALGORITHM = "HS256"
AUDIENCE = "clinic-chat"
LIFETIME_S = 30 * 24 * 3600
MIN_KEY_CHARS = 32
# The cookie (path /chat) that keeps a browser's token: web/chat_session.py sets it.
COOKIE = "clinic_chat"


class SessionKeyError(ValueError):
    """The signing key is missing or too short to be safe."""


def _key_file(env: Mapping[str, str] | None) -> Path:
    return environment.CHAT_SESSION_KEY_FILE.get(env)


def create_key_file(path: Path) -> str:
    """The key in `path`, written (readable by this user only) if the file does not exist.

    Written to a temporary file and linked into place, so a process starting at
    the same moment reads either no file or the whole key.
    """
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(secrets.token_urlsafe(48) + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_text(encoding="utf-8").strip()


def load_key(env: Mapping[str, str] | None = None) -> str:
    """The signing key shared by the web app and the Rasa server."""
    key = environment.CHAT_SESSION_KEY.get(env)
    if not key:
        key = create_key_file(_key_file(env))
    if len(key) < MIN_KEY_CHARS:
        raise SessionKeyError(
            f"The chat session key must be at least {MIN_KEY_CHARS} characters: "
            f"set {KEY_ENV} or delete {_key_file(env)} to have a new one made."
        )
    return key


def new_session_id() -> str:
    """A random conversation id nobody can guess."""
    return secrets.token_hex(16)


def issue_token(key: str, session_id: str, now: float | None = None) -> str:
    """A token that lets its holder use conversation `session_id` for `LIFETIME_S`."""
    issued = int(time.time() if now is None else now)
    claims = {"sub": session_id, "aud": AUDIENCE, "iat": issued, "exp": issued + LIFETIME_S}
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def session_of(token: object, key: str) -> str | None:
    """The session id a valid, unexpired token was issued for; None for anything else."""
    if not isinstance(token, str) or not token or len(token) > 4096:
        return None
    token = token.removeprefix("Bearer ").strip()
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["sub", "exp", "aud"]},
        )
    except jwt.PyJWTError:
        return None
    subject = claims.get("sub")
    return subject if isinstance(subject, str) and subject else None


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else _key_file(None)
    create_key_file(path)
    print(f"Chat session key: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

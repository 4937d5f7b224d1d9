"""`POST /chat/session`: the browser's chat session, bound to it by a signed token.

A random conversation id and a token signed for it (clinic/guard/session_tokens.py),
kept in an HttpOnly cookie so reloads and other tabs continue the same
conversation; the widget shows the token when it connects, and Rasa's socket.io
channel (rasa_ext/channels/guarded.py) lets it use that conversation only.
New sessions are rate limited per address (clinic.yml's `input_limits`).
"""

from __future__ import annotations

from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from clinic.guard.rate_limit import RateLimit
from clinic.guard.session_tokens import (
    COOKIE,
    LIFETIME_S,
    issue_token,
    load_key,
    new_session_id,
    session_of,
)
from clinic.settings import InputLimits

SESSION_COOKIE = COOKIE


def add_chat_session_route(app: Sanic, limits: InputLimits) -> None:
    """`POST /chat/session`: the cookie's session (or a new one) and a fresh token for it."""
    session_key = load_key()
    per_address = RateLimit("chat_session:address", limits.address_burst, limits.address_per_minute)

    @app.post("/chat/session")
    async def chat_session(request: Request) -> HTTPResponse:
        address = request.remote_addr or request.ip or "unknown"
        if not per_address.allow(address):
            return response.json(
                {"error": "rate_limited", "message": "Too many new chats; try again shortly."},
                status=429,
                headers={"Retry-After": str(per_address.retry_after(address))},
            )
        session = session_of(request.cookies.get(SESSION_COOKIE), session_key)
        token = issue_token(session_key, session or new_session_id())
        reply = response.json(
            {"session_id": session_of(token, session_key), "token": token},
            headers={"Cache-Control": "no-store"},
        )
        reply.cookies[SESSION_COOKIE] = token
        cookie = reply.cookies[SESSION_COOKIE]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/chat"
        cookie["max-age"] = LIFETIME_S
        cookie["secure"] = request.scheme == "https"
        return reply

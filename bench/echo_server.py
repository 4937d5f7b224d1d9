"""The HTTP floor: a minimal Sanic app that answers like Rasa's REST and socket.io channels.

It does no work at all, so its latency is the cost of the round trip itself
(HTTP or socket.io on loopback, JSON, the Python client). `make bench` runs
the same load against it and reports how far the bot is from this floor.
"""

from __future__ import annotations

import argparse
from typing import Any

import socketio
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json


def create_app() -> Sanic:
    app = Sanic("bench_echo")
    sio = socketio.AsyncServer(async_mode="sanic", cors_allowed_origins=[])
    sio.attach(app, "/socket.io")

    @app.post("/webhooks/rest/webhook")
    async def rest(request: Request) -> HTTPResponse:
        body: dict[str, Any] = request.json or {}
        return json([{"recipient_id": body.get("sender"), "text": body.get("message")}])

    @app.get("/webhooks/rest/")
    async def health(_: Request) -> HTTPResponse:
        return json({"status": "ok"})

    @sio.on("session_request")
    async def session_request(sid: str, data: dict[str, Any]) -> None:
        await sio.emit("session_confirm", data.get("session_id"), room=sid)

    @sio.on("user_uttered")
    async def user_uttered(sid: str, data: dict[str, Any]) -> None:
        await sio.emit("bot_uttered", {"text": data.get("message")}, room=sid)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    create_app().run(host="127.0.0.1", port=port, access_log=False)


if __name__ == "__main__":
    main()

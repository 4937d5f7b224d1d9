"""`GET /health`: Rasa's own health report (tracker store, action server), or why not."""

from __future__ import annotations

import aiohttp
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

TIMEOUT_S = 5


def add_health_route(app: Sanic, rasa_url: str) -> None:
    """200 when Rasa reports itself ok, else 503 with what it said (or that it didn't answer)."""

    @app.get("/health")
    async def health(_: Request) -> HTTPResponse:
        report: dict[str, object] = {}
        try:
            timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.get(f"{rasa_url}/webhooks/health/") as reply,
            ):
                rasa_ok = reply.status in (200, 503)
                if rasa_ok:
                    report = await reply.json()
        except (aiohttp.ClientError, TimeoutError, ValueError):
            rasa_ok = False
        ok = rasa_ok and report.get("status") == "ok"
        return response.json(
            {"status": "ok" if ok else "degraded", "rasa": rasa_ok, "rasa_health": report},
            status=200 if ok else 503,
        )

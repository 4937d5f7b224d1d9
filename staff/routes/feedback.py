"""The feedback page: 👍/👎 per topic (staff/insights.py) and the latest 👎 (staff/feedback.py)."""

from __future__ import annotations

import asyncio
import time

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from staff import insights
from staff.feedback import recent_thumbs_down
from staff.periods import period_from
from staff.routes.console import Console


def add_feedback_routes(staff: Blueprint, console: Console) -> None:
    """`GET /staff/feedback`."""

    @staff.get("/feedback")
    async def feedback(request: Request) -> HTTPResponse:
        period = period_from(request.args, time.time())
        rated = await asyncio.to_thread(
            insights.ratings, console.engine, period.since, period.until
        )
        down = await asyncio.to_thread(recent_thumbs_down, console.engine)
        return console.page(request, "feedback.html", rated=rated, down=down, period=period)

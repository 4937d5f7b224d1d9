"""The feedback page: 👍/👎 per topic (staff/insights.py) and the latest 👎 (staff/feedback.py)."""

from __future__ import annotations

import asyncio
import time

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from staff import insights
from staff.feedback import recent_thumbs_down
from staff.routes.console import Console, period_of


def add_feedback_routes(staff: Blueprint, console: Console) -> None:
    """`GET /staff/feedback`."""

    @staff.get("/feedback")
    async def feedback(request: Request) -> HTTPResponse:
        period = period_of(request)
        found = await asyncio.to_thread(insights.overview, console.engine, period, time.time())
        down = await asyncio.to_thread(recent_thumbs_down, console.engine)
        return console.page(
            request,
            "feedback.html",
            topics=found.topics,
            down=down,
            period=period,
            periods=list(insights.PERIODS),
            counts=found.counts,
        )

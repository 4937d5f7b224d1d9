"""The overview (staff/insights.py): how a day, week or month went, as a page and as JSON."""

from __future__ import annotations

import asyncio
import time

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from staff import accounts, insights, live
from staff.routes.console import SECURITY_HEADERS, Console, period_of


def add_overview_routes(staff: Blueprint, console: Console) -> None:
    """`/staff/` (the overview is the console's home), `/staff/overview` and its JSON."""

    @staff.get("/")
    async def home(request: Request) -> HTTPResponse:
        return response.redirect("/staff/overview", status=303)

    @staff.get("/overview")
    async def overview(request: Request) -> HTTPResponse:
        period = period_of(request)
        found = await asyncio.to_thread(insights.overview, console.engine, period, time.time())
        names = await asyncio.to_thread(accounts.display_names, console.engine)
        chats = await asyncio.to_thread(
            live.figures, console.engine, found.since, found.until, names
        )
        return console.page(
            request,
            "overview.html",
            live_chat=chats,
            overview=found,
            periods=list(insights.PERIODS),
            chart={"series": found.series, "period": period, "topics": found.topics},
            definition=insights.RESOLUTION_DEFINITION,
        )

    @staff.get("/api/overview.json")
    async def overview_json(request: Request) -> HTTPResponse:
        period = period_of(request)
        found = await asyncio.to_thread(insights.overview, console.engine, period, time.time())
        return response.json(
            {
                "period": found.period,
                "counts": found.counts,
                "resolution_rate": found.resolution_rate,
                "series": found.series,
                "topics": found.topics,
            },
            headers=SECURITY_HEADERS,
        )

"""The overview (staff/insights.py): how a period went, as a page, as JSON and as CSV."""

from __future__ import annotations

import asyncio
import time

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from staff import accounts, insights, live
from staff.overview_export import overview_csv
from staff.periods import Period, period_from
from staff.routes.console import SECURITY_HEADERS, Console


def add_overview_routes(staff: Blueprint, console: Console) -> None:
    """`/staff/` (the overview is the console's home), `/staff/overview`, its JSON and CSV."""

    def figures(request: Request) -> tuple[Period, insights.Overview]:
        period = period_from(request.args, time.time())
        found = insights.overview(console.engine, period.buckets, period.until, period.since)
        return period, found

    @staff.get("/")
    async def home(request: Request) -> HTTPResponse:
        return response.redirect("/staff/overview", status=303)

    @staff.get("/overview")
    async def overview(request: Request) -> HTTPResponse:
        period, found = await asyncio.to_thread(figures, request)
        names = await asyncio.to_thread(accounts.display_names, console.engine)
        chats = await asyncio.to_thread(
            live.figures, console.engine, found.since, found.until, names
        )
        return console.page(
            request,
            "overview.html",
            live_chat=chats,
            overview=found,
            period=period,
            chart={"series": found.series, "period": found.period},
            definition=insights.RESOLUTION_DEFINITION,
        )

    @staff.get("/api/overview.json")
    async def overview_json(request: Request) -> HTTPResponse:
        period, found = await asyncio.to_thread(figures, request)
        return response.json(
            {
                "period": period.name,
                "since": found.since,
                "until": found.until,
                "counts": found.counts,
                "resolution_rate": found.resolution_rate,
                "series": found.series,
                "topics": found.topics,
            },
            headers=SECURITY_HEADERS,
        )

    @staff.get("/overview.csv")
    async def overview_export(request: Request) -> HTTPResponse:
        period, found = await asyncio.to_thread(figures, request)
        return response.text(
            overview_csv(found, period),
            content_type="text/csv; charset=utf-8",
            headers={
                **SECURITY_HEADERS,
                "Content-Disposition": f'attachment; filename="overview-{period.start}'
                f'-to-{period.end}.csv"',
            },
        )

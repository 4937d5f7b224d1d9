"""The safety log (staff/safety.py): every safety route, marked reviewed by a clinician."""

from __future__ import annotations

import asyncio
import time

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from staff.routes.console import Console, account_of
from staff.safety import mark_reviewed, safety_log


def add_safety_routes(staff: Blueprint, console: Console) -> None:
    """`GET /staff/safety` and `POST /staff/safety/<event_id>/reviewed`."""

    @staff.get("/safety")
    async def safety(request: Request) -> HTTPResponse:
        rows = await asyncio.to_thread(safety_log, console.engine)
        return console.page(request, "safety.html", rows=rows)

    @staff.post("/safety/<event_id:int>/reviewed")
    async def reviewed(request: Request, event_id: int) -> HTTPResponse:
        marked = await asyncio.to_thread(
            mark_reviewed, console.engine, event_id, account_of(request), time.time()
        )
        if not marked:
            return console.not_possible(request, 404, "No such safety route.")
        return response.redirect("/staff/safety", status=303)

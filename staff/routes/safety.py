"""The safety log (staff/safety.py): every safety route, marked reviewed by a clinician."""

from __future__ import annotations

import asyncio
import time

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from staff.routes.console import Console, account_of, form_value
from staff.safety import log_address, mark_reviewed, safety_page


def add_safety_routes(staff: Blueprint, console: Console) -> None:
    """`GET /staff/safety` and `POST /staff/safety/<event_id>/reviewed`."""

    @staff.get("/safety")
    async def safety(request: Request) -> HTTPResponse:
        page = request.args.get("page", "1")
        found = await asyncio.to_thread(
            safety_page,
            console.engine,
            request.args.get("show", "unreviewed"),
            int(page) if page.isdigit() and len(page) < 9 else 1,
        )
        return console.page(request, "safety.html", log=found)

    @staff.post("/safety/<event_id:int>/reviewed")
    async def reviewed(request: Request, event_id: int) -> HTTPResponse:
        marked = await asyncio.to_thread(
            mark_reviewed, console.engine, event_id, account_of(request), time.time()
        )
        if not marked:
            return console.not_possible(request, 404, "No such safety route.")
        back = log_address(
            form_value(request, "show"), form_value(request, "page"), form_value(request, "next")
        )
        return response.redirect(back, status=303)

"""Callback requests (staff/callbacks.py): the open ones to call back, each marked done."""

from __future__ import annotations

import asyncio
import time

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from staff.callbacks import callback_requests, mark_done
from staff.routes.console import Console, account_of


def add_callback_routes(staff: Blueprint, console: Console) -> None:
    """`GET /staff/callbacks` and `POST /staff/callbacks/<event_id>/done`."""

    @staff.get("/callbacks")
    async def callbacks(request: Request) -> HTTPResponse:
        rows = await asyncio.to_thread(callback_requests, console.engine)
        return console.page(request, "callbacks.html", rows=rows)

    @staff.post("/callbacks/<event_id:int>/done")
    async def callback_done(request: Request, event_id: int) -> HTTPResponse:
        marked = await asyncio.to_thread(
            mark_done, console.engine, event_id, account_of(request), time.time()
        )
        if not marked:
            return console.not_possible(request, 404, "No such callback request.")
        return response.redirect("/staff/callbacks", status=303)

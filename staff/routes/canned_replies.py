"""Canned replies (staff/canned.py): the page where the team adds, edits and deletes them.

The live chat page (staff/routes/live.py) offers them for insertion into a reply.
"""

from __future__ import annotations

import asyncio
import time

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from staff import canned
from staff.routes.console import Console, account_of


def _form(request: Request, name: str) -> str:
    return str((request.form or {}).get(name) or "")


def add_canned_reply_routes(staff: Blueprint, console: Console) -> None:
    """`/staff/live/replies` (the page, and adding) and each reply's edit and delete."""
    engine = console.engine

    @staff.get("/live/replies")
    async def canned_page(request: Request) -> HTTPResponse:
        found = await asyncio.to_thread(canned.replies, engine)
        deleted = request.args.get("deleted") == "1"
        return console.page(request, "canned_replies.html", replies=found, deleted=deleted)

    @staff.post("/live/replies")
    async def canned_add(request: Request) -> HTTPResponse:
        try:
            await asyncio.to_thread(
                canned.add,
                engine,
                _form(request, "title"),
                _form(request, "text"),
                account_of(request),
                time.time(),
            )
        except canned.CannedReplyError as error:
            return console.not_possible(request, 400, str(error))
        return response.redirect("/staff/live/replies", status=303)

    @staff.post("/live/replies/<reply_id:int>")
    async def canned_edit(request: Request, reply_id: int) -> HTTPResponse:
        try:
            found = await asyncio.to_thread(
                canned.edit,
                engine,
                reply_id,
                _form(request, "title"),
                _form(request, "text"),
                account_of(request),
                time.time(),
            )
        except canned.CannedReplyError as error:
            return console.not_possible(request, 400, str(error))
        if not found:
            return console.not_possible(request, 404, "That reply has been deleted.")
        return response.redirect("/staff/live/replies", status=303)

    @staff.post("/live/replies/<reply_id:int>/delete")
    async def canned_delete(request: Request, reply_id: int) -> HTTPResponse:
        """Asks first (Delete sits under Save): the reply goes with a confirmed second post."""
        if _form(request, "confirm") != "yes":
            reply = await asyncio.to_thread(canned.reply, engine, reply_id)
            if reply is None:
                return console.not_possible(request, 404, "That reply has been deleted.")
            return console.page(
                request,
                "confirm_delete.html",
                what="canned reply",
                item=reply.title,
                detail=reply.text,
                action=f"/staff/live/replies/{reply.id}/delete",
                keep="/staff/live/replies",
            )
        await asyncio.to_thread(canned.delete, engine, reply_id)
        return response.redirect("/staff/live/replies?deleted=1", status=303)

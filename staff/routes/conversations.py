"""Conversations (staff/conversations.py): search, read, export for a visitor, delete.

Deleting is for administrators (`**ADMIN_ONLY`); staff read and export.

Sanic 21.12 hands path parameters over still percent-encoded; the links
quote every id (the templates' urlencode), so each route unquotes it once.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import unquote

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from clinic import calendars
from staff import conversations
from staff.routes.console import ADMIN_ONLY, SECURITY_HEADERS, Console

logger = logging.getLogger(__name__)


def add_conversation_routes(staff: Blueprint, console: Console) -> None:
    """`/staff/conversations`, one conversation, its JSON export, and deleting it."""

    @staff.get("/conversations")
    async def conversation_list(request: Request) -> HTTPResponse:
        words = request.args.get("q", "")
        found = await asyncio.to_thread(conversations.search, console.engine, words)
        return console.page(request, "conversations.html", found=found, q=words)

    @staff.get("/conversations/<sender>")
    async def conversation(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        lines = await asyncio.to_thread(conversations.transcript, console.engine, sender)
        if not lines:
            return console.not_possible(request, 404, "No such conversation.")
        return console.page(request, "conversation.html", sender=sender, lines=lines)

    @staff.get("/conversations/<sender>/export.json")
    async def export(request: Request, sender: str) -> HTTPResponse:
        """One conversation, as stored, for a visitor who asked for their data."""
        sender = unquote(sender)
        lines = await asyncio.to_thread(conversations.transcript, console.engine, sender)
        if not lines:
            return response.json({"error": "No such conversation."}, status=404)
        return response.json(
            {"conversation": sender, "lines": [line.__dict__ for line in lines]},
            headers={
                **SECURITY_HEADERS,
                "Content-Disposition": 'attachment; filename="conversation.json"',
            },
        )

    @staff.post("/conversations/<sender>/delete", **ADMIN_ONLY)
    async def delete(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        events = await asyncio.to_thread(
            conversations.delete_conversation, console.engine, sender, calendars.calendar_dir()
        )
        logger.info("Staff deleted a conversation (%s events)", events)
        return response.redirect("/staff/conversations?deleted=1", status=303)

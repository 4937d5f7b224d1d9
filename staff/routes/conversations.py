"""Conversations (staff/conversations.py): find, read, export for a visitor, delete.

Deleting is for administrators (`**ADMIN_ONLY`) and asks for a confirmation
first; staff read and export.

Sanic 21.12 hands path parameters over still percent-encoded; the links
quote every id (the templates' urlencode), so each route unquotes it once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from urllib.parse import quote, unquote

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from clinic import calendars
from staff import conversation_list, conversations
from staff.periods import period_from
from staff.routes.console import ADMIN_ONLY, SECURITY_HEADERS, Console, form_value
from staff.wording import readable

logger = logging.getLogger(__name__)


def _page_number(request: Request) -> int:
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and len(page) < 9 else 1


def add_conversation_routes(staff: Blueprint, console: Console) -> None:
    """`/staff/conversations`, one conversation, its JSON export, and deleting it."""

    @staff.get("/conversations")
    async def conversation_list_page(request: Request) -> HTTPResponse:
        dated = request.args.get("from") or request.args.get("to")
        period = period_from(request.args, time.time()) if dated else None
        filters = conversation_list.Filters(
            words=request.args.get("q", ""),
            channel=request.args.get("channel", ""),
            outcome=request.args.get("outcome", ""),
            since=period.since if period else None,
            until=period.until if period else None,
        )
        found = await asyncio.to_thread(
            conversation_list.conversation_page, console.engine, filters, _page_number(request)
        )
        channels = await asyncio.to_thread(conversation_list.channels, console.engine)
        return console.page(
            request,
            "conversations.html",
            found=found,
            filters=filters,
            period=period,
            channels=channels,
            outcomes=conversation_list.OUTCOMES,
            deleted=request.args.get("deleted") == "1",
        )

    @staff.get("/conversations/<sender>")
    async def conversation(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        lines = await asyncio.to_thread(conversations.transcript, console.engine, sender)
        if not lines:
            return console.not_possible(request, 404, "No such conversation.")
        channel = await asyncio.to_thread(conversations.channel_of, console.engine, sender)
        return console.page(
            request,
            "conversation.html",
            sender=sender,
            lines=readable(lines),
            channel=conversation_list.channel_name(channel) if channel else None,
        )

    @staff.get("/conversations/<sender>/export.json")
    async def export(request: Request, sender: str) -> HTTPResponse:
        """One conversation, as stored, for a visitor who asked for their data."""
        sender = unquote(sender)
        lines = await asyncio.to_thread(conversations.transcript, console.engine, sender)
        if not lines:
            return response.json({"error": "No such conversation."}, status=404)
        return response.json(
            conversations.export(sender, lines),
            headers={
                **SECURITY_HEADERS,
                "Content-Disposition": 'attachment; filename="conversation.json"',
            },
        )

    @staff.post("/conversations/<sender>/delete", **ADMIN_ONLY)
    async def delete(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        if form_value(request, "confirm") != "yes":
            page = f"/staff/conversations/{quote(sender, safe='')}"
            return console.page(
                request,
                "confirm_delete.html",
                what="conversation",
                item=sender,
                detail="its messages, plan, calendar files and callback request go for good.",
                action=f"{page}/delete",
                keep=page,
            )
        events = await asyncio.to_thread(
            conversations.delete_conversation, console.engine, sender, calendars.calendar_dir()
        )
        logger.info("Staff deleted a conversation (%s events)", events)
        return response.redirect("/staff/conversations?deleted=1", status=303)

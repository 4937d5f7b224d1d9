"""The console's Live page: take a waiting visitor, chat with them, hand them back.

Added to the staff blueprint by staff/app.py (every route here needs a
signed-in session, and each POST its CSRF token). The page polls two JSON
routes: the queue (which also records that this member of staff is still
there) and the open chat's new lines, read straight from the tracker store so
a visitor's message shows whichever Rasa replica received it. Staff messages
go to Rasa's handoff route (staff/rasa_link.py), which delivers them on the
visitor's channel. `GET /live-chat/availability`, outside `/staff/`, tells
the action server whether to connect a visitor (actions/handoff.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import sqlalchemy as sa
from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from clinic.handoff.live_chat import LiveChatSettings
from staff import conversations, live
from staff.rasa_link import RasaLink

logger = logging.getLogger(__name__)

Page = Callable[..., HTTPResponse]
MAX_MESSAGE_CHARS = 2000
LIMITED_CHANNELS = {"facebook": "Messenger", "twilio": "Twilio (SMS or WhatsApp)"}


def availability_blueprint(engine: sa.engine.Engine, settings: LiveChatSettings) -> Blueprint:
    """`GET /live-chat/availability`: whether a visitor asking for a person can be connected."""
    public = Blueprint("live_chat_availability", url_prefix="/live-chat")

    @public.get("/availability")
    async def availability(_: Request) -> HTTPResponse:
        try:
            ok = await asyncio.to_thread(live.can_take_chats, engine, settings, time.time())
        except sa.exc.SQLAlchemyError:
            ok = False
        return response.json({"available": ok}, headers={"Cache-Control": "no-store"})

    return public


def _chat_json(chat: live.Chat, now: float) -> dict[str, Any]:
    return {
        "sender": chat.sender_id,
        "waiting_s": round(now - chat.asked_at),
        "channel": chat.channel or "",
        "taken_by": chat.taken_by,
    }


def add_live_routes(
    staff: Blueprint,
    engine: sa.engine.Engine,
    page: Page,
    link: RasaLink,
    settings: LiveChatSettings,
) -> None:
    """The Live page's routes on the staff blueprint."""

    def account(request: Request) -> str:
        return str(request.ctx.staff.account)

    @staff.get("/live")
    async def live_page(request: Request) -> HTTPResponse:
        available = await asyncio.to_thread(live.check_in, engine, account(request), time.time())
        return page(request, "live.html", available=available, settings=settings)

    @staff.post("/live/availability")
    async def set_availability(request: Request) -> HTTPResponse:
        wanted = str((request.form or {}).get("available") or "") == "yes"
        await asyncio.to_thread(live.check_in, engine, account(request), time.time(), wanted)
        return response.redirect("/staff/live", status=303)

    @staff.get("/api/live.json")
    async def queue(request: Request) -> HTTPResponse:
        now = time.time()
        available = await asyncio.to_thread(live.check_in, engine, account(request), now)
        chats = await asyncio.to_thread(live.open_chats, engine)
        return response.json(
            {
                "available": available,
                "waiting": [_chat_json(c, now) for c in chats if c.taken_by is None],
                "mine": [_chat_json(c, now) for c in chats if c.taken_by == account(request)],
                "others": len([c for c in chats if c.taken_by not in (None, account(request))]),
                "open_hours": settings.is_open_now(),
            },
            headers={"Cache-Control": "no-store"},
        )

    @staff.post("/live/<sender>/take")
    async def take(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        now = time.time()
        if await asyncio.to_thread(live.chat_of, engine, sender) is None:
            return page(request, "error.html", status=404, message="This chat has ended.")
        if not await asyncio.to_thread(live.claim, engine, sender, account(request), now):
            return page(
                request, "error.html", status=409, message="Someone else has taken this chat."
            )
        result = await link.step("take", sender, account(request))
        if not result.ok:
            await asyncio.to_thread(live.unclaim, engine, sender, now)
            return page(request, "error.html", status=409, message=result.message)
        return response.redirect(f"/staff/live/{sender}", status=303)

    @staff.get("/live/<sender>")
    async def chat_page(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        chat = await asyncio.to_thread(live.chat_of, engine, sender)
        lines = await asyncio.to_thread(conversations.transcript, engine, sender)
        if not lines:
            return page(request, "error.html", status=404, message="No such conversation.")
        mine = chat is not None and chat.taken_by == account(request)
        return page(
            request,
            "live_chat.html",
            sender=sender,
            lines=lines,
            chat=chat,
            mine=mine,
            limited=LIMITED_CHANNELS.get(chat.channel or "") if chat else None,
        )

    @staff.get("/api/live/<sender>/lines")
    async def chat_lines(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        try:
            after = max(0, int(request.args.get("after", "0")))
        except ValueError:
            after = 0
        await asyncio.to_thread(live.check_in, engine, account(request), time.time())
        lines = await asyncio.to_thread(conversations.transcript, engine, sender)
        chat = await asyncio.to_thread(live.chat_of, engine, sender)
        return response.json(
            {
                "count": len(lines),
                "lines": [
                    {"who": line.who, "text": line.text, "at": line.at, "detail": line.detail}
                    for line in lines[after:]
                ],
                "open": chat is not None,
                "mine": chat is not None and chat.taken_by == account(request),
            },
            headers={"Cache-Control": "no-store"},
        )

    @staff.post("/live/<sender>/say")
    async def say(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        sent = (request.form or {}).get("text") if request.form else None
        if sent is None and request.content_type.startswith("application/json"):
            body = request.json if isinstance(request.json, dict) else {}
            sent = body.get("text")
        text = str(sent or "").strip()
        if not text or len(text) > MAX_MESSAGE_CHARS:
            return response.json(
                {"error": "bad_request", "message": f"Type 1 to {MAX_MESSAGE_CHARS} characters."},
                status=400,
            )
        chat = await asyncio.to_thread(live.chat_of, engine, sender)
        if chat is None or chat.taken_by != account(request):
            return response.json(
                {"error": "not_yours", "message": "Take this chat before writing in it."},
                status=409,
            )
        result = await link.step("say", sender, account(request), text=text)
        if not result.ok:
            return response.json({"error": result.code, "message": result.message}, status=409)
        return response.json({"sent": True})

    @staff.post("/live/<sender>/back")
    async def hand_back(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        chat = await asyncio.to_thread(live.chat_of, engine, sender)
        if chat is None:
            return response.redirect("/staff/live", status=303)
        result = await link.step("back", sender, account(request), reason="back")
        if not result.ok and result.code != "not_paused":
            return page(request, "error.html", status=409, message=result.message)
        return response.redirect("/staff/live", status=303)


async def hand_over_due_chats(
    engine: sa.engine.Engine, link: RasaLink, settings: LiveChatSettings
) -> None:
    """Time out chats nobody took (callback offer) and re-queue those whose staff left."""
    now = time.time()
    found = await asyncio.to_thread(live.due, engine, settings, now)
    for sender in found.orphaned:
        await asyncio.to_thread(live.unclaim, engine, sender, now)
        logger.info("A live chat's staff member left; it is back in the queue")
    for sender in found.unanswered:
        result = await link.step("back", sender, "assistant", reason="unanswered")
        if not result.ok and result.code != "not_paused":
            logger.warning("Could not hand an unanswered chat back: %s", result.code)

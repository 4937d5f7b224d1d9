"""The console's Live page: take a waiting visitor, chat with them, hand them back.

The page polls two JSON routes: the queue (which also records that this
member of staff is still there) and the open chat's new lines (and whether
the visitor is typing), read straight from the tracker store so a visitor's
message shows whichever Rasa replica received it. Who has which chat is
staff/live.py's; staff messages, taking a chat, handing it back and "typing"
go to Rasa's handoff route (staff/rasa_link.py) with the staff member's
display name, which Rasa delivers on the visitor's channel. The page also
lists missed chats and sets the display name; the canned replies it
offers are kept on their own page (staff/routes/canned_replies.py).
Every console page polls `/staff/api/alerts.json` for browser
notifications (staff/alerts.py). Outside `/staff/`: `GET
/live-chat/availability` tells the action server whether to connect a
visitor (actions/handoff.py), and `POST /chat/typing` is the widget saying
its visitor is typing.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any
from urllib.parse import unquote

import sqlalchemy as sa
from sanic import Blueprint, Request, Sanic, response
from sanic.response import HTTPResponse

from clinic.guard.rate_limit import RateLimit
from clinic.guard.session_tokens import COOKIE, load_key, session_of
from clinic.handoff.live_chat import LiveChatSettings
from staff import accounts, alerts, canned, conversations, live
from staff.conversation_list import channel_name
from staff.rasa_link import RasaLink
from staff.routes.console import Console, account_of
from staff.wording import Said, plain, readable

MAX_MESSAGE_CHARS = 2000
MISSED_DAYS = 7  # the Live page lists missed chats of the last week
LIMITED_CHANNELS = {"facebook": "Messenger", "twilio": "Twilio (SMS or WhatsApp)"}
NO_STORE = {"Cache-Control": "no-store"}


def availability_blueprint(engine: sa.engine.Engine, settings: LiveChatSettings) -> Blueprint:
    """`GET /live-chat/availability`: whether a visitor asking for a person can be connected."""
    public = Blueprint("live_chat_availability", url_prefix="/live-chat")

    @public.get("/availability")
    async def availability(_: Request) -> HTTPResponse:
        try:
            ok = await asyncio.to_thread(live.can_take_chats, engine, settings, time.time())
        except sa.exc.SQLAlchemyError:
            ok = False
        return response.json({"available": ok}, headers=NO_STORE)

    return public


def visitor_typing_route(app: Sanic, engine: sa.engine.Engine) -> None:
    """`POST /chat/typing`: the widget says its visitor is typing in a live chat (204).

    The chat session's cookie names the conversation, so nobody can mark
    another's; outside a live chat nothing is stored.
    """
    key = load_key()
    per_session = RateLimit("visitor_typing", 5, 40)

    @app.post("/chat/typing")
    async def visitor_typing(request: Request) -> HTTPResponse:
        sender = session_of(request.cookies.get(COOKIE), key)
        if sender is None:
            return response.json({"error": "no_session"}, status=401)
        # Only a hint for staff: a database error is never the visitor's problem.
        with contextlib.suppress(sa.exc.SQLAlchemyError):
            if per_session.allow(sender):
                await asyncio.to_thread(live.visitor_typed, engine, sender, time.time())
        return response.empty()


def _chat_json(chat: live.Chat, now: float) -> dict[str, Any]:
    return {
        "sender": chat.sender_id,
        "waiting_s": round(now - chat.asked_at),
        "channel": chat.channel or "",
        "taken_by": chat.taken_by,
    }


def _queue_json(
    chats: list[live.Chat], account: str, available: bool, open_hours: bool, now: float
) -> dict[str, Any]:
    """The queue as the Live page reads it: waiting chats, this account's, and the others'."""
    return {
        "available": available,
        "waiting": [_chat_json(c, now) for c in chats if c.taken_by is None],
        "mine": [_chat_json(c, now) for c in chats if c.taken_by == account],
        "others": len([c for c in chats if c.taken_by not in (None, account)]),
        "open_hours": open_hours,
    }


def _lines_json(lines: list[Said], after: int) -> list[dict[str, Any]]:
    """Lines as the page adds them (as text: the bot's markdown dropped, not rendered)."""
    return [
        {
            "who": line.who,
            "text": plain(line.text) if line.who == "bot" else line.text,
            "at": line.at,
            "detail": "pressed" if line.pressed else line.label,
            "offered": list(line.offered),
        }
        for line in lines[after:]
    ]


def _after(request: Request) -> int:
    """How many lines the page already shows (`?after=`); anything unreadable is 0."""
    try:
        return max(0, int(request.args.get("after", "0")))
    except ValueError:
        return 0


def _typed_text(request: Request) -> str:
    """What staff typed: the form's `text`, or a JSON body's."""
    sent = (request.form or {}).get("text") if request.form else None
    if sent is None and request.content_type.startswith("application/json"):
        body = request.json if isinstance(request.json, dict) else {}
        sent = body.get("text")
    return str(sent or "").strip()


def _form(request: Request, name: str) -> str:
    return str((request.form or {}).get(name) or "")


def add_live_routes(
    staff: Blueprint, console: Console, link: RasaLink, settings: LiveChatSettings
) -> None:
    """The Live page's routes on the staff blueprint: the page and its queue, then a chat."""
    _add_queue_routes(staff, console, settings)
    _add_chat_view_routes(staff, console)
    _add_chat_step_routes(staff, console, link)


def _add_queue_routes(staff: Blueprint, console: Console, settings: LiveChatSettings) -> None:
    """The Live page, who is available and by what name, the queue it polls, and the
    alerts every page polls."""
    engine = console.engine

    @staff.get("/live")
    async def live_page(request: Request) -> HTTPResponse:
        now = time.time()
        available = await asyncio.to_thread(live.check_in, engine, account_of(request), now)
        since = now - MISSED_DAYS * 86400
        missed = await asyncio.to_thread(live.missed_chats, engine, since)
        name = await asyncio.to_thread(accounts.display_name_of, engine, account_of(request))
        return console.page(
            request,
            "live.html",
            available=available,
            settings=settings,
            open_now=settings.is_open_now(),
            missed=missed,
            missed_days=MISSED_DAYS,
            display_name=name,
            notice=request.args.get("notice", ""),
        )

    @staff.post("/live/availability")
    async def set_availability(request: Request) -> HTTPResponse:
        wanted = _form(request, "available") == "yes"
        await asyncio.to_thread(live.check_in, engine, account_of(request), time.time(), wanted)
        return response.redirect("/staff/live", status=303)

    @staff.post("/live/name")
    async def set_display_name(request: Request) -> HTTPResponse:
        try:
            await asyncio.to_thread(
                accounts.set_display_name, engine, account_of(request), _form(request, "name")
            )
        except accounts.AccountError as error:
            return console.not_possible(request, 400, str(error))
        return response.redirect("/staff/live?notice=name", status=303)

    @staff.get("/api/alerts.json")
    async def alerts_json(request: Request) -> HTTPResponse:
        found = await asyncio.to_thread(alerts.current, engine)
        now = time.time()
        return response.json(
            {
                "waiting": [_chat_json(chat, now) for chat in found.waiting],
                "newest_safety": found.newest_safety,
                "unreviewed_safety": found.unreviewed_safety,
            },
            headers=NO_STORE,
        )

    @staff.get("/api/live.json")
    async def queue(request: Request) -> HTTPResponse:
        now = time.time()
        available = await asyncio.to_thread(live.check_in, engine, account_of(request), now)
        chats = await asyncio.to_thread(live.open_chats, engine)
        found = _queue_json(chats, account_of(request), available, settings.is_open_now(), now)
        return response.json(found, headers=NO_STORE)


def _add_chat_view_routes(staff: Blueprint, console: Console) -> None:
    """One chat as staff read it: its page, and the new lines the page polls for."""
    engine = console.engine

    @staff.get("/live/<sender>")
    async def chat_page(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        chat = await asyncio.to_thread(live.chat_of, engine, sender)
        lines = readable(await asyncio.to_thread(conversations.transcript, engine, sender))
        if not lines:
            return console.not_possible(request, 404, "No such conversation.")
        replies = await asyncio.to_thread(canned.replies, engine)
        channel = await asyncio.to_thread(conversations.channel_of, engine, sender)
        return console.page(
            request,
            "live_chat.html",
            sender=sender,
            lines=lines,
            channel=channel_name(channel) if channel else None,
            chat=chat,
            mine=chat is not None and chat.taken_by == account_of(request),
            limited=LIMITED_CHANNELS.get(chat.channel or "") if chat else None,
            replies=replies,
        )

    @staff.get("/api/live/<sender>/lines")
    async def chat_lines(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        after = _after(request)
        await asyncio.to_thread(live.check_in, engine, account_of(request), time.time())
        lines = readable(await asyncio.to_thread(conversations.transcript, engine, sender))
        chat = await asyncio.to_thread(live.chat_of, engine, sender)
        last_said = max((line.at for line in lines if line.who == "visitor"), default=None)
        typing = chat is not None and await asyncio.to_thread(
            live.visitor_is_typing, engine, sender, time.time(), last_said
        )
        found = {
            "count": len(lines),
            "lines": _lines_json(lines, after),
            "open": chat is not None,
            "mine": chat is not None and chat.taken_by == account_of(request),
            "visitor_typing": typing,
        }
        return response.json(found, headers=NO_STORE)


def _add_chat_step_routes(staff: Blueprint, console: Console, link: RasaLink) -> None:
    """What staff do in one chat, each a step sent to Rasa's handoff route: take it,
    write in it and say they are typing (under their display name), and hand it back."""
    engine = console.engine

    async def shown_name(request: Request) -> str:
        """What the visitor reads for the signed-in member of staff (never the login)."""
        found = await asyncio.to_thread(accounts.display_name_of, engine, account_of(request))
        return found or accounts.NO_DISPLAY_NAME

    @staff.post("/live/<sender>/take")
    async def take(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        now = time.time()
        if await asyncio.to_thread(live.chat_of, engine, sender) is None:
            return console.not_possible(request, 404, "This chat has ended.")
        if not await asyncio.to_thread(live.claim, engine, sender, account_of(request), now):
            return console.not_possible(request, 409, "Someone else has taken this chat.")
        result = await link.step(
            "take", sender, account_of(request), name=await shown_name(request)
        )
        if not result.ok:
            await asyncio.to_thread(live.unclaim, engine, sender, now)
            return console.not_possible(request, 409, result.message)
        return response.redirect(f"/staff/live/{sender}", status=303)

    @staff.post("/live/<sender>/say")
    async def say(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        text = _typed_text(request)
        if not text or len(text) > MAX_MESSAGE_CHARS:
            message = f"Type 1 to {MAX_MESSAGE_CHARS} characters."
            return response.json({"error": "bad_request", "message": message}, status=400)
        chat = await asyncio.to_thread(live.chat_of, engine, sender)
        if chat is None or chat.taken_by != account_of(request):
            message = "Take this chat before writing in it."
            return response.json({"error": "not_yours", "message": message}, status=409)
        name = await shown_name(request)
        result = await link.step("say", sender, account_of(request), text=text, name=name)
        if not result.ok:
            return response.json({"error": result.code, "message": result.message}, status=409)
        return response.json({"sent": True})

    @staff.post("/live/<sender>/typing")
    async def staff_typing(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        chat = await asyncio.to_thread(live.chat_of, engine, sender)
        if chat is None or chat.taken_by != account_of(request):
            return response.json({"error": "not_yours"}, status=409)
        name = await shown_name(request)
        result = await link.step("typing", sender, account_of(request), name=name)
        return response.json({"sent": result.ok}, status=200 if result.ok else 409)

    @staff.post("/live/<sender>/back")
    async def hand_back(request: Request, sender: str) -> HTTPResponse:
        sender = unquote(sender)
        if await asyncio.to_thread(live.chat_of, engine, sender) is None:
            return response.redirect("/staff/live", status=303)
        result = await link.step("back", sender, account_of(request), reason="back")
        if not result.ok and result.code != "not_paused":
            return console.not_possible(request, 409, result.message)
        return response.redirect("/staff/live", status=303)

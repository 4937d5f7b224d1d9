"""The public chat channels: Rasa's REST and socket.io channels with a guard in front.

Same URLs as Rasa's own (`/webhooks/rest/webhook`, `/socket.io`), so clients
do not change. Before a message reaches the bot, the channel checks it
(`clinic/guard/input_checks.py`), limits how fast a visitor may send
(`clinic/guard/rate_limit.py`) and, on socket.io, lets a connection use only the
conversation its signed token names (`clinic/guard/session_tokens.py`). When
answering fails (the lock store or the tracker store unreachable, a bug), the
visitor gets an apology with the clinic's contact instead of silence, and the
log gets an ERROR. Limits live in clinic.yml (`input_limits`); the wording in
clinic/messages/channels.yml. Registered by module path in credentials.yml.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer

from clinic import environment
from clinic.guard.input_checks import Rejected, check_text, is_too_long, parse_rest_body
from clinic.guard.rate_limit import RateLimit
from clinic.guard.session_tokens import ALGORITHM, issue_token, load_key, session_of
from clinic.handoff.live_chat import load_live_chat
from clinic.messages import text
from clinic.settings import InputLimits, load_clinic_settings
from rasa_ext.channels.handoff import end_waiting_chat, visible_history
from rasa_ext.channels.outputs import SOCKETS

logger = logging.getLogger(__name__)

# With several Rasa replicas, their socket.io servers share rooms through Redis
# (python-socketio's client manager), so a staff message sent on one replica
# reaches a widget whose socket is on another.
POLL_PATH = "/webhooks/handoff/messages"  # rasa_ext/channels/handoff.py

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def say(key: str, limits: InputLimits) -> str:
    """One of the channel's own texts (clinic/messages/channels.yml), with the clinic's details."""
    return text(key, max_message_chars=limits.max_message_chars)


def _describe(error: BaseException) -> str:
    """The error and what caused it, first line of each: enough to act on, no visitor's text.

    (Later lines can hold a failed query's parameters, i.e. what the visitor wrote.)
    """
    parts: list[str] = []
    seen: BaseException | None = error
    while seen is not None and len(parts) < 4:
        lines = str(seen).strip().splitlines()
        first = lines[0][:200] if lines else ""
        parts.append(f"{type(seen).__name__}: {first}" if first else type(seen).__name__)
        seen = seen.__cause__ or seen.__context__
    return " <- caused by ".join(parts)


def _limit_request_size(blueprint: Blueprint, limits: InputLimits) -> None:
    """Sanic accepts 100 MB bodies by default and Rasa leaves it: lower it for the whole server.

    Sanic reads the limit for each new connection, so setting it before the
    server starts covers every route (the HTTP API and other channels too).
    """

    async def set_limit(app: Sanic, _: Any) -> None:
        app.config.REQUEST_MAX_SIZE = limits.max_request_kb * 1024

    blueprint.listener("before_server_start")(set_limit)


async def answer_safely(
    on_new_message: OnNewMessage, message: UserMessage, channel: str
) -> BaseException | None:
    """Let the bot answer; an error is logged (without the visitor's text) and returned."""
    try:
        await on_new_message(message)
    except Exception as error:
        logger.error(
            "Could not answer conversation %s on %s (the visitor got the apology with the "
            "clinic's contact): %s",
            message.sender_id,
            channel,
            _describe(error),
        )
        logger.debug("Traceback of the failed answer", exc_info=True)
        return error
    return None


class GuardedRestInput(RestInput):
    """Rasa's REST channel (`POST /webhooks/rest/webhook`) with checked input.

    400 with `{"error": code, "message": ...}` for a body that is not a
    visitor's message; 429 with the polite text when a visitor or an address
    sends too fast; 413 (from Sanic) for a body over `max_request_kb`. A
    message over `max_message_chars`, or one the bot failed to answer, gets a
    normal 200 reply with the channel's own text. Streaming (`?stream=true`)
    is not offered.
    """

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(load_clinic_settings().input_limits)

    def __init__(self, limits: InputLimits | None = None) -> None:
        self.limits = limits or InputLimits()
        self.per_visitor = RateLimit(
            "rest:visitor", self.limits.visitor_burst, self.limits.visitor_per_minute
        )
        self.per_address = RateLimit(
            "rest:address", self.limits.address_burst, self.limits.address_per_minute
        )

    def _too_fast(self, limiter: RateLimit, key: str) -> HTTPResponse:
        wait = limiter.retry_after(key)
        return response.json(
            {
                "error": "rate_limited",
                "message": say("input_rate_limited", self.limits),
                "retry_after": wait,
            },
            status=429,
            headers={"Retry-After": str(wait)},
        )

    async def handle(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        address = request.remote_addr or request.ip or "unknown"
        if not self.per_address.allow(address):
            logger.warning("REST requests from one address over the limit")
            return self._too_fast(self.per_address, address)
        parsed = parse_rest_body(request.body)
        if isinstance(parsed, Rejected):
            return response.json({"error": parsed.reason, "message": parsed.detail}, status=400)
        if not self.per_visitor.allow(parsed.sender):
            logger.warning("Conversation %s over the message rate limit (REST)", parsed.sender)
            return self._too_fast(self.per_visitor, parsed.sender)
        if is_too_long(parsed.text, self.limits.max_message_chars):
            logger.info("Conversation %s sent an over-long message (REST)", parsed.sender)
            return response.json(
                [{"recipient_id": parsed.sender, "text": say("input_too_long", self.limits)}]
            )
        collector = CollectingOutputChannel()
        message = UserMessage(
            parsed.text,
            collector,
            parsed.sender,
            input_channel=self.name(),
            metadata=parsed.metadata,
        )
        if await answer_safely(on_new_message, message, "rest") is not None:
            collector.messages.append(
                {"recipient_id": parsed.sender, "text": say("input_failed", self.limits)}
            )
        self._add_poll_token(collector.messages, parsed.sender)
        return response.json(collector.messages)

    def _add_poll_token(self, messages: list[dict[str, Any]], sender: str) -> None:
        """A REST client can't be pushed to: when the bot hands it to a person, its reply
        says where to poll for their messages, with a token for this conversation only."""
        for message in messages:
            custom = message.get("custom")
            if isinstance(custom, dict) and custom.get("handoff") == "waiting":
                custom["poll_url"] = POLL_PATH
                custom["token"] = issue_token(load_key(), sender)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        _limit_request_size(webhook, self.limits)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.handle(request, on_new_message)

        return webhook


def _refuse_unsupported(session_persistence: object, jwt_method: object) -> None:
    """Stop Rasa at start-up on socket.io settings the bound channel cannot honour.

    A setting that was read and then ignored would let staff believe, say,
    that conversations end with the socket, or that tokens use another algorithm.
    """
    where = "in the credentials file (rasa_ext.channels.guarded.BoundSocketIOInput)"
    if session_persistence is not True and str(session_persistence).strip().lower() != "true":
        raise InvalidConfigException(
            f"session_persistence: {session_persistence!r} {where} is not supported: each "
            "widget connection keeps the conversation its chat token names. Set it to true "
            "or remove it."
        )
    if jwt_method is not None and jwt_method != ALGORITHM:
        raise InvalidConfigException(
            f"jwt_method: {jwt_method!r} {where} is not supported: the web app signs chat "
            f"tokens with {ALGORITHM} (clinic/guard/session_tokens.py). Remove it."
        )


class BoundSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel (the website widget), each connection bound to one conversation.

    Rasa 3.6's own `jwt_key` only checks at connect time that the token is
    signed with the key; any connection may then ask for any session id and
    read or write that conversation. Here the token's subject is the session:
    a connection without a valid token is refused, `session_request` always
    confirms the token's own session (whatever id the client asks for), and a
    message naming another session is dropped. So the conversation always
    persists with its token, and tokens are the web app's (HS256): other
    `session_persistence` or `jwt_method` values are refused at start-up.

    After confirming, it sends the conversation so far (`session_history`), so
    a reload or a second tab shows the same messages, staff names included,
    without the browser keeping a copy.

    A visitor waiting for staff whose last socket closed, and who has not come
    back within clinic.yml's `live_chat.visitor_gone_seconds`, has left: the
    chat ends (rasa_ext/channels/handoff.py) and the console lists it as
    missed. Only with one socket.io server: with several replicas (the Redis
    client manager) a visitor may be back on another, so the chat waits out
    `wait_minutes` instead.
    """

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            credentials.get("session_persistence", True),
            credentials.get("socketio_path", "/socket.io"),
            jwt_key=load_key(),
            jwt_method=credentials.get("jwt_method", ALGORITHM),
            metadata_key=credentials.get("metadata_key", "metadata"),
            limits=load_clinic_settings().input_limits,
        )

    def __init__(
        self,
        user_message_evt: str = "user_uttered",
        bot_message_evt: str = "bot_uttered",
        namespace: str | None = None,
        session_persistence: bool = True,
        socketio_path: str | None = "/socket.io",
        jwt_key: str | None = None,
        jwt_method: str | None = ALGORITHM,
        metadata_key: str | None = "metadata",
        limits: InputLimits | None = None,
    ) -> None:
        if not jwt_key:
            raise ValueError("BoundSocketIOInput needs the chat session key (jwt_key).")
        _refuse_unsupported(session_persistence, jwt_method)
        super().__init__(
            user_message_evt,
            bot_message_evt,
            namespace,
            True,
            socketio_path,
            jwt_key,
            ALGORITHM,
            metadata_key,
        )
        self.session_key: str = jwt_key
        self.limits = limits or InputLimits()
        self.per_visitor = RateLimit(
            "socketio:visitor", self.limits.visitor_burst, self.limits.visitor_per_minute
        )
        self.sessions: dict[str, str] = {}  # socket id -> the conversation its token names
        self.app: Sanic | None = None  # set when the server starts: its agent has the trackers
        self.visitor_gone_s = load_live_chat().visitor_gone_s
        self.single_server = True  # False with the Redis client manager (several replicas)
        self.leaving: set[asyncio.Task[None]] = set()  # kept so they are not collected early

    async def _history(self, session: str) -> list[dict[str, Any]]:
        """The conversation's messages as the widget shows them; none if the store fails."""
        agent = getattr(self.app.ctx, "agent", None) if self.app is not None else None
        if agent is None:
            return []
        try:
            return visible_history(await agent.tracker_store.retrieve(session))
        except Exception as error:  # the tracker store unreachable: the chat still works
            logger.warning("No history for conversation %s: %s", session, _describe(error))
            return []

    async def _when_gone(self, session: str) -> None:
        """After the grace, end the visitor's waiting chat if none of their pages came back."""
        await asyncio.sleep(self.visitor_gone_s)
        agent = getattr(self.app.ctx, "agent", None) if self.app is not None else None
        if session in self.sessions.values() or agent is None:
            return
        try:
            if await end_waiting_chat(agent, session):
                logger.info("Conversation %s left while waiting for staff", session)
        except Exception as error:  # the stores unreachable: the wait runs out as usual
            logger.warning("Could not end a left chat %s: %s", session, _describe(error))

    async def _tell(self, sio: AsyncServer, sid: str, key: str) -> None:
        await sio.emit(self.bot_message_evt, {"text": say(key, self.limits)}, room=sid)

    def _metadata(self, data: dict[str, Any]) -> dict[str, Any]:
        metadata = data.get(self.metadata_key or "metadata")
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except (ValueError, RecursionError):
                return {}
        return metadata if isinstance(metadata, dict) else {}

    async def handle(
        self, sio: AsyncServer, sid: str, data: Any, on_new_message: OnNewMessage
    ) -> None:
        session = self.sessions.get(sid)
        if session is None:
            return
        if isinstance(data, dict) and data.get("session_id") not in (None, session):
            logger.warning("socket.io connection %s wrote to a conversation not its own", sid)
            return
        said = check_text(data.get("message") if isinstance(data, dict) else None)
        if isinstance(said, Rejected):
            await self._tell(sio, sid, "input_empty")
            return
        if not self.per_visitor.allow(session):
            logger.warning("Conversation %s over the message rate limit (socket.io)", session)
            await self._tell(sio, sid, "input_rate_limited")
            return
        if is_too_long(said, self.limits.max_message_chars):
            logger.info("Conversation %s sent an over-long message (socket.io)", session)
            await self._tell(sio, sid, "input_too_long")
            return
        message = UserMessage(
            said,
            SocketIOOutput(sio, self.bot_message_evt),
            session,
            input_channel=self.name(),
            metadata=self._metadata(data),
        )
        if await answer_safely(on_new_message, message, "socket.io") is not None:
            await sio.emit(
                self.bot_message_evt, {"text": say("input_failed", self.limits)}, room=session
            )

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        redis_url = environment.SOCKETIO_REDIS_URL.get()
        manager = AsyncRedisManager(redis_url) if redis_url else None
        self.single_server = manager is None
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=[],
            max_http_buffer_size=self.limits.max_request_kb * 1024,
            client_manager=manager,
        )
        SOCKETS.server, SOCKETS.bot_message_evt = sio, self.bot_message_evt
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        _limit_request_size(webhook, self.limits)
        self.sio = sio

        async def keep_app(app: Sanic, _: Any) -> None:
            self.app = app

        webhook.listener("after_server_start")(keep_app)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            token = auth.get("token") if isinstance(auth, dict) else None
            session = session_of(token, self.session_key)
            if session is None:
                logger.info("socket.io connection %s refused: no valid chat token", sid)
                return False
            self.sessions[sid] = session
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            session = self.sessions.pop(sid, None)
            if session and self.single_server and session not in self.sessions.values():
                self.leaving.add(asyncio.create_task(self._when_gone(session)))
                for task in [t for t in self.leaving if t.done()]:
                    self.leaving.discard(task)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            session = self.sessions.get(sid)
            if session is None:
                return
            asked = data.get("session_id") if isinstance(data, dict) else None
            if asked and asked != session:
                logger.warning(
                    "socket.io connection %s asked for a conversation its token does not "
                    "name; it gets its own",
                    sid,
                )
            sio.enter_room(sid, session, namespace=self.namespace)
            await sio.emit("session_confirm", session, room=sid, namespace=self.namespace)
            history = await self._history(session)
            await sio.emit("session_history", history, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            await self.handle(sio, sid, data, on_new_message)

        return webhook

"""The console's calls to Rasa's handoff route (rasa_ext/channels/handoff.py).

Each call carries the shared secret (clinic/handoff/secret.py) and says which
account acts. With several Rasa replicas any of them will do: the route takes
the conversation's lock and reads the shared tracker store.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import aiohttp

from clinic.handoff.secret import HEADER, load_secret

logger = logging.getLogger(__name__)
TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Result:
    """What Rasa answered: ok, or an error code and a sentence staff can read."""

    ok: bool
    status: int
    code: str = ""
    message: str = ""


class RasaLink:
    def __init__(self, rasa_url: str, secret: str | None = None) -> None:
        self.base = rasa_url.rstrip("/") + "/webhooks/handoff/staff/"
        self.secret = secret or load_secret()

    async def step(self, step: str, sender: str, account: str, **fields: Any) -> Result:
        body = {"sender": sender, "account": account, **fields}
        try:
            timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(self.base + step, json=body, headers={HEADER: self.secret}) as reply,
            ):
                found = await reply.json(content_type=None)
                status = reply.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            logger.warning("Rasa's handoff route did not answer: %s", type(error).__name__)
            return Result(False, 503, "unreachable", "The assistant can't be reached; try again.")
        found = found if isinstance(found, dict) else {}
        if status >= 400:
            return Result(False, status, str(found.get("error", "")), str(found.get("message", "")))
        return Result(True, status)

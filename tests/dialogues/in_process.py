"""The trained model in this process, with its real action server: a set in seconds, not minutes.

`python -m tests.dialogues.harness --in-process <sets>` reads every message
through Rasa's own message processor, as the REST channel does, but without
HTTP, the per-address rate limit it meets on loopback, or a server start. The
figures match the HTTP run's (21 sets: each within one conversation, the
difference being retraining noise and the clock), so it is the loop for
reading a change on the dev sets. The floors (`make dialogues`) and the
figure that decides an issue stay with the HTTP run of the real servers.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support import servers


@dataclass
class InProcessBot:
    """The model's agent on one event loop; `say` as RunningBot's, `workdir` its tracker store's."""

    workdir: Path
    agent: Any
    loop: asyncio.AbstractEventLoop

    def say(self, sender: str, text: str, timeout: float = 30) -> list[dict[str, Any]]:
        reply = asyncio.wait_for(self.agent.handle_text(text, sender_id=sender), timeout)
        return list(self.loop.run_until_complete(reply) or [])


@contextmanager
def in_process_bot(workdir: Path, extra_env: dict[str, str]) -> Iterator[InProcessBot]:
    """The newest model in models/ and the action server, on a private SQLite tracker store."""
    env = servers.with_action_token({**os.environ, "PYTHONHASHSEED": "0", **extra_env})
    env.setdefault("STAFF_CONSOLE_URL", "http://127.0.0.1:9")  # as servers.running_bot
    saved = dict(os.environ)
    os.environ.update(env)  # the endpoints' token and the planner's today, read in here
    try:
        with _agent(workdir, env) as bot:
            yield bot
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextmanager
def _agent(workdir: Path, env: dict[str, str]) -> Iterator[InProcessBot]:
    from clinic import known_warnings
    from rasa_ext import patches

    known_warnings.quiet()
    patches.install()
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints

    port = servers.free_port()
    endpoints = AvailableEndpoints.read_endpoints(str(servers.write_endpoints(workdir, port)))
    actions = servers.start_action_server(workdir, port, env)
    loop = asyncio.new_event_loop()
    try:
        model = str(max((servers.ROOT / "models").glob("*.tar.gz")))
        agent = loop.run_until_complete(load_agent(model_path=model, endpoints=endpoints))
        yield InProcessBot(workdir, agent, loop)
    finally:
        loop.close()
        servers.stop(actions)

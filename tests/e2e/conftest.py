"""One real bot for the whole end-to-end session: trained model, action server, Rasa server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import ROOT, RunningBot, running_bot

# The key that signs widget sessions on the socket.io channel: a test's own, so a widget
# conversation can be opened without the checkout's var/chat-session.key.
CHAT_SESSION_KEY = "e2e-" + "k" * 44


@pytest.fixture(scope="session")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    """Shared by every end-to-end test that needs no settings of its own (a Rasa start-up
    costs about 30 s on CI's two cores)."""
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("No trained model in models/: run `make train` first.")
    env = {"CHAT_SESSION_KEY": CHAT_SESSION_KEY}
    with running_bot(Path(tmp_path_factory.mktemp("bot")), extra_env=env) as running:
        yield running

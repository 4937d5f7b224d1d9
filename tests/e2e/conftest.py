"""One real bot for the whole end-to-end session: trained model, action server, Rasa server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import ROOT, RunningBot, running_bot


@pytest.fixture(scope="session")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("No trained model in models/: run `make train` first.")
    with running_bot(Path(tmp_path_factory.mktemp("bot"))) as running:
        yield running

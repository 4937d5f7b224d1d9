"""Fault tests start real servers and really stop and start the component under test."""

from __future__ import annotations

import pytest

from tests.support.servers import ROOT


@pytest.fixture(autouse=True)
def _trained_model() -> None:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("No trained model in models/: run `make train` first.")

"""One production-profile cluster for the module: two Rasa replicas behind nginx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cluster import Cluster, production_cluster
from tests.support.servers import ROOT


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("No trained model in models/: run `make train` first.")
    with production_cluster(Path(tmp_path_factory.mktemp("scale"))) as running:
        yield running

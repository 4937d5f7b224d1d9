"""One production-profile cluster for the module: two Rasa replicas behind nginx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.support.cluster import Cluster, production_cluster
from tests.support.servers import ROOT


def one_address_clinic_config(workdir: Path) -> Path:
    """clinic.yml with the per-address limit off: every test visitor comes from nginx's
    address, and the replicas share one budget (RATE_LIMIT_STORAGE_URL), so on a fast
    machine the scale-out run alone could exceed it. The per-visitor limit stays on."""
    clinic = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))
    clinic["input_limits"]["per_address"] = {"burst": 0, "per_minute": 1}
    path = workdir / "clinic.yml"
    path.write_text(yaml.safe_dump(clinic, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("No trained model in models/: run `make train` first.")
    workdir = Path(tmp_path_factory.mktemp("scale"))
    overrides = {"CLINIC_CONFIG": str(one_address_clinic_config(workdir))}
    with production_cluster(workdir, overrides=overrides) as running:
        yield running

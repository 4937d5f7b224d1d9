"""The console's tests work on a real SQLite database in the test's own folder."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from staff.db import create_tables


@pytest.fixture
def engine(tmp_path: Path) -> sa.engine.Engine:
    """The tracker store's database with the console's tables, empty."""
    created = sa.create_engine(f"sqlite:///{tmp_path}/t.db")
    create_tables(created)
    return created

"""The tracker store's SQL database, read and changed without Rasa.

Rasa's `SQLTrackerStore` (and this project's windowed one) keep every event
of every conversation in one table, `events`. Staff tools (deleting a
conversation, the staff console) work on that table directly, so the web app
and staff commands need no Rasa install. The database is the one named in
`endpoints.yml` (`tracker_store:`), with `${VAR}` values from the environment
as Rasa fills them in.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
import yaml

from clinic import environment
from clinic.environment import PROJECT_ROOT, EnvironmentVariableError

METADATA = sa.MetaData()
# Rasa 3.6's `SQLTrackerStore.SQLEvent`, column for column.
EVENTS = sa.Table(
    "events",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


class TrackerDatabaseError(ValueError):
    """endpoints.yml names no SQL tracker store, or one this module cannot reach."""


def _substitute(value: Any, env: Mapping[str, str] | None) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return environment.fill_in(value, env)
    except EnvironmentVariableError as error:
        raise TrackerDatabaseError(f"endpoints: {error}") from None


def tracker_store_config(endpoints: Path, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The `tracker_store:` section of an endpoints file, variables filled in."""
    raw = yaml.safe_load(endpoints.read_text(encoding="utf-8")) or {}
    section = raw.get("tracker_store") if isinstance(raw, dict) else None
    if not isinstance(section, dict):
        raise TrackerDatabaseError(f"{endpoints} has no tracker_store: nothing is stored.")
    return {key: _substitute(value, env) for key, value in section.items()}


def database_url(config: Mapping[str, Any], root: Path = PROJECT_ROOT) -> str | sa.engine.URL:
    """The SQLAlchemy URL Rasa's `SQLTrackerStore.get_db_url` builds from the same settings."""
    dialect = str(config.get("dialect") or "sqlite")
    host = config.get("url")
    if host and "://" in str(host):
        return str(host)
    port = config.get("port")
    if host:
        parsed = urlsplit(f"scheme://{host}")
        port = parsed.port or port
        host = parsed.hostname or host
    db = str(config.get("db") or "rasa.db")
    if dialect == "sqlite" and db != ":memory:" and not Path(db).is_absolute():
        db = str(root / db)  # Rasa runs from the project folder
    return sa.engine.URL.create(
        dialect,
        username=config.get("username") or None,
        password=config.get("password") or None,
        host=host or None,
        port=int(port) if port else None,
        database=db,
        query=config.get("query") or {},
    )


def engine_for(endpoints: Path, env: Mapping[str, str] | None = None) -> sa.engine.Engine:
    """An engine on the tracker store's database, as `endpoints` configures it."""
    config = tracker_store_config(endpoints, env)
    kind = str(config.get("type") or "")
    if kind and not (kind == "sql" or kind.endswith("SQLTrackerStore")):
        raise TrackerDatabaseError(f"{kind} is not a SQL tracker store: delete by hand.")
    return sa.create_engine(database_url(config))

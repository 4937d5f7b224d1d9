"""The console's index on PostgreSQL, as the production profile runs it.

Two web replicas index the same tracker store at once (staff/indexer.py claims
each batch in a transaction): every visitor message is indexed exactly once,
and the overview and unanswered groups are the same as on SQLite for the
same conversations; turns an older console indexed get the `hour` and `written`
the indexer writes. A private PostgreSQL server (tests/support/postgres.py),
never the machine's shared one.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.console_seed import seed
from clinic.tracker_db import EVENTS
from staff import indexer
from staff.db import CONVERSATIONS, INDEX_STATE, TURNS, create_tables
from staff.indexer import catch_up
from staff.insights import overview
from staff.turns import OTHER, Turn, hour_of
from staff.unanswered import unanswered_groups
from tests.support.old_console import older
from tests.support.postgres import private_postgres

CONVERSATIONS_SEEDED = 400


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with private_postgres() as server:
        yield server.url


def _count(engine: sa.engine.Engine, table: sa.Table, *where: object) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar()
            or 0
        )


def _index_from_two_replicas(url: str) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def replica() -> None:
        engine = sa.create_engine(url)
        try:
            start.wait()
            idle = 0
            while idle < 3:  # caught up three times in a row: the other one is done too
                idle = idle + 1 if catch_up(engine) == 0 else 0
                time.sleep(0.01)
        except BaseException as error:
            errors.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=replica) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


def test_two_replicas_index_every_message_once_and_agree_with_sqlite(
    postgres_url: str, tmp_path: Path
) -> None:
    postgres = sa.create_engine(postgres_url)
    sqlite = sa.create_engine(f"sqlite:///{tmp_path / 'trackers.db'}")
    for engine in (postgres, sqlite):
        create_tables(engine)
        seed(engine, CONVERSATIONS_SEEDED, days=20)

    assert _index_from_two_replicas(postgres_url) == []
    catch_up(sqlite)

    users = _count(postgres, EVENTS, EVENTS.c.type_name == "user")
    assert users > CONVERSATIONS_SEEDED
    assert _count(postgres, TURNS) == users, "each visitor message indexed exactly once"
    assert _count(postgres, CONVERSATIONS) == CONVERSATIONS_SEEDED
    with postgres.connect() as connection:
        newest = connection.execute(sa.select(sa.func.max(EVENTS.c.id))).scalar()
        state = connection.execute(
            sa.select(INDEX_STATE.c.last_event_id).where(INDEX_STATE.c.name == indexer.STATE)
        ).scalars()
        assert list(state) == [newest]

    now = time.time()
    on_postgres, on_sqlite = overview(postgres, "month", now), overview(sqlite, "month", now)
    assert on_postgres.counts == on_sqlite.counts
    # As the page and its JSON give them: whole numbers (a PostgreSQL sum is a decimal).
    for found in (on_postgres, on_sqlite):
        assert json.loads(json.dumps([found.counts, found.series])) == [found.counts, found.series]
    assert on_postgres.series == on_sqlite.series
    clicks = _count(
        postgres, EVENTS, EVENTS.c.type_name == "user", EVENTS.c.data.like('%"text": "/%')
    )
    assert on_postgres.counts["messages"] == users - clicks, "what visitors wrote"
    assert on_postgres.resolution_rate == on_sqlite.resolution_rate
    groups = [
        sorted((group.count, sorted(group.examples)) for group in unanswered_groups(e, 0, now))
        for e in (postgres, sqlite)
    ]
    assert groups[0] == groups[1] and groups[0], "the same unanswered groups"
    postgres.dispose()
    sqlite.dispose()


def test_turns_indexed_before_hour_and_written_get_the_indexers_values(postgres_url: str) -> None:
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text("CREATE DATABASE old_console"))
    admin.dispose()
    engine = sa.create_engine(postgres_url.rsplit("/", 1)[0] + "/old_console")
    columns = [c.name for c in TURNS.columns if c.name not in ("written", "hour")]
    old_turns = older(TURNS, sa.MetaData(), columns)
    old_turns.create(engine)
    # Times on, just before and just after an hour; PostgreSQL's CAST rounds, floor doesn't.
    said = [
        (1_800_000_000.0, "what is mesotherapy"),
        (1_800_000_000.0 - 0.001, "/greet"),
        (1_800_003_599.5, "and/or"),
        (1_800_003_600.0, " /faq"),
        (0.0, ""),
    ]
    with engine.begin() as connection:
        connection.execute(
            sa.insert(old_turns),
            [
                {"event_id": n, "sender_id": "v", "at": at, "text": text, "outcome": OTHER}
                for n, (at, text) in enumerate(said, start=1)
            ],
        )

    create_tables(engine)

    with engine.connect() as connection:
        found = connection.execute(
            sa.select(TURNS.c.hour, TURNS.c.written).order_by(TURNS.c.event_id)
        ).all()
    assert [tuple(row) for row in found] == [
        (hour_of(at), Turn(0, "v", at, text).written) for at, text in said
    ]
    assert [row.hour for row in found] == [500000, 499999, 500000, 500001, 0]
    engine.dispose()

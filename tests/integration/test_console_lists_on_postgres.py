"""The console's lists and counts on PostgreSQL agree with SQLite for the same conversations.

The safety log's order (unreviewed first), the Conversations page's filters
and pages, the navigation's counts and an Overview over picked dates are
each read from a private PostgreSQL server (tests/support/postgres.py) and
from SQLite, seeded and reviewed alike, and compared.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.console_seed import seed
from staff.badges import waiting_work
from staff.conversation_list import Filters, channels, conversation_page
from staff.db import TURNS, create_tables
from staff.indexer import catch_up
from staff.insights import overview
from staff.periods import period_from
from staff.safety import mark_reviewed, safety_page
from staff.turns import SAFETY
from tests.support.postgres import private_postgres

SEEDED = 300


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[sa.engine.Engine]]:
    """PostgreSQL and SQLite with the same seeded, indexed conversations and reviews."""
    folder = Path(tmp_path_factory.mktemp("lists"))
    with private_postgres() as server:
        engines = [sa.create_engine(server.url), sa.create_engine(f"sqlite:///{folder}/t.db")]
        for engine in engines:
            create_tables(engine)
            seed(engine, SEEDED, days=20)
            catch_up(engine)
        with engines[1].connect() as connection:
            texts = connection.execute(
                sa.select(TURNS.c.sender_id, TURNS.c.text)
                .where(TURNS.c.outcome == SAFETY)
                .order_by(TURNS.c.sender_id)
            ).all()
        for engine in engines:  # every other safety route reviewed, by the same message
            for sender, text in texts[::2]:
                with engine.connect() as connection:
                    event_id = connection.execute(
                        sa.select(TURNS.c.event_id).where(
                            TURNS.c.sender_id == sender, TURNS.c.text == text
                        )
                    ).scalar_one()
                assert mark_reviewed(engine, event_id, "nurse.jo", time.time())
        yield engines
        for engine in engines:
            engine.dispose()


def listed(engine: sa.engine.Engine, filters: Filters, page: int) -> list[tuple[object, ...]]:
    """A page of the list without its times (each database was seeded a moment apart)."""
    return [
        (r.sender_id, r.channel, r.messages, r.first_message, r.outcome, r.matching)
        for r in conversation_page(engine, filters, page).rows
    ]


def routes(engine: sa.engine.Engine, show: str, page: int) -> list[tuple[str, str, bool]]:
    found = safety_page(engine, show, page, per_page=7)
    return [(r.sender_id, r.text, r.reviewed_by is None) for r in found.routes]


@pytest.mark.parametrize("show", ["unreviewed", "reviewed", "all"])
def test_the_safety_log_is_the_same(both: list[sa.engine.Engine], show: str) -> None:
    postgres, sqlite = both
    pages = safety_page(sqlite, show, per_page=7).pages
    assert pages == safety_page(postgres, show, per_page=7).pages
    for page in range(1, pages + 1):
        assert routes(postgres, show, page) == routes(sqlite, show, page)
    if show == "all":
        flags = [open_ for page in range(1, pages + 1) for *_, open_ in routes(sqlite, show, page)]
        assert flags == sorted(flags, reverse=True) and True in flags and False in flags


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(outcome="safety"),
        Filters(outcome="unanswered"),
        Filters(words="SESSIONS"),
        Filters(words="100%"),
        Filters(channel="socketio", outcome="planner"),
    ],
)
def test_the_conversation_list_is_the_same(both: list[sa.engine.Engine], filters: Filters) -> None:
    postgres, sqlite = both
    first = conversation_page(sqlite, filters)
    assert conversation_page(postgres, filters).total == first.total
    for page in (1, 2, first.pages):
        assert listed(postgres, filters, page) == listed(sqlite, filters, page)
    assert channels(postgres) == channels(sqlite)


def test_the_counts_and_a_picked_range_are_the_same(both: list[sa.engine.Engine]) -> None:
    postgres, sqlite = both
    assert waiting_work(postgres) == waiting_work(sqlite)
    assert waiting_work(sqlite).unreviewed_safety > 0
    week_ago = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 7 * 86400))
    period = period_from({"from": week_ago, "to": time.strftime("%Y-%m-%d")}, time.time())
    found = [overview(e, period.buckets, period.until, period.since) for e in both]
    assert found[0].counts == found[1].counts and found[0].series == found[1].series

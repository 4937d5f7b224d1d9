"""The console's tables made by an older console are brought up to date (staff/db.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa
from argon2 import PasswordHasher

from staff.accounts import ADMIN, STAFF, accounts, verify
from staff.db import CONVERSATIONS, TURNS, create_tables
from staff.indexer import index_new_events
from staff.insights import overview
from staff.periods import DAYS
from staff.sign_in import FULL, session_for
from staff.turns import ANSWERED, CONTACT, HOUR_S, NOT_COVERED, OTHER, SAFETY, Turn
from tests.support.old_console import old_console, older
from tests.unit.staff.helpers import DAY, NOW, Visit, snapshot, store

PASSWORD = "a password from before roles"


def test_an_old_console_gets_roles_and_its_first_account_is_the_administrator(
    tmp_path: Path,
) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path}/old.db")
    hashed = PasswordHasher().hash(PASSWORD)
    token = "a-session-from-before"
    old_console(
        engine,
        {"reception": (hashed, 2000.0), "manager": (hashed, 1000.0), "nurse": (hashed, 3000.0)},
        {hashlib.sha256(token.encode()).hexdigest(): "reception"},
    )

    create_tables(engine)

    roles = {found.name: found.role for found in accounts(engine)}
    assert roles == {"manager": ADMIN, "reception": STAFF, "nurse": STAFF}, "the oldest one"
    assert all(verify(engine, name, PASSWORD) for name in roles), "passwords still work"
    session = session_for(engine, token)
    assert session is not None and session.stage == FULL and session.role == STAFF
    assert not sa.inspect(engine).has_table("staff_login_failures")

    # Starting again changes nothing: no second administrator, however the roles are set.
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE staff_accounts SET role = 'staff'"))
    create_tables(engine)
    assert {found.role for found in accounts(engine)} == {STAFF}


def test_a_new_console_has_no_account_and_no_administrator(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path}/new.db")
    create_tables(engine)
    create_tables(engine)
    assert accounts(engine) == []


def test_turns_indexed_before_the_resolution_columns_keep_their_resolved_count(
    tmp_path: Path,
) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path}/old.db")
    columns = [c.name for c in TURNS.columns if c.name not in ("objection", "resolved")]
    old_turns = older(TURNS, sa.MetaData(), columns)
    old_turns.create(engine)
    with engine.begin() as connection:
        connection.execute(
            sa.insert(old_turns),
            [
                {
                    "event_id": n,
                    "sender_id": "v",
                    "at": 1.0,
                    "text": "q",
                    "outcome": outcome,
                    "feedback": feedback,
                }
                for n, (outcome, feedback) in enumerate(
                    [
                        (ANSWERED, None),
                        (ANSWERED, "down"),
                        (SAFETY, "up"),
                        (CONTACT, None),
                        (NOT_COVERED, None),
                    ],
                    start=1,
                )
            ],
        )

    create_tables(engine)
    create_tables(engine)

    with engine.connect() as connection:
        found = connection.execute(
            sa.select(TURNS.c.event_id, TURNS.c.resolved, TURNS.c.objection).order_by("event_id")
        ).all()
    assert [(r.event_id, r.resolved, r.objection) for r in found] == [
        (1, True, None),
        (2, False, None),
        (3, True, None),
        (4, False, None),
        (5, False, None),
    ]


def test_turns_indexed_before_the_ratings_index_get_it(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path}/old.db")
    older(TURNS, sa.MetaData(), [c.name for c in TURNS.columns]).create(engine)
    assert "ix_staff_turns_rated" not in indexes(engine, TURNS)

    create_tables(engine)
    create_tables(engine)

    assert indexes(engine, TURNS) == {index.name for index in TURNS.indexes}


def indexes(engine: sa.engine.Engine, table: sa.Table) -> set[str]:
    return {str(index["name"]) for index in sa.inspect(engine).get_indexes(table.name)}


def test_turns_indexed_before_the_written_column_are_told_apart_from_clicks(
    tmp_path: Path,
) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path}/old.db")
    old_turns = older(TURNS, sa.MetaData(), [c.name for c in TURNS.columns if c.name != "written"])
    old_turns.create(engine)
    texts = ["what is mesotherapy", "/greet", "/feedback_down", "and/or", " /faq", "", "🙂"]
    with engine.begin() as connection:
        connection.execute(
            sa.insert(old_turns),
            [
                {"event_id": n, "sender_id": "v", "at": 1.0, "text": text, "outcome": OTHER}
                for n, text in enumerate(texts, start=1)
            ],
        )

    create_tables(engine)
    create_tables(engine)

    with engine.connect() as connection:
        found = connection.execute(
            sa.select(TURNS.c.text, TURNS.c.written).order_by(TURNS.c.event_id)
        ).all()
    assert [(text, bool(written)) for text, written in found] == [
        (text, Turn(0, "v", 1.0, text).written) for text in texts
    ]
    assert [text for text, written in found if not written] == ["/greet", "/feedback_down"]


def said_at(
    sender: str, at: float, text: str, intent: str, response: str
) -> list[dict[str, object]]:
    """A visitor message stored at exactly `at`, and its answer."""
    visit = Visit(sender, at - 20.0)  # a visitor message comes 20 s after the writer's clock
    visit.ask(text, intent, response)
    return visit.take()


def test_turns_indexed_before_hour_and_written_give_the_indexers_figures(
    tmp_path: Path,
) -> None:
    fresh = sa.create_engine(f"sqlite:///{tmp_path}/fresh.db")
    create_tables(fresh)
    hour = int(NOW) // HOUR_S - 5  # NOW is on the hour
    rated = Visit("rated", NOW - 3 * DAY).start()
    rated.ask("what is mesotherapy", "faq", "utter_faq/what_is").thumbs(up=False).missing("price")
    store(
        fresh,
        said_at("on-the-hour", hour * HOUR_S, "what is it", "faq", "utter_faq/what_is")
        + said_at("just-before", hour * HOUR_S - 0.001, "does it hurt", "faq", "utter_faq/pain")
        + said_at("a-click", hour * HOUR_S + 0.5, "/greet", "greet", "utter_greet_first")
        + said_at(
            "days-ago", NOW - 6.5 * DAY + 0.25, "how to prepare", "faq", "utter_faq/preparation"
        )
        + said_at("at-now", NOW, "can i exercise after", "faq", "utter_faq/exercise_after")
        + rated.take(),
    )
    index_new_events(fresh)
    indexed, talks = snapshot(fresh)
    assert [(t["hour"], t["written"]) for t in indexed[:3]] == [
        (hour, True),
        (hour - 1, True),
        (hour, False),
    ]

    old = sa.create_engine(f"sqlite:///{tmp_path}/old.db")
    columns = [c.name for c in TURNS.columns if c.name not in ("written", "hour")]
    old_turns = older(TURNS, sa.MetaData(), columns)
    old_turns.create(old)
    with old.begin() as connection:
        connection.execute(sa.insert(old_turns), [{c: t[c] for c in columns} for t in indexed])
    create_tables(old)
    with old.begin() as connection:
        connection.execute(sa.insert(CONVERSATIONS), talks)

    assert snapshot(old) == snapshot(fresh)
    for period in DAYS:
        assert overview(old, period, NOW) == overview(fresh, period, NOW)
        assert overview(old, period, NOW).counts["messages"] > 0

"""Canned replies kept in the console's database (staff/canned.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from staff import canned

NOW = 1_790_000_000.0


def test_a_reply_is_kept_tidied_found_by_id_and_gone_once_deleted(
    engine: sa.engine.Engine,
) -> None:
    first = canned.add(engine, "  Prices\n  and  offers ", " From £150. \n", "ana", NOW)
    second = canned.add(engine, "Aftercare", "Sunscreen, please.", "ben", NOW)
    found = canned.reply(engine, first)
    assert found is not None and (found.title, found.text) == ("Prices and offers", "From £150.")
    assert [r.title for r in canned.replies(engine)] == ["Aftercare", "Prices and offers"]
    assert canned.delete(engine, first) and not canned.delete(engine, first)
    assert canned.reply(engine, first) is None
    assert canned.reply(engine, second) is not None


def test_an_edit_of_a_deleted_reply_says_so(engine: sa.engine.Engine) -> None:
    gone = canned.add(engine, "Old", "text", "ana", NOW)
    canned.delete(engine, gone)
    assert not canned.edit(engine, gone, "New", "text", "ana", NOW + 1)


@pytest.mark.parametrize(("title", "text"), [("", "text"), ("t" * 81, "text"), ("t", " ")])
def test_a_title_or_text_out_of_bounds_is_refused_with_a_reason(
    engine: sa.engine.Engine, title: str, text: str
) -> None:
    with pytest.raises(canned.CannedReplyError):
        canned.add(engine, title, text, "ana", NOW)
    assert canned.replies(engine) == []

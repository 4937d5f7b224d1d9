"""Two-factor sign-in (staff/two_factor.py): setting it up, codes good once, recovery codes."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import sqlalchemy as sa

from staff.accounts import add_account
from staff.db import ACCOUNTS, RECOVERY_CODES
from staff.two_factor import (
    RECOVERY_CODE_COUNT,
    STEP_S,
    check_code,
    confirm,
    grouped,
    is_on,
    looks_like_recovery_code,
    new_recovery_codes,
    pending_secret,
    qr_code,
    recovery_codes_left,
    setup_link,
    switch_off,
    use_recovery_code,
)
from tests.unit.staff.helpers import NOW
from tests.unit.staff.totp import code_at

PASSWORD = "correct horse battery"


@pytest.fixture
def alice(engine: sa.engine.Engine) -> str:
    add_account(engine, "alice", PASSWORD)
    return "alice"


def switched_on(engine: sa.engine.Engine, name: str, at: float = NOW) -> tuple[str, list[str]]:
    secret = pending_secret(engine, name)
    codes = confirm(engine, name, code_at(secret, at), now=at)
    assert codes is not None
    return secret, codes


def test_it_is_on_only_once_a_code_confirms_the_secret(
    engine: sa.engine.Engine, alice: str
) -> None:
    secret = pending_secret(engine, alice)
    assert pending_secret(engine, alice) == secret, "a reload shows the same QR code"
    assert not is_on(engine, alice)
    assert check_code(engine, alice, code_at(secret, NOW), now=NOW) is False, "not on yet"

    right = code_at(secret, NOW)
    assert confirm(engine, alice, f"{(int(right) + 1) % 10**6:06d}", now=NOW) is None
    assert confirm(engine, alice, code_at(secret, NOW - 10 * STEP_S), now=NOW) is None
    assert not is_on(engine, alice)

    codes = confirm(engine, alice, right, now=NOW)
    assert codes is not None and len(codes) == RECOVERY_CODE_COUNT
    assert is_on(engine, alice)
    with engine.connect() as connection:
        row = connection.execute(sa.select(ACCOUNTS).where(ACCOUNTS.c.name == alice)).one()
    assert row.totp_secret == secret and row.totp_pending is None


def test_a_code_is_good_once_and_never_an_older_one(engine: sa.engine.Engine, alice: str) -> None:
    secret, _ = switched_on(engine, alice)
    later = NOW + 5 * STEP_S
    code = code_at(secret, later)
    assert check_code(engine, alice, code, now=later) is True
    assert check_code(engine, alice, code, now=later) is False, "replayed in its window"
    assert check_code(engine, alice, code, now=later + STEP_S) is False, "still within the drift"
    older = code_at(secret, later - STEP_S)
    assert older != code
    assert check_code(engine, alice, older, now=later) is False, "an earlier step than one used"
    newer = NOW + 7 * STEP_S
    assert check_code(engine, alice, code_at(secret, newer), now=newer) is True


def test_the_enrolment_code_is_not_good_again_for_signing_in(
    engine: sa.engine.Engine, alice: str
) -> None:
    secret = pending_secret(engine, alice)
    code = code_at(secret, NOW)
    assert confirm(engine, alice, code, now=NOW) is not None
    assert check_code(engine, alice, code, now=NOW) is False


def test_a_phone_a_step_off_is_accepted_but_not_two(engine: sa.engine.Engine, alice: str) -> None:
    secret, _ = switched_on(engine, alice, NOW - 100 * STEP_S)
    assert check_code(engine, alice, code_at(secret, NOW - STEP_S), now=NOW) is True
    assert check_code(engine, alice, code_at(secret, NOW + STEP_S), now=NOW) is True
    assert check_code(engine, alice, code_at(secret, NOW + 3 * STEP_S), now=NOW) is False


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "12 34 5x", "٣٣٣٣٣٣"])
def test_malformed_codes_are_refused(engine: sa.engine.Engine, alice: str, typed: str) -> None:
    switched_on(engine, alice)
    assert check_code(engine, alice, typed, now=NOW + STEP_S) is False


def test_a_code_with_spaces_is_read(engine: sa.engine.Engine, alice: str) -> None:
    secret, _ = switched_on(engine, alice)
    code = code_at(secret, NOW + 3 * STEP_S)
    assert check_code(engine, alice, f"{code[:3]} {code[3:]}", now=NOW + 3 * STEP_S) is True


def test_recovery_codes_work_once_each_and_are_stored_hashed(
    engine: sa.engine.Engine, alice: str
) -> None:
    _, codes = switched_on(engine, alice)
    assert len(set(codes)) == RECOVERY_CODE_COUNT
    assert all(re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code) for code in codes)
    with engine.connect() as connection:
        stored = list(connection.execute(sa.select(RECOVERY_CODES.c.code_hash)).scalars())
    assert len(stored) == RECOVERY_CODE_COUNT
    assert not {code.replace("-", "") for code in codes} & set(stored)
    assert all(code not in stored for code in codes)

    first = codes[0]
    assert looks_like_recovery_code(first)
    assert use_recovery_code(engine, alice, first.lower().replace("-", " ")) is True
    assert use_recovery_code(engine, alice, first) is False, "used"
    assert recovery_codes_left(engine, alice) == RECOVERY_CODE_COUNT - 1
    assert use_recovery_code(engine, alice, "AAAA-BBBB-CCCC-DDDD") is False


def test_new_recovery_codes_replace_the_old(engine: sa.engine.Engine, alice: str) -> None:
    _, old = switched_on(engine, alice)
    new = new_recovery_codes(engine, alice, now=NOW)
    assert not set(old) & set(new)
    assert use_recovery_code(engine, alice, old[1]) is False
    assert use_recovery_code(engine, alice, new[1]) is True


def test_one_accounts_recovery_code_is_not_anothers(engine: sa.engine.Engine, alice: str) -> None:
    add_account(engine, "bob", PASSWORD)
    _, codes = switched_on(engine, alice)
    switched_on(engine, "bob")
    assert use_recovery_code(engine, "bob", codes[0]) is False
    assert use_recovery_code(engine, alice, codes[0]) is True


def test_switching_off_forgets_the_secret_and_codes(engine: sa.engine.Engine, alice: str) -> None:
    secret, codes = switched_on(engine, alice)
    switch_off(engine, alice)
    assert not is_on(engine, alice)
    assert use_recovery_code(engine, alice, codes[2]) is False
    assert recovery_codes_left(engine, alice) == 0
    assert pending_secret(engine, alice) != secret, "set up again with a new secret"


def test_the_qr_code_is_an_svg_of_the_setup_link(engine: sa.engine.Engine, alice: str) -> None:
    secret = pending_secret(engine, alice)
    link = setup_link(secret, alice, "Glow Clinic staff console")
    parts = urlsplit(link)
    assert parts.scheme == "otpauth" and parts.netloc == "totp"
    assert unquote(parts.path) == "/Glow Clinic staff console:alice"
    assert parse_qs(parts.query)["secret"] == [secret]

    image = qr_code(link)
    assert image.startswith("data:image/svg+xml")
    svg = unquote(image.split(",", 1)[1]) if ";base64" not in image else ""
    if not svg:
        svg = base64.b64decode(image.split(",", 1)[1]).decode()
    assert "<svg" in svg and "<path" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", ""), "nothing to fetch"
    assert grouped("ABCDEFGHIJ") == "ABCD EFGH IJ"

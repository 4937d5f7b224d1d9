"""A chat session token opens only the conversation it was issued for."""

from __future__ import annotations

import stat
from pathlib import Path

import jwt
import pytest

from clinic.guard.session_tokens import (
    KEY_ENV,
    KEY_FILE_ENV,
    LIFETIME_S,
    SessionKeyError,
    issue_token,
    load_key,
    new_session_id,
    session_of,
)

KEY = "k" * 64  # long enough for the HS512 token below too (PyJWT warns under 64 bytes)


def test_a_token_names_its_session() -> None:
    session = new_session_id()
    assert session_of(issue_token(KEY, session), KEY) == session
    assert session_of("Bearer " + issue_token(KEY, session), KEY) == session


def test_session_ids_are_random_and_long() -> None:
    ids = {new_session_id() for _ in range(100)}
    assert len(ids) == 100 and all(len(value) == 32 for value in ids)


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        42,
        "not-a-token",
        issue_token("x" * 48, "abc"),  # another key
        issue_token(KEY, "abc", now=1_000_000),  # long expired
        jwt.encode({"sub": "abc", "aud": "clinic-chat"}, KEY, algorithm="HS256"),  # no expiry
        jwt.encode({"sub": "abc", "exp": 9_999_999_999}, KEY, algorithm="HS256"),  # no audience
        jwt.encode(
            {"sub": "abc", "aud": "clinic-chat", "exp": 9_999_999_999}, KEY, algorithm="HS512"
        ),
        "x" * 5000,
    ],
)
def test_anything_but_a_valid_token_opens_nothing(token: object) -> None:
    assert session_of(token, KEY) is None


def test_an_unsigned_token_is_refused() -> None:
    header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"  # {"alg":"none","typ":"JWT"}
    payload = jwt.utils.base64url_encode(b'{"sub":"abc","aud":"clinic-chat","exp":9999999999}')
    assert session_of(f"{header}.{payload.decode()}.", KEY) is None


def test_a_token_lasts_its_lifetime() -> None:
    token = issue_token(KEY, "abc")
    claims = jwt.decode(token, KEY, algorithms=["HS256"], audience="clinic-chat")
    assert claims["exp"] - claims["iat"] == LIFETIME_S


def test_the_key_comes_from_the_environment_first(tmp_path: Path) -> None:
    env = {KEY_ENV: KEY, KEY_FILE_ENV: str(tmp_path / "unused.key")}
    assert load_key(env) == KEY
    assert not (tmp_path / "unused.key").exists()


def test_without_one_a_private_key_file_is_made_once_and_reused(tmp_path: Path) -> None:
    env = {KEY_FILE_ENV: str(tmp_path / "var" / "chat.key")}
    first = load_key(env)
    assert load_key(env) == first and len(first) >= 32
    mode = stat.S_IMODE((tmp_path / "var" / "chat.key").stat().st_mode)
    assert mode == 0o600


def test_a_short_key_is_refused_with_what_to_do() -> None:
    with pytest.raises(SessionKeyError, match=KEY_ENV):
        load_key({KEY_ENV: "short"})

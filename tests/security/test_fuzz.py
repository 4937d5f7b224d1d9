"""Fuzzing the running Rasa server (REST) and web app with arbitrary input.

Hypothesis sends a bounded number of requests: arbitrary JSON, raw bytes,
message-shaped bodies with any Unicode (emoji, right-to-left text, control
characters, lone surrogates) and any types. None may get a 5xx answer, and
every few cases a visitor asking a normal question still gets the normal
answer, so the server never stops answering the next visitor.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.conftest import Site

VISITOR_CASES = 150
ANY_CASES = 150
WEB_CASES = 120
CHECK_EVERY = 10
ALLOWED_REST = {200, 400, 413, 429}
NORMAL_QUESTION = "what is mesotherapy?"
NORMAL_ANSWER = "minimally invasive"

AWKWARD_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), min_size=1),
    st.from_regex(r"[A-Za-z ?!'-]{1,60}", fullmatch=True),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs"])),
    st.text(alphabet="مرحباשלוםאבג\u200f\u200e\u202e\u202b 😀👩🏽‍⚕️🇬🇧💉✨\u200d\ufe0f", min_size=1),
    st.text(alphabet=st.characters(categories=["Cs"]), max_size=5),
    st.sampled_from(["", " ", "/greet", "/faq/what_is", '/inform{"x": 1}', "/", "{}"]),
    st.text(min_size=990, max_size=1100),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | AWKWARD_TEXT,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
MESSAGE_BODIES = st.fixed_dictionaries(
    {},
    optional={
        "sender": st.one_of(st.uuids().map(lambda value: f"fuzz-{value}"), JSON_VALUES),
        "message": st.one_of(AWKWARD_TEXT, JSON_VALUES),
        "metadata": JSON_VALUES,
        "input_channel": JSON_VALUES,
    },
)


def _encoded(value: Any, ensure_ascii: bool) -> bytes:
    return json.dumps(value, ensure_ascii=ensure_ascii).encode("utf-8", "surrogatepass")


VISITOR_MESSAGES = st.fixed_dictionaries(
    {"sender": st.uuids().map(lambda value: f"fuzz-{value}"), "message": AWKWARD_TEXT}
)
ANY_BODIES = st.one_of(
    st.builds(_encoded, MESSAGE_BODIES, st.booleans()),
    st.builds(_encoded, JSON_VALUES, st.booleans()),
    st.binary(max_size=2000),
    st.text().map(lambda text: text.encode("utf-8")),
)
VISITOR_BODIES = st.builds(_encoded, VISITOR_MESSAGES, st.booleans())
CONTENT_TYPES = st.sampled_from(["application/json", "text/plain", "", "application/x-www-form"])


def _normal_visitor_is_answered(site: Site) -> None:
    reply = site.bot.text_of(f"fuzz-check-{uuid.uuid4().hex[:8]}", NORMAL_QUESTION)
    assert NORMAL_ANSWER in reply, reply


def _fuzz_rest(site: Site, bodies: st.SearchStrategy[bytes], cases: int) -> dict[int, int]:
    """Send `cases` bodies; no 5xx, and a normal question answered every CHECK_EVERY cases."""
    statuses: dict[int, int] = {}

    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(body=bodies, content_type=CONTENT_TYPES)
    def case(body: bytes, content_type: str) -> None:
        headers = {"Content-Type": content_type} if content_type else {}
        reply = requests.post(
            f"{site.bot.url}/webhooks/rest/webhook", data=body, headers=headers, timeout=60
        )
        statuses[reply.status_code] = statuses.get(reply.status_code, 0) + 1
        assert reply.status_code in ALLOWED_REST, (reply.status_code, body[:200], reply.text)
        assert isinstance(reply.json(), list if reply.status_code == 200 else dict)
        if sum(statuses.values()) % CHECK_EVERY == 0:
            _normal_visitor_is_answered(site)

    case()
    _normal_visitor_is_answered(site)
    assert sum(statuses.values()) >= cases // 2
    return statuses


def test_visitor_messages_of_any_text_get_an_answer_or_a_clear_400(site: Site) -> None:
    statuses = _fuzz_rest(site, VISITOR_BODIES, VISITOR_CASES)
    print(f"\nREST fuzz, visitor messages: {sorted(statuses.items())}")
    assert statuses.get(200, 0) > sum(statuses.values()) // 2


def test_any_body_gets_no_server_error_and_visitors_are_still_answered(site: Site) -> None:
    statuses = _fuzz_rest(site, ANY_BODIES, ANY_CASES)
    print(f"\nREST fuzz, any body: {sorted(statuses.items())}")


PATHS = st.one_of(
    st.sampled_from(["/", "/chat/session", "/health", "/static/webchat.js", "/calendars/"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_./%~", max_size=40).map(
        lambda path: "/" + path
    ),
    st.text(max_size=20).map(lambda text: "/calendars/" + requests.utils.quote(text, safe="")),
)


def test_no_web_app_request_gets_a_server_error(site: Site) -> None:
    seen: dict[int, int] = {}

    @settings(max_examples=WEB_CASES, deadline=None, database=None)
    @given(
        method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "OPTIONS"]),
        path=PATHS,
        body=st.binary(max_size=500),
        cookie=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=300),
    )
    def case(method: str, path: str, body: bytes, cookie: str) -> None:
        reply = requests.request(
            method,
            f"{site.web_url}{path}",
            data=body,
            headers={"Cookie": f"clinic_chat={cookie}"},
            timeout=30,
        )
        seen[reply.status_code] = seen.get(reply.status_code, 0) + 1
        assert reply.status_code < 500, (method, path, reply.status_code, reply.text[:200])

    case()
    print(f"\nweb app fuzz: statuses {sorted(seen.items())}")
    assert sum(seen.values()) >= WEB_CASES // 2
    _normal_visitor_is_answered(site)

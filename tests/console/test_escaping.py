"""Visitor text is shown as text: stored HTML and template syntax don't run in staff pages.

The test store has visitors who wrote `<script>…`, an attribute breakout and
Jinja syntax: as unanswered messages, as safety routes, as 👎'd questions and
what was missing. Every page showing them escapes them and sends a
Content-Security-Policy without inline scripts; the CSV export can't run a
spreadsheet formula and has no phone numbers or emails.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote, quote_plus

import pytest
import requests

from staff.export import HEADER
from staff.unanswered import key_of
from tests.console.conftest import (
    CONTACT_DETAILS,
    FORMULA,
    IMG,
    PAYLOADS,
    SCRIPT,
    TEMPLATE,
    XSS_FEEDBACK,
    XSS_SAFETY,
    XSS_UNANSWERED,
    Staff,
)

ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMG = "&gt;&lt;img src=x onerror=alert(1)&gt;"
PAGES = (
    "/staff/unanswered",
    "/staff/unanswered?period=week",
    *(f"/staff/unanswered/group?key={quote_plus(key_of(p))}" for p in PAYLOADS),
    "/staff/safety?show=all",
    "/staff/feedback",
    f"/staff/conversations/{XSS_UNANSWERED}",
    f"/staff/conversations/{XSS_SAFETY}",
    f"/staff/conversations/{XSS_FEEDBACK}",
    *(f"/staff/conversations?q={quote(payload)}" for payload in PAYLOADS),
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def assert_no_markup_from_visitors(page: str) -> None:
    assert SCRIPT not in page
    assert "<img" not in page.lower()
    assert "onerror=alert(1)>" not in page
    # The only scripts are the console's own files and JSON data.
    for tag in re.findall(r"<script\b[^>]*>", page, flags=re.IGNORECASE):
        assert re.fullmatch(
            r'<script (src="/staff/static/[\w.]+"|type="application/json" id="[\w-]+")>', tag
        ), tag


def assert_strict_policy(reply: requests.Response) -> None:
    policy = reply.headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives.get("script-src") == ["'self'"], policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert directives.get("default-src") == ["'none'"]
    assert reply.headers.get("X-Content-Type-Options") == "nosniff"


@pytest.mark.parametrize("path", PAGES)
def test_a_page_shows_visitor_markup_as_text(staff: Staff, path: str) -> None:
    reply = staff.get(path)
    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("text/html")
    assert_strict_policy(reply)
    assert_no_markup_from_visitors(reply.text)


@pytest.mark.parametrize("path", PAGES)
def test_each_payload_is_on_the_page_escaped(staff: Staff, path: str) -> None:
    """Each page does show the visitors' messages, escaped (so the checks above mean something);
    `{{7*7}}` is shown as written, not evaluated."""
    page = staff.page(path)
    searched = [
        p for p in PAYLOADS if f"?q={quote(p)}" in path or f"?key={quote_plus(key_of(p))}" in path
    ]
    shown = searched or list(PAYLOADS)
    escaped = {SCRIPT: ESCAPED_SCRIPT, IMG: ESCAPED_IMG, TEMPLATE: TEMPLATE}
    for payload in shown:
        assert escaped[payload] in page
    if TEMPLATE in shown:
        assert ">49<" not in page, "{{7*7}} was evaluated"


@pytest.mark.parametrize(
    "path",
    ["/staff/overview", "/staff/overview?period=month", "/staff/conversations", "/staff/login"],
)
def test_every_page_sends_the_policy(staff: Staff, path: str) -> None:
    reply = staff.get(path)
    assert reply.status_code == 200
    assert_strict_policy(reply)


def test_a_conversation_id_in_the_address_is_not_reflected_as_markup(staff: Staff) -> None:
    reply = staff.get(f"/staff/conversations/{quote(SCRIPT, safe='')}")
    assert reply.status_code == 404
    assert SCRIPT not in reply.text
    reply = staff.get(f"/staff/conversations?q={quote(IMG + SCRIPT)}")
    assert reply.status_code == 200
    assert SCRIPT not in reply.text and "<img" not in reply.text


def test_the_json_export_is_json_not_a_page(staff: Staff) -> None:
    reply = staff.get(f"/staff/conversations/{XSS_UNANSWERED}/export.json")
    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in reply.headers["Content-Disposition"]
    found = reply.json()
    assert found["conversation"] == XSS_UNANSWERED
    visitor = [line["text"] for line in found["lines"] if line["who"] == "visitor"]
    assert visitor == list(PAYLOADS), "the export is the conversation as stored"


def _csv_examples(staff: Staff) -> list[str]:
    reply = staff.get("/staff/unanswered.csv")
    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("text/csv")
    assert re.fullmatch(
        r'attachment; filename="unanswered-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv"',
        reply.headers["Content-Disposition"],
    )
    rows = list(csv.reader(io.StringIO(reply.text)))
    assert rows[0] == HEADER
    return [row[HEADER.index("message")] for row in rows[1:]]


def test_the_csv_export_runs_no_formula(staff: Staff) -> None:
    examples = _csv_examples(staff)
    assert "'" + FORMULA in examples
    assert FORMULA not in examples
    for example in examples:
        assert not example.startswith(FORMULA_START), example


def test_the_csv_export_has_no_phone_numbers_or_emails(staff: Staff) -> None:
    examples = _csv_examples(staff)
    assert "call me on [phone] or [email]" in examples
    body = "\n".join(examples)
    assert "07700 900123" not in body and "900123" not in body
    assert "jane@example.com" not in body
    assert CONTACT_DETAILS not in examples
    # The visitor texts with markup are exported as written (a CSV is not a page).
    assert SCRIPT in examples

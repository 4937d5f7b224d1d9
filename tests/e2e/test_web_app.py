"""The clinic's web app, run as a real HTTP server: page, widget, calendars, health."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.support.servers import ROOT, free_port, stop, wait_for


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    calendars = tmp_path_factory.mktemp("calendars")
    port = free_port()
    log = calendars / "web.log"
    env = {**os.environ, "CALENDAR_DIR": str(calendars)}
    unreachable_rasa = f"http://127.0.0.1:{free_port()}"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "web.app", "--port", str(port), "--rasa-url", unreachable_rasa],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/", process, log, timeout=60)
        yield url, calendars
    finally:
        stop(process)


def test_the_page_embeds_the_widget_pointing_at_rasa(web: tuple[str, Path]) -> None:
    url, _ = web
    page = requests.get(f"{url}/", timeout=5)
    assert page.status_code == 200
    assert '<script src="/static/chat.js" defer></script>' in page.text
    assert 'data-rasa-url="http://127.0.0.1:' in page.text
    for name, marker in (
        ("deep-chat.js", 'customElements.define("deep-chat"'),
        ("socket.io.min.js", "Socket.IO"),
        ("chat.js", 'fetch("/chat/session"'),
    ):
        widget = requests.get(f"{url}/static/{name}", timeout=5)
        assert widget.status_code == 200 and marker in widget.text, name
        assert widget.headers["content-type"].startswith("application/javascript")
    # The clinic's script sends the page's chat token when it connects (web/static/chat.js).
    assert "auth: {token: token}" in requests.get(f"{url}/static/chat.js", timeout=5).text
    assert requests.get(f"{url}/static/other.js", timeout=5).status_code == 404


def test_a_browser_gets_a_chat_session_with_a_token_for_it(web: tuple[str, Path]) -> None:
    url, _ = web
    reply = requests.post(f"{url}/chat/session", timeout=5)
    assert reply.status_code == 200 and reply.headers["cache-control"] == "no-store"
    chat = reply.json()
    assert len(chat["session_id"]) == 32 and chat["token"].count(".") == 2
    assert "clinic_chat=" in reply.headers["set-cookie"]


def test_a_planned_calendar_downloads_as_ics(web: tuple[str, Path]) -> None:
    url, calendars = web
    (calendars / "mesotherapy-abcdefgh1234.ics").write_bytes(
        b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    )
    reply = requests.get(f"{url}/calendars/mesotherapy-abcdefgh1234.ics", timeout=5)
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/calendar")
    assert "attachment" in reply.headers["content-disposition"]


@pytest.mark.parametrize("name", ["..%2F..%2Fclinic.yml", "other.ics", "mesotherapy-missing1.ics"])
def test_anything_else_under_calendars_is_not_found(web: tuple[str, Path], name: str) -> None:
    url, _ = web
    assert requests.get(f"{url}/calendars/{name}", timeout=5).status_code == 404


def test_health_reports_rasa_unreachable(web: tuple[str, Path]) -> None:
    url, _ = web
    reply = requests.get(f"{url}/health", timeout=10)
    assert reply.status_code == 503
    assert reply.json() == {"status": "degraded", "rasa": False, "rasa_health": {}}

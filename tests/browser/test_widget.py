"""The chat widget in a real browser (Debian's Chromium, headless) against the real servers.

Screenshots (desktop and a 375 px phone) are saved under tests/artifacts/, and
of both for a clinic with a very long name (widget-long-name-*.png). The
widget's header is checked on each: its title, subtitle and buttons must not
overlap or be cut off (tests/browser/layout.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

from tests.browser.layout import header_problems
from tests.support.servers import ROOT, free_port, running_bot, stop, wait_for

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 375, "height": 740}
# A name that wraps to three or four lines in the widget's header.
LONG_NAME = (
    "The Very Long Named Example Aesthetics and Skin Wellbeing Clinic of North London (placeholder)"
)


@contextmanager
def serving(workdir: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """The action server, Rasa and the web app, all with `extra_env`; yields the page's URL."""
    web_port = free_port()
    env = {
        "CALENDAR_DIR": str(workdir / "calendars"),
        "CALENDAR_BASE_URL": f"http://127.0.0.1:{web_port}/calendars",
        **(extra_env or {}),
    }
    origin = f"http://127.0.0.1:{web_port}"
    with running_bot(workdir, extra_env=env, rasa_args=("--cors", origin)) as bot:
        log = workdir / "web.log"
        with log.open("wb") as handle:
            web = subprocess.Popen(
                [sys.executable, "-m", "web.app", "--port", str(web_port), "--rasa-url", bot.url],
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_for(f"http://127.0.0.1:{web_port}/health", web, log, timeout=60)
            yield f"http://127.0.0.1:{web_port}/"
        finally:
            stop(web)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tmp_path_factory.mktemp("site")) as url:
        yield url


@pytest.fixture(scope="module")
def long_name_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same servers for a copy of clinic.yml naming the clinic `LONG_NAME` (CLINIC_CONFIG)."""
    workdir = tmp_path_factory.mktemp("long-name")
    clinic = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))
    clinic["name"] = LONG_NAME
    config = workdir / "clinic.yml"
    config.write_text(yaml.safe_dump(clinic, allow_unicode=True), encoding="utf-8")
    with serving(workdir, {"CLINIC_CONFIG": str(config)}) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make setup-browser` installs Debian's chromium.")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def bot_says(page: Page, text: str) -> None:
    expect(page.locator(".rw-response", has_text=text).last).to_be_visible(timeout=30_000)


def send(page: Page, text: str) -> None:
    page.locator(".rw-new-message").fill(text)
    page.locator(".rw-new-message").press("Enter")


def open_chat(page: Page, url: str) -> None:
    """Load the page and open the chat window unless it reopened by itself."""
    page.goto(url)
    launcher = page.locator(".rw-launcher")
    launcher.wait_for(state="visible", timeout=30_000)
    page.wait_for_timeout(500)  # the widget restores its open/closed state
    if not page.locator(".rw-conversation-container").is_visible():
        launcher.click()
    expect(page.locator(".rw-conversation-container")).to_be_visible()


def assert_header_is_readable(page: Page, where: str) -> None:
    """The header's title, subtitle and buttons neither overlap nor run out of it."""
    problems = header_problems(page)
    assert not problems, f"The widget's header on {where}: " + "; ".join(problems)


def test_a_visitor_asks_clicks_reloads_and_plans(browser: Browser, site: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    open_chat(page, site)
    bot_says(page, "not medical advice")  # privacy notice on first open
    assert_header_is_readable(page, "desktop")

    # Keyboard and screen readers: named controls, messages announced.
    expect(page.get_by_role("button", name="Send message")).to_be_attached()
    expect(page.get_by_role("textbox", name="Your message")).to_be_editable()
    expect(page.get_by_role("log")).to_be_attached()

    send(page, "what is mesotherapy?")
    bot_says(page, "minimally invasive")
    page.locator(".rw-reply", has_text="How many sessions will I need?").last.click()
    bot_says(page, "between 3 and")
    expect(page.locator(".rw-response strong").first).to_be_visible()  # bold is rendered

    page.reload()
    open_chat(page, site)
    bot_says(page, "minimally invasive")  # the conversation survived the reload

    second_tab = context.new_page()
    open_chat(second_tab, site)
    bot_says(second_tab, "minimally invasive")  # and shows in a second tab

    start = date.today() + timedelta(days=10)
    send(page, f"plan 4 sessions starting {start:%-d %B %Y}")
    bot_says(page, "main concern")
    send(page, "skip")
    bot_says(page, "Which days suit you")
    send(page, "any day")
    bot_says(page, "treatments planned")
    send(page, "none")
    bot_says(page, "sunny holidays")
    send(page, "none")
    bot_says(page, "Shall I plan it?")
    page.locator(".rw-reply", has_text="Yes, plan it").last.click()
    bot_says(page, "Your plan: 4 sessions")
    assert_header_is_readable(page, "desktop, after a conversation")
    page.screenshot(path=str(ARTIFACTS / "widget-desktop.png"), full_page=True)

    link = page.locator(".rw-response a[href$='.ics']").last
    with page.expect_download() as download:
        link.click()
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    assert ics.count("BEGIN:VEVENT") == 4

    phone = browser.new_context(viewport=PHONE, is_mobile=True)
    phone_page = phone.new_page()
    open_chat(phone_page, site)
    bot_says(phone_page, "not medical advice")
    assert_header_is_readable(phone_page, "a phone")
    phone_page.screenshot(path=str(ARTIFACTS / "widget-phone.png"))
    phone.close()
    context.close()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_long_clinic_name_wraps_inside_the_header(
    browser: Browser, long_name_site: str, device: str
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone = device == "phone"
    context = browser.new_context(viewport=PHONE if phone else DESKTOP, is_mobile=phone)
    page = context.new_page()
    open_chat(page, long_name_site)
    bot_says(page, "not medical advice")
    title = page.locator(".rw-header .rw-title")
    expect(title).to_have_text(LONG_NAME)  # the whole name, not cut short
    assert_header_is_readable(page, f"{device} with a long clinic name")
    page.screenshot(path=str(ARTIFACTS / f"widget-long-name-{device}.png"))
    context.close()

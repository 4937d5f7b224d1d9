"""The chat widget in a real browser (Debian's Chromium, headless) against the real servers.

The widget is deep-chat over socket.io-client with web/static/chat.js.
Screenshots (1280 px desktop and a 390 px phone) are saved under
tests/artifacts/, and of both for a clinic with a very long name
(widget-long-name-*.png). The widget's header is checked on each: its title,
subtitle and buttons must not overlap or be cut off, and the Send button sits
beside the text box, not over it (tests/browser/layout.py).
axe-core checks the page with the widget open (tests/browser/axe.py), and the
page fetches nothing from any other host.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from playwright.sync_api import Browser, Locator, Page, Route, expect, sync_playwright

from tests.browser.axe import blocking_violations
from tests.browser.conftest import SharedSite, start_web_app
from tests.browser.layout import header_problems, input_problems
from tests.browser.screenshots import ARTIFACTS, DESKTOP, PHONE
from tests.support.servers import ROOT, stop

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PLACEHOLDER = "Ask about mesotherapy…"
# Every bubble deep-chat draws for the bot or staff (the visitor's own are .user-message).
REPLIES = "deep-chat .message-bubble:not(.user-message)"
# A name that wraps to three or four lines in the widget's header.
LONG_NAME = (
    "The Very Long Named Example Aesthetics and Skin Wellbeing Clinic of North London (placeholder)"
)


@pytest.fixture(scope="module")
def site(shared_site: SharedSite) -> str:
    """The page on the suite's bot (tests/browser/conftest.py)."""
    return shared_site.url


@pytest.fixture(scope="module")
def long_name_site(
    tmp_path_factory: pytest.TempPathFactory, shared_site: SharedSite
) -> Iterator[str]:
    """The page for a copy of clinic.yml naming the clinic `LONG_NAME` (CLINIC_CONFIG): a second
    web app on the suite's bot (the header's name is the page's)."""
    workdir = tmp_path_factory.mktemp("long-name")
    clinic = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))
    clinic["name"] = LONG_NAME
    config = workdir / "clinic.yml"
    config.write_text(yaml.safe_dump(clinic, allow_unicode=True), encoding="utf-8")
    port = shared_site.spare_port
    env = {**shared_site.env, "CLINIC_CONFIG": str(config)}
    web = start_web_app(workdir, port, shared_site.bot.url, env)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop(web)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make setup-browser` installs Debian's chromium.")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def bot_says(page: Page, text: str) -> None:
    expect(page.locator(REPLIES, has_text=text).last).to_be_visible(timeout=30_000)


def message_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name=PLACEHOLDER)


def send(page: Page, text: str) -> None:
    message_box(page).fill(text)
    message_box(page).press("Enter")


def open_chat(page: Page, url: str) -> None:
    """Load the page and open the chat window unless it reopened by itself."""
    page.goto(url)
    expect(page.locator("#clinic-chat[data-ready=true]")).to_be_attached(timeout=30_000)
    if not page.locator("#chat-window").is_visible():
        page.get_by_role("button", name="Chat with us").click()
    expect(page.locator("#chat-window")).to_be_visible()
    expect(message_box(page)).to_be_visible()


def only_loopback(page: Page, elsewhere: list[str]) -> None:
    """Abort, and note, any request the page makes to another host (fonts, trackers…)."""

    def check(route: Route) -> None:
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith("data:") or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", check)


# Records, in the page's clock, when each bubble appears in deep-chat's message list.
WATCH_BUBBLES = """() => {
  window.__bubbles = [];
  const list = document.querySelector("deep-chat").shadowRoot.querySelector("#messages");
  new MutationObserver(() => {
    list.querySelectorAll(".message-bubble").forEach((el) => {
      if (!el.__seen) { el.__seen = true;
        window.__bubbles.push([Date.now(), el.className, el.textContent.slice(0, 80)]); }
    });
  }).observe(list, {childList: true, subtree: true});
  list.querySelectorAll(".message-bubble").forEach((el) => { el.__seen = true; });
}"""


def watch_frames(page: Page) -> list[tuple[float, str]]:
    """Each socket.io frame the page receives, with the wall-clock time (ms) it arrived."""
    frames: list[tuple[float, str]] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived", lambda frame: frames.append((time.time() * 1000, str(frame)))
        ),
    )
    return frames


def assert_header_is_readable(page: Page, where: str) -> None:
    """The header's title, subtitle and buttons neither overlap nor run out of it."""
    problems = header_problems(page)
    assert not problems, f"The widget's header on {where}: " + "; ".join(problems)


def assert_send_is_beside_the_text_box(page: Page, where: str) -> None:
    """The Send button sits level with the text box, beside it, not over its end."""
    problems = input_problems(page)
    assert not problems, f"The widget's text box on {where}: " + "; ".join(problems)


def in_view(bubble: Locator) -> None:
    """The bubble is scrolled into the message list's visible part, not below it."""
    expect(bubble).to_be_in_viewport()


def test_a_visitor_asks_clicks_reloads_and_plans(browser: Browser, site: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    elsewhere: list[str] = []
    only_loopback(page, elsewhere)
    frames = watch_frames(page)
    open_chat(page, site)
    bot_says(page, "not medical advice")  # privacy notice on first open
    bot_says(page, "What would you like to know?")
    assert_header_is_readable(page, "desktop")

    # The first question has two parts: three bubbles, paced by a short capped pause.
    page.evaluate(WATCH_BUBBLES)
    frames.clear()
    sent = time.time() * 1000
    send(page, "what is it and does it hurt?")
    bot_says(page, "doesn't say how the treatment feels")
    page.wait_for_timeout(1500)
    shown = [at for at, kind, _ in page.evaluate("window.__bubbles") if "user" not in kind]
    arrived = [at for at, frame in frames if "bot_uttered" in frame]
    pacing = {
        "bubbles": len(shown),
        "last_frame_ms": round(arrived[-1] - sent),
        "last_bubble_ms": round(shown[-1] - sent),
        "gaps_ms": [round(b - a) for a, b in pairwise(shown)],
    }
    (ARTIFACTS / "widget-pacing.json").write_text(json.dumps(pacing, indent=1), encoding="utf-8")
    # Before (rasa-webchat 1.0.1): these bubbles took 5.8 to 8.9 s to show.
    assert pacing["last_bubble_ms"] - pacing["last_frame_ms"] < 2000, pacing
    assert all(150 <= gap <= 1000 for gap in pacing["gaps_ms"] if gap > 50), pacing

    # Buttons, markdown, and 👍/👎 named for screen readers.
    page.get_by_role("button", name="How many sessions will I need?").last.click()
    bot_says(page, "between 3 and")
    expect(page.locator("deep-chat .ai-message strong").first).to_be_visible()  # bold rendered
    expect(page.get_by_role("button", name="Helpful", exact=True).last).to_be_visible()
    expect(page.get_by_role("button", name="Not helpful", exact=True).last).to_be_visible()
    assert not blocking_violations(page), blocking_violations(page)

    page.reload()
    open_chat(page, site)
    bot_says(page, "minimally invasive")  # the conversation survived the reload

    second_tab = context.new_page()
    open_chat(second_tab, site)
    bot_says(second_tab, "minimally invasive")  # and shows in a second tab

    # Another browser has its own conversation: the token binds the session to the cookie.
    stranger = browser.new_context(viewport=DESKTOP).new_page()
    open_chat(stranger, site)
    bot_says(stranger, "not medical advice")
    stranger.wait_for_timeout(500)
    expect(stranger.locator(REPLIES, has_text="minimally invasive")).to_have_count(0)
    stranger.context.close()

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
    page.get_by_role("button", name="Yes, plan it").last.click()
    bot_says(page, "Your plan: 4 sessions")
    in_view(page.locator(REPLIES, has_text="Your plan: 4 sessions").last)
    assert_header_is_readable(page, "desktop, after a conversation")
    assert_send_is_beside_the_text_box(page, "desktop")
    page.screenshot(path=str(ARTIFACTS / "widget-desktop.png"))

    link = page.locator("deep-chat .ai-message a[href$='.ics']").last
    with page.expect_download() as download:
        link.click()
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    assert ics.count("BEGIN:VEVENT") == 4

    phone = browser.new_context(viewport=PHONE, is_mobile=True)
    phone_page = phone.new_page()
    only_loopback(phone_page, elsewhere)
    open_chat(phone_page, site)
    bot_says(phone_page, "not medical advice")
    assert_header_is_readable(phone_page, "a phone")
    assert_send_is_beside_the_text_box(phone_page, "a phone")
    assert not blocking_violations(phone_page), blocking_violations(phone_page)
    phone_page.screenshot(path=str(ARTIFACTS / "widget-phone.png"))
    phone.close()
    context.close()
    assert not elsewhere, f"the page fetched from other hosts: {elsewhere}"


def test_a_keyboard_user_opens_asks_answers_feedback_and_closes(
    browser: Browser, site: str
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(site)
    expect(page.locator("#clinic-chat[data-ready=true]")).to_be_attached(timeout=30_000)
    launcher = page.get_by_role("button", name="Chat with us")
    for _ in range(10):  # Tab from the top of the page to the launcher
        page.keyboard.press("Tab")
        if launcher.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.press("Enter")
    expect(page.locator("#chat-window")).to_be_visible()
    bot_says(page, "What would you like to know?")
    expect(message_box(page)).to_be_focused()  # opening puts the cursor in the message box
    page.keyboard.type("what is mesotherapy?")
    page.keyboard.press("Enter")
    bot_says(page, "minimally invasive")
    helpful = page.get_by_role("button", name="Helpful", exact=True).last
    for _ in range(60):  # Tab through the conversation to the 👍 button
        page.keyboard.press("Tab")
        if helpful.evaluate("el => el === el.getRootNode().activeElement"):
            break
    else:
        pytest.fail("Tab never reached the 'Helpful' button")
    page.keyboard.press("Enter")
    bot_says(page, "Thanks for letting us know!")
    page.keyboard.press("Escape")
    expect(page.locator("#chat-window")).to_be_hidden()
    expect(launcher).to_be_focused()
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
    title = page.locator(".chat-header .chat-title")
    expect(title).to_have_text(LONG_NAME)  # the whole name, not cut short
    assert_header_is_readable(page, f"{device} with a long clinic name")
    page.screenshot(path=str(ARTIFACTS / f"widget-long-name-{device}.png"))
    context.close()

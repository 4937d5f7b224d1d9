"""Live chat in two browsers: a widget visitor (socket.io) and staff in the console.

Headless Chromium, two contexts, real servers on loopback. Staff go available,
the visitor asks for a person and appears in the queue (highlighted, the tab's
title counts them, the chime plays); staff take the chat, both sides write,
the bot stays silent, and after "Back to the assistant" the bot answers the
next question. Screenshots: tests/artifacts/live-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_widget import (
    ARTIFACTS,
    DESKTOP,
    bot_says,
    browser,  # noqa: F401  (the module's Chromium, shared)
    open_chat,
    send,
)
from tests.support.live_chat import ACCOUNT, PASSWORD, LiveSite, live_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    with live_site(Path(tmp_path_factory.mktemp("live-browser"))) as running:
        yield running


def test_a_widget_visitor_and_staff_chat_live_then_the_bot_is_back(
    browser: Browser,  # noqa: F811
    site: LiveSite,
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    staff = browser.new_context(viewport=DESKTOP).new_page()
    staff.goto(site.web_url + "/staff/login")
    staff.get_by_label("Name").fill(ACCOUNT)
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.get_by_role("link", name="Live chat").click()
    staff.get_by_role("button", name="Take live chats").click()
    expect(staff.locator(".status.on")).to_contain_text("available")

    visitor = browser.new_context(viewport=DESKTOP).new_page()
    open_chat(visitor, site.web_url + "/")
    bot_says(visitor, "not medical advice")
    send(visitor, "can I talk to a real person?")
    bot_says(visitor, "connecting you with the team")

    waiting = staff.locator("#waiting li.new")
    expect(waiting).to_have_count(1, timeout=15_000)
    expect(waiting).to_contain_text("Website chat visitor")
    expect(staff).to_have_title("(1) Live chat")
    assert staff.locator("body").get_attribute("data-chimed"), "the chime did not play"
    staff.screenshot(path=str(ARTIFACTS / "live-queue.png"), full_page=True)
    waiting.get_by_role("button", name="Take this chat").click()
    expect(staff.get_by_label("Your message")).to_be_visible()
    bot_says(visitor, f"You're now chatting with {ACCOUNT}")

    replies_before = visitor.locator(".rw-response").count()
    send(visitor, "is it ok a week before my wedding?")
    expect(staff.locator(".transcript li.visitor .text").last).to_have_text(
        "is it ok a week before my wedding?", timeout=10_000
    )
    staff.get_by_label("Your message").fill("Congratulations! Let me check with the doctor.")
    staff.get_by_label("Your message").press("Enter")
    bot_says(visitor, "Congratulations! Let me check with the doctor.")
    expect(staff.locator(".transcript li.staff").last).to_contain_text("Congratulations")
    visitor.wait_for_timeout(2000)
    # Only the staff member's message arrived: the bot said nothing to the question.
    assert visitor.locator(".rw-response").count() == replies_before + 1
    visitor.screenshot(path=str(ARTIFACTS / "live-visitor.png"), full_page=True)
    staff.screenshot(path=str(ARTIFACTS / "live-staff.png"), full_page=True)

    staff.get_by_role("button", name="Back to the assistant").click()
    expect(staff).to_have_url(site.web_url + "/staff/live")
    bot_says(visitor, "I'm back!")
    send(visitor, "what is mesotherapy?")
    bot_says(visitor, "minimally invasive")
    expect(staff.locator("#waiting li")).to_have_count(0)
    expect(staff.locator("#mine li")).to_have_count(0)
    visitor.context.close()
    staff.context.close()

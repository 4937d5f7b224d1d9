"""Live chat in two browsers: a widget visitor (socket.io) and staff in the console.

Headless Chromium, two contexts, real servers on loopback. Staff set the name
visitors see, turn on browser notifications and go available; the visitor
asks for a person and appears in the queue (highlighted, the tab's title
counts them, the chime plays, a notification is shown); staff take the chat,
both sides see the other typing (the visitor's "typing…" ends as their
message lands), staff insert a canned reply, and their message shows on the
visitor's screen at once with their name, scrolled into view, in a bubble
with room around the text; the bot stays silent, and after "Back to the
assistant" it answers the next question.
axe-core checks the Live page, the chat page and the widget. Screenshots at
1280 and 390 px from both sides: tests/artifacts/live-*.png.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.axe import blocking_violations
from tests.browser.screenshots import ARTIFACTS, DESKTOP, at_both_widths
from tests.browser.test_widget import (
    REPLIES,
    WATCH_BUBBLES,
    bot_says,
    browser,  # noqa: F401  (the module's Chromium, shared)
    in_view,
    open_chat,
    send,
    watch_frames,
)
from tests.support.live_chat import ACCOUNT, PASSWORD, LiveSite, live_site

DISPLAY_NAME = "Anna"
CANNED_TITLE = "Wedding timing"
CANNED_TEXT = "Most people plan their last session two weeks before a big day."

# Keeps every Notification the page creates (the real API still runs).
RECORD_NOTIFICATIONS = """
(() => {
  const Real = window.Notification;
  window.__notifications = [];
  function Recorded(title, options) {
    window.__notifications.push({title: title, body: (options || {}).body || ""});
    return new Real(title, options);
  }
  Recorded.requestPermission = (...args) => Real.requestPermission(...args);
  Object.defineProperty(Recorded, "permission", {get: () => Real.permission});
  window.Notification = Recorded;
})();
"""

# How far the staff member's name sits inside their bubble's border: left, top, right (px).
STAFF_NAME_INSET = """
(bubble) => {
  const b = bubble.getBoundingClientRect();
  const n = bubble.querySelector(".clinic-staff-name").getBoundingClientRect();
  return [n.left - b.left, n.top - b.top, b.right - n.right];
}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    with live_site(Path(tmp_path_factory.mktemp("live-browser"))) as running:
        yield running


def no_blocking_violations(page: Page, where: str) -> None:
    found = blocking_violations(page)
    assert not found, f"axe on {where}: " + "; ".join(found)


def press_with_keyboard(page: Page, target: Locator, tabs: int = 40) -> None:
    """Tab to `target` (no mouse) and press Enter on it."""
    for _ in range(tabs):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            page.keyboard.press("Enter")
            return
    pytest.fail(f"Tab never reached {target}")


def test_a_widget_visitor_and_staff_chat_live_then_the_bot_is_back(
    browser: Browser,  # noqa: F811
    site: LiveSite,
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # bypass_csp: the console allows only its own scripts, and axe is injected inline.
    staff_context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    staff_context.grant_permissions(["notifications"], origin=site.web_url)
    staff_context.add_init_script(RECORD_NOTIFICATIONS)
    staff = staff_context.new_page()
    staff.goto(site.web_url + "/staff/login")
    staff.get_by_label("Name").fill(ACCOUNT)
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Sign in").click()

    # Canned replies, written once by the clinic.
    staff.goto(site.web_url + "/staff/live/replies")
    staff.get_by_label("Title").fill(CANNED_TITLE)
    staff.get_by_label("Text").fill(CANNED_TEXT)
    staff.get_by_role("button", name="Add reply").click()
    expect(staff.get_by_role("heading", name=CANNED_TITLE)).to_be_visible()
    no_blocking_violations(staff, "the canned replies page")

    staff.get_by_role("link", name="Live chat").first.click()
    staff.get_by_label("Name visitors see").fill(DISPLAY_NAME)
    staff.get_by_role("button", name="Save name").click()
    expect(staff.get_by_label("Name visitors see")).to_have_value(DISPLAY_NAME)
    staff.get_by_role("button", name="Notify me on this computer").click()
    expect(staff.locator("#notify-state")).to_have_text("Notifications are on for this computer.")
    staff.get_by_role("button", name="Take live chats").click()
    expect(staff.locator(".status.on")).to_contain_text("available")
    expect(staff.get_by_text("no chat will be offered")).to_have_count(0)
    no_blocking_violations(staff, "the Live chat page")

    visitor = browser.new_context(viewport=DESKTOP).new_page()
    frames = watch_frames(visitor)
    open_chat(visitor, site.web_url + "/")
    bot_says(visitor, "not medical advice")
    send(visitor, "can I talk to a real person?")
    bot_says(visitor, "connecting you with the team")

    waiting = staff.locator("#waiting li.new")
    expect(waiting).to_have_count(1, timeout=15_000)
    expect(waiting).to_contain_text("Website chat visitor")
    expect(staff).to_have_title("(1) Live chat")
    assert staff.locator("body").get_attribute("data-chimed"), "the chime did not play"
    staff.wait_for_function("window.__notifications.length > 0", timeout=15_000)
    (shown,) = staff.evaluate("window.__notifications")
    assert shown["title"] == "A visitor is waiting for a live chat"
    assert "the website chat" in shown["body"]
    at_both_widths(staff, "live-chat-queue", full_page=False)
    press_with_keyboard(staff, waiting.get_by_role("button", name="Take this chat"))
    expect(staff.get_by_label("Your message")).to_be_visible()
    bot_says(visitor, f"You're now chatting with {DISPLAY_NAME}")
    expect(visitor.locator(REPLIES, has_text=ACCOUNT)).to_have_count(0)

    # Typing, both ways.
    visitor.get_by_role("textbox", name="Ask about mesotherapy…").press_sequentially("is it ok")
    expect(staff.locator("#visitor-typing")).to_have_text("The visitor is typing…", timeout=10_000)
    send(visitor, "is it ok a week before my wedding?")
    expect(staff.locator(".transcript li.visitor .text").last).to_have_text(
        "is it ok a week before my wedding?", timeout=10_000
    )
    # The message ends the visitor's "typing…" as it lands, not seconds later.
    expect(staff.locator("#visitor-typing")).to_have_text("", timeout=1_000)
    replies_before = visitor.locator(REPLIES).count()
    staff.get_by_label("Your message").press_sequentially("Congratulations! ")
    expect(visitor.locator(".chat-status")).to_have_text(f"{DISPLAY_NAME} is typing…")

    # A canned reply goes into the box, then out with the staff member's name, at once.
    staff.get_by_label("Canned reply").select_option(label=CANNED_TITLE)
    press_with_keyboard(staff, staff.get_by_role("button", name="Insert"))
    expect(staff.get_by_label("Your message")).to_have_value("Congratulations! " + CANNED_TEXT)
    visitor.evaluate(WATCH_BUBBLES)
    frames.clear()
    staff.get_by_label("Your message").press("Enter")
    staff_bubble = visitor.locator("deep-chat .staff-message", has_text=CANNED_TEXT)
    expect(staff_bubble).to_be_visible(timeout=10_000)
    expect(staff_bubble).to_contain_text(DISPLAY_NAME)
    in_view(staff_bubble)  # the list scrolled to it
    inset = staff_bubble.evaluate(STAFF_NAME_INSET)
    assert min(inset) >= 6, f"the name touches the bubble's border: {inset} px"
    expect(visitor.locator(".chat-status")).to_have_text("")
    arrived = [at for at, frame in frames if CANNED_TEXT in frame]
    bubbles = [at for at, _, text in visitor.evaluate("window.__bubbles") if DISPLAY_NAME in text]
    delay_ms = round(bubbles[0] - arrived[0])
    (ARTIFACTS / "live-staff-delay.json").write_text(
        json.dumps({"staff_message_shown_after_arrival_ms": delay_ms}), encoding="utf-8"
    )
    # Before (rasa-webchat 1.0.1): 2.4 to 2.5 s for a message of this length.
    assert delay_ms < 300, f"the staff message showed {delay_ms} ms after it arrived"
    expect(staff.locator(".transcript li.staff").last).to_contain_text("Congratulations")
    visitor.wait_for_timeout(2000)
    # Only the staff member's message arrived: the bot said nothing to the question.
    assert visitor.locator(REPLIES).count() == replies_before + 1
    no_blocking_violations(visitor, "the widget during a live chat")
    no_blocking_violations(staff, "a live chat in the console")
    at_both_widths(visitor, "live-chat-visitor", full_page=False)
    at_both_widths(staff, "live-chat-staff", full_page=False)
    at_both_widths(staff, "live-chat-staff-fullpage")

    started = time.monotonic()
    staff.get_by_label("Your message").focus()
    press_with_keyboard(staff, staff.get_by_role("button", name="Back to the assistant"))
    expect(staff).to_have_url(site.web_url + "/staff/live")
    bot_says(visitor, "I'm back!")
    assert time.monotonic() - started < 10
    send(visitor, "what is mesotherapy?")
    bot_says(visitor, "minimally invasive")
    expect(staff.locator("#waiting li")).to_have_count(0)
    expect(staff.locator("#mine li")).to_have_count(0)

    # A safety route is a notification too, on whichever console page is open.
    send(visitor, "I'm pregnant, can I have mesotherapy?")
    staff.wait_for_function(
        "window.__notifications.some(n => n.title === 'A new safety route to review')",
        timeout=20_000,
    )
    notes = staff.evaluate("window.__notifications")
    assert not any("pregnant" in n["body"] for n in notes)  # never what the visitor wrote

    # Signing out ends availability: the next visitor is offered a callback instead.
    staff.get_by_role("button", name="Sign out").click()
    expect(staff).to_have_url(site.web_url + "/staff/login")
    send(visitor, "can I talk to a real person?")
    bot_says(visitor, "Nobody from the team can chat live just now")
    visitor.context.close()
    staff_context.close()

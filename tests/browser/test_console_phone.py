"""The staff console on a 390 px phone and at 1280 px, in headless Chromium.

The console is the web app on the seeded store of tests/console/conftest.py
(no bot needed). On each page at phone width: nothing is wider than the
screen, no word is broken across two lines, the safety log is a page, not
43,000 px; the Overview's charts are tall enough to read and keep every bar
label; a group's unanswered wordings read in full, dates on one line; "Mark
done" sits with its callback request; "Mark reviewed" comes back to the route
after the one marked.
axe-core finds no serious or critical violation on them at phone width.
Screenshots go to tests/artifacts/<page>-390.png and -1280.png (tests/browser/screenshots.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from staff.unanswered import key_of
from tests.browser.axe import blocking_violations
from tests.browser.screenshots import ARTIFACTS, DESKTOP, PHONE, save
from tests.browser.test_widget import (
    browser,  # noqa: F401  (the module's Chromium, shared)
)
from tests.console.conftest import (  # noqa: F401  (the seeded console, shared)
    KEEP,
    MARKDOWN_ASKER,
    VEGAN,
    Console,
    console,
)

PAGES = {
    "overview": "/staff/overview",
    "safety-log": "/staff/safety?show=all",
    "callbacks": "/staff/callbacks",
    "conversations-list": "/staff/conversations",
    "transcript": f"/staff/conversations/{MARKDOWN_ASKER}",
    "feedback": "/staff/feedback?period=month",
    "unanswered": "/staff/unanswered",
    "unanswered-group": f"/staff/unanswered/group?key={quote_plus(key_of(VEGAN[-1]))}&period=week",
    "live-chat-idle": "/staff/live",
    "canned-replies": "/staff/live/replies",
}
# Visible elements wider than the screen, and words the browser broke across two lines
# (longer than a line, such as a model's id, may break).
MEASURE = """
() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;
    if (r.right > width + 0.5 || r.left < -0.5) {
      wide.push(el.tagName.toLowerCase() + "." + el.className + " " + Math.round(r.right));
    }
  }
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement || node.parentElement.closest("script, .visually-hidden")) continue;
    const text = node.textContent;
    for (const match of text.matchAll(/\\S+/g)) {
      if (match[0].length > 24) continue;
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
                               .map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: width,
    height: document.documentElement.scrollHeight,
    wide: wide.slice(0, 10),
    broken: broken.slice(0, 10),
  };
}
"""

# How many lines an element's text takes.
LINES_OF_TEXT = """
(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].filter(r => r.width > 0)
                   .map(r => Math.round(r.top))).size;
}
"""


def signed_in(
    browser: Browser,  # noqa: F811
    console: Console,  # noqa: F811
    viewport: ViewportSize,
    bypass_csp: bool = False,
) -> Page:
    """A page whose browser carries a staff member's session (signed in over HTTP).

    `bypass_csp` for axe, which is injected inline; the console allows only its own scripts.
    """
    staff = console.sign_in()
    context = browser.new_context(viewport=viewport, bypass_csp=bypass_csp)
    context.add_cookies(
        [{"name": "clinic_staff", "value": staff.cookie, "url": console.url + "/staff/"}]
    )
    return context.new_page()


@pytest.fixture
def phone(browser: Browser, console: Console) -> Iterator[Page]:  # noqa: F811
    page = signed_in(browser, console, PHONE)
    yield page
    page.context.close()


def layout(page: Page) -> dict[str, Any]:
    return dict(page.evaluate(MEASURE))


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_fits_a_phone(phone: Page, console: Console, name: str) -> None:  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert phone.goto(console.url + PAGES[name]).status == 200  # type: ignore[union-attr]
    phone.wait_for_load_state("networkidle")
    found = layout(phone)
    save(phone, name)
    assert found["scrollWidth"] <= found["clientWidth"], found
    assert found["wide"] == [], found
    assert found["broken"] == [], found


def test_a_groups_wordings_read_in_full_on_a_phone(phone: Page, console: Console) -> None:  # noqa: F811
    phone.goto(console.url + PAGES["unanswered-group"])
    rows = phone.locator("table.wordings tbody tr")
    expect(rows).to_have_count(50)
    for row in (rows.first, rows.last):
        asked = row.locator("td.asked").bounding_box()
        assert asked is not None and asked["width"] >= 0.7 * PHONE["width"], asked
        expect(row.get_by_role("checkbox")).to_be_checked()
        expect(row.locator("td.date")).to_have_text(re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$"))
        assert row.locator("td.date").evaluate(LINES_OF_TEXT) == 1, "the date on one line"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_mark_done_sits_with_its_callback_request(
    browser: Browser,  # noqa: F811
    console: Console,  # noqa: F811
    viewport: ViewportSize,
) -> None:
    page = signed_in(browser, console, viewport)
    page.goto(console.url + PAGES["callbacks"])
    row = page.locator("table.callbacks tbody tr").first
    button = row.get_by_role("button", name="Mark done").bounding_box()
    text = row.locator("td").first.bounding_box()
    above = row.locator("td").nth(3).bounding_box()  # when suits them: above it on a phone
    page.context.close()
    assert button is not None and text is not None and above is not None
    if viewport == DESKTOP:
        assert abs(button["y"] - text["y"]) <= 8, ("beside the request", button, text)
    else:
        gap = button["y"] - (above["y"] + above["height"])
        assert 0 <= gap <= 12, ("right under the request, no empty line", button, above)


def test_the_safety_log_is_a_page_not_a_scroll(phone: Page, console: Console) -> None:  # noqa: F811
    phone.goto(console.url + "/staff/safety?show=all")
    assert layout(phone)["height"] < 20 * PHONE["height"]
    expect(phone.locator(".safety-log .route")).not_to_have_count(0)
    assert phone.locator(".safety-log .route").count() <= 20


def test_mark_reviewed_keeps_the_readers_place(phone: Page, console: Console) -> None:  # noqa: F811
    phone.goto(console.url + "/staff/safety")
    routes = phone.locator(".safety-log .route")
    assert routes.count() >= 3, "routes to review in the seeded store"
    after = routes.nth(2).get_attribute("id")
    routes.nth(1).get_by_role("button", name="Mark reviewed").click()
    expect(phone).to_have_url(f"{console.url}/staff/safety?show=unreviewed&page=1#{after}")
    target = phone.locator(f"#{after}")
    expect(target).to_be_in_viewport()
    assert phone.evaluate("window.scrollY") > 0, "not back at the top"


def test_the_overview_charts_are_readable_on_a_phone(phone: Page, console: Console) -> None:  # noqa: F811
    phone.goto(console.url + "/staff/overview?period=month")
    phone.wait_for_function("() => window.Chart && Chart.getChart('outcomes-chart')")
    for chart in ("#messages-chart", "#outcomes-chart"):
        box = phone.locator(chart).bounding_box()
        assert box is not None and box["height"] >= 240, (chart, box)
        assert box["width"] <= PHONE["width"]
    labels = phone.evaluate("() => Chart.getChart('outcomes-chart').scales.y.ticks.length")
    assert labels == 6, "every outcome keeps its label"


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_at_desktop_width(
    browser: Browser,  # noqa: F811
    console: Console,  # noqa: F811
    name: str,
) -> None:
    page = signed_in(browser, console, DESKTOP)
    page.goto(console.url + PAGES[name])
    page.wait_for_load_state("networkidle")
    found = layout(page)
    save(page, name)
    page.context.close()
    assert found["scrollWidth"] <= found["clientWidth"], found


def test_no_page_has_a_serious_accessibility_violation_on_a_phone(
    browser: Browser,  # noqa: F811
    console: Console,  # noqa: F811
) -> None:
    page = signed_in(browser, console, PHONE, bypass_csp=True)
    found = {}
    for name, path in PAGES.items():
        page.goto(console.url + path)
        page.wait_for_load_state("networkidle")
        found[name] = blocking_violations(page)
    page.context.close()
    assert found == {name: [] for name in PAGES}

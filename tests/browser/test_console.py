"""The staff console in headless Chromium, on the same tracker store the bot writes.

A visitor talks to the bot in the widget (one browser context): an answer from
the article rated 👎 with what was missing, a message carrying HTML, a
safety question. The clinic's administrator (a second context) signs in with
a password and a code from an authenticator app, sees seeded unanswered
questions grouped, files a group as new wording and finds it in the review
file, sees the 👎 with its text, reads the visitor's conversation with the
HTML shown as text (no dialog opens, no element is made), and deletes it. A
new administrator sets up two-factor sign-in from the QR code's key. The
codes are computed by pyotp, as the phone would. Screenshots go to
tests/artifacts/ by their page's name (tests/browser/screenshots.py); the
overview, unanswered and feedback pages are taken by test_console_phone.py.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from playwright.sync_api import Browser, Page, expect

from clinic.tracker_db import EVENTS
from staff.accounts import ADMIN, add_account
from staff.db import console_engine
from staff.review import ARTICLE_QUESTIONS, NEW_WORDING, REVIEW_DIR
from tests.browser.conftest import SharedSite
from tests.browser.screenshots import ARTIFACTS, DESKTOP, PHONE, at_both_widths, save
from tests.browser.test_widget import (
    REPLIES,
    bot_says,
    browser,  # noqa: F401  (the module's Chromium, shared)
    open_chat,
    send,
)
from tests.console.conftest import Authenticator, Visit, with_two_factor

NAME = "front.desk"
PASSWORD = "a long front desk password"
# Seeded as "not understood": a wording of the sessions topic the model missed.
SITTINGS = (
    "how many sittings will i need",
    "how many sittings do people usually need",
    "number of sittings needed?",
)
TOPIC = "faq/sessions_needed"
MISSING = "what it costs"
MARKUP = '<img src=x onerror="window.__xss=1">hello'


@dataclass
class Site:
    widget: str
    console: str
    engine: sa.engine.Engine
    phone: Authenticator  # the administrator's


@pytest.fixture(scope="module")
def site(shared_site: SharedSite) -> Iterator[Site]:
    """The suite's bot and web app, whose console reads the bot's own tracker store
    (tests/browser/conftest.py), with an administrator and seeded unanswered questions."""
    engine = console_engine(shared_site.bot.endpoints)
    add_account(engine, NAME, PASSWORD, role=ADMIN)
    phone = with_two_factor(engine, NAME)
    now = time.time() - 3600
    rows = []
    for number, text in enumerate(SITTINGS):
        rows += Visit(f"sittings-{number}", now + 60 * number).start().not_understood(text).rows
    with engine.begin() as connection:
        connection.execute(sa.insert(EVENTS), rows)
    try:
        url = shared_site.url
        yield Site(widget=url, console=f"{url}staff/", engine=engine, phone=phone)
    finally:
        engine.dispose()


@pytest.fixture
def review_file() -> Iterator[Path]:
    """review/new-wording.yml as the console writes it; the review folder restored after."""
    saved = {
        name: (REVIEW_DIR / name).read_bytes()
        for name in (NEW_WORDING, ARTICLE_QUESTIONS)
        if (REVIEW_DIR / name).is_file()
    }
    existed = REVIEW_DIR.is_dir()
    try:
        yield REVIEW_DIR / NEW_WORDING
    finally:
        for name in (NEW_WORDING, ARTICLE_QUESTIONS):
            if name in saved:
                (REVIEW_DIR / name).write_bytes(saved[name])
            else:
                (REVIEW_DIR / name).unlink(missing_ok=True)
        if not existed and REVIEW_DIR.is_dir() and not any(REVIEW_DIR.iterdir()):
            REVIEW_DIR.rmdir()


def sign_in(page: Page, url: str, phone: Authenticator) -> None:
    """The administrator's sign-in: password, then the code their phone shows."""
    page.goto(url)
    expect(page).to_have_url(url + "login")  # every console page asks for a sign-in first
    at_both_widths(page, "sign-in")
    page.get_by_label("Name").fill(NAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(url + "login/code")
    at_both_widths(page, "sign-in-code")
    page.get_by_label("Code from your authenticator app").fill(phone.code())
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(url + "overview")


def events_of(engine: sa.engine.Engine, sender: str) -> int:
    with engine.connect() as connection:
        found = connection.execute(
            sa.select(sa.func.count()).select_from(EVENTS).where(EVENTS.c.sender_id == sender)
        )
        return int(found.scalar() or 0)


def test_staff_see_what_visitors_asked_file_it_and_delete_a_conversation(
    browser: Browser,  # noqa: F811
    site: Site,
    review_file: Path,
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    # The visitor, in the widget.
    visitor = browser.new_context(viewport=DESKTOP).new_page()
    dialogs: list[str] = []
    open_chat(visitor, site.widget)
    bot_says(visitor, "not medical advice")
    send(visitor, "what is mesotherapy?")
    bot_says(visitor, "minimally invasive")
    visitor.get_by_role("button", name="Not helpful", exact=True).last.click()
    bot_says(visitor, "missing")
    send(visitor, MISSING)
    bot_says(visitor, "Thank")
    send(visitor, MARKUP)
    expect(visitor.locator(REPLIES)).not_to_have_count(0)
    visitor.wait_for_timeout(3000)  # whatever the bot makes of it
    expect(visitor.locator("deep-chat .user-message img")).to_have_count(0)  # shown as text
    expect(visitor.locator("deep-chat .user-message", has_text="<img src=x")).to_have_count(1)
    assert visitor.evaluate("window.__xss") is None

    # Staff, in a browser of their own.
    staff = browser.new_context(viewport=DESKTOP).new_page()
    staff.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(staff, site.console, site.phone)
    expect(staff.locator("#messages-chart")).to_be_visible()

    # Seeded unanswered questions, grouped; filed as new wording of a topic.
    staff.get_by_role("link", name="Unanswered").first.click()
    group = staff.locator("section.group", has_text=SITTINGS[1])
    expect(group).to_have_count(1)
    for text in SITTINGS:
        expect(group.locator(".examples li", has_text=text)).to_have_count(1)
    expect(group).to_have_attribute("data-count", str(len(SITTINGS)))
    group.locator("select[name=topic]").select_option(TOPIC)
    group.get_by_role("button", name="New wording for this topic").click()
    expect(staff.get_by_role("status")).to_have_text("Filed: new wording.")
    expect(staff.locator("section.group", has_text=SITTINGS[1])).to_have_count(0)
    filed = yaml.safe_load(review_file.read_text(encoding="utf-8"))
    block = next(item for item in filed["nlu"] if item["intent"] == TOPIC)
    assert sorted(f"- {text}" for text in SITTINGS) == sorted(block["examples"].splitlines())

    # The visitor's 👎 and what was missing.
    staff.get_by_role("link", name="Feedback").first.click()
    rated = staff.locator("article.rated", has_text=MISSING)
    expect(rated).to_have_count(1)
    expect(rated).to_contain_text("what is mesotherapy?")

    # The conversation, found by what the visitor typed, HTML shown as text.
    staff.get_by_role("link", name="Conversations").first.click()
    staff.get_by_label("Find words a visitor wrote").fill("onerror")
    staff.get_by_role("button", name="Show").click()
    staff.locator("table a").first.click()
    expect(staff.locator(".transcript .text", has_text=MARKUP)).to_have_count(1)
    expect(staff.locator(".transcript img")).to_have_count(0)
    assert staff.evaluate("() => window.__xss === undefined")
    expect(staff.locator(".transcript")).to_contain_text(MISSING)
    save(staff, "transcript-widget-visitor")
    url = staff.url
    staff.get_by_role("button", name="Delete conversation").click()
    expect(staff).to_have_url(url)  # not without ticking that it is meant
    staff.get_by_label("Yes, delete this conversation for good").check()
    staff.get_by_role("button", name="Delete conversation").click()
    expect(staff).to_have_url(site.console + "conversations?deleted=1")
    expect(staff.locator(".notice[role=status]")).to_have_text("The conversation was deleted.")
    assert staff.goto(url).status == 404  # type: ignore[union-attr]
    assert dialogs == [], dialogs
    remaining = [events_of(site.engine, f"sittings-{n}") for n in range(len(SITTINGS))]
    assert all(remaining), "only the visitor's conversation was deleted"
    with site.engine.connect() as connection:
        left = connection.execute(
            sa.select(sa.func.count()).select_from(EVENTS).where(EVENTS.c.data.like("%onerror%"))
        ).scalar()
    assert left == 0, "the deleted conversation's events are still in the tracker store"
    visitor.context.close()
    staff.context.close()


QR_LOADED = "(img) => img.complete && img.naturalWidth > 0"


def test_a_new_administrator_sets_up_two_factor_from_the_qr_page(
    browser: Browser,  # noqa: F811
    site: Site,
) -> None:
    """Taken to set-up at the first sign-in; the QR code drawn (under the console's CSP);
    the key typed into 'the app' (pyotp); recovery codes shown once; then the console."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    add_account(site.engine, "new.manager", PASSWORD, role=ADMIN)
    for viewport in (DESKTOP, PHONE):
        page = browser.new_context(viewport=viewport).new_page()
        page.goto(site.console)
        page.get_by_label("Name").fill("new.manager")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(site.console + "two-factor")
        qr = page.get_by_role("img", name="QR code to scan with your authenticator app")
        expect(qr).to_be_visible()
        assert qr.evaluate(QR_LOADED), "the QR code did not load"
        save(page, "two-factor-setup")
        page.context.close()

    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(site.console)
    page.get_by_label("Name").fill("new.manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(site.console + "overview")
    expect(page).to_have_url(site.console + "two-factor")  # nothing else before it
    key = page.locator("code").first.inner_text().replace(" ", "")
    phone = Authenticator(key)
    page.get_by_label("Code from your app").fill(phone.code())
    page.get_by_role("button", name="Switch on").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in is on")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(8)
    save(page, "two-factor-recovery-codes")

    page.get_by_role("link", name="Go on to the overview").click()
    expect(page).to_have_url(site.console + "overview")
    page.get_by_role("link", name="Accounts").click()
    expect(page.locator("table.accounts tr", has_text="new.manager")).to_contain_text("on")
    save(page, "accounts")
    phone_page = browser.new_context(viewport=PHONE).new_page()
    phone_page.context.add_cookies(page.context.cookies())
    phone_page.goto(site.console + "accounts")
    save(phone_page, "accounts")
    page.context.close()
    phone_page.context.close()

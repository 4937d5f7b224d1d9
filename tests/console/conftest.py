"""One real web app serving the staff console, on a seeded tracker store of its own.

The store is a temporary SQLite database: bench/console_seed.py's realistic
conversations, plus a few written here for the tests (visitor texts that try
to inject HTML, a formula for the CSV export, a conversation to delete...).
Staff accounts are made with staff.accounts before the app starts (and by
tests while it runs: it reads them from the database); the app is `python -m
web.app` on a free loopback port, reached over HTTP only. It believes one
proxy's X-Forwarded-For (WEB_PROXIES=1, as deployed), so a test can sign in
"from" any address: every test that types a wrong password does so from its
own, and 127.0.0.1, where the other tests sign in, is never slowed down.
Administrators sign in with a code computed here by pyotp, as their phone would.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import secrets
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyotp
import pytest
import requests
import sqlalchemy as sa
import yaml

from bench.console_seed import Writer, seed
from clinic.tracker_db import EVENTS
from staff.accounts import ADMIN, add_account
from staff.db import (
    CONVERSATIONS,
    DECISIONS,
    INDEX_STATE,
    SAFETY_REVIEWS,
    SESSIONS,
    TURNS,
    create_tables,
)
from staff.indexer import STATE
from staff.review import ARTICLE_QUESTIONS, NEW_WORDING, REVIEW_DIR
from staff.turns import SAFETY
from staff.two_factor import STEP_S, confirm, pending_secret
from tests.support.servers import free_port, spawn, stop, wait_for

ACCOUNT = "reception"
PASSWORD = "a reception password, long enough"
OTHER_ACCOUNT = "nurse.jo"
OTHER_PASSWORD = "the nurse's own password"
# Only the throttling tests sign in (and fail) with this one.
LOCKED_ACCOUNT = "locked.out"
LOCKED_PASSWORD = "this one gets locked out"
# The administrator, with two-factor sign-in on (its secret is TWO_FACTOR_SECRETS').
ADMIN_ACCOUNT = "manager"
ADMIN_PASSWORD = "the manager's long password"
SEEDED_CONVERSATIONS = 30

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
PAYLOADS = (SCRIPT, IMG, TEMPLATE)
FORMULA = '=HYPERLINK("http://evil.example/","click me")'
CONTACT_DETAILS = "call me on 07700 900123 or jane@example.com"
SQL_TEXT = "what happens if i type ' OR 1=1 -- in here"
PERCENT_TEXT = "is there a 100% money back guarantee"
SITTINGS = ("how many sittings will i need", "how many sittings do i need")
NEVER_FILED = "do you sell gift vouchers"  # unanswered; no test may file it

KEEP = "keep-me-conversation"  # refused deletes aim here: it must survive them all
DELETE = "delete-me-conversation"  # the one delete that is allowed
XSS_UNANSWERED = "xss-unanswered"
XSS_SAFETY = "xss-safety"
XSS_FEEDBACK = "xss-feedback"
EXPORT = "csv-export"
SQL_WRITER = "sql-writer"
PERCENT_WRITER = "percent-writer"
SITTINGS_ASKER = "sittings-asker"
CALLBACK = "callback-asker"
CALLBACK_PHONE = "+447911123456"  # stored E.164, shown as +44 7911 123456
NO_CONSENT = "no-consent-asker"
LOYALTY = "do you have a loyalty card"  # unanswered, only for the malformed-form test
EMOJI_ONLY = "🙂🙂🙂"  # unanswered: no words, still a message to show
# Unanswered, only for the test that files it under picked dates.
WHEELCHAIR = "is the waiting room wheelchair accessible"
# One question in more wordings than a page shows (staff/routes/unanswered.py PAGE).
VEGAN = tuple(
    f"is it vegan? asking for vegan friend {a}{b}" for a in "jkl" for b in "mnopqrstuvwxyzabcde"
)
VEGAN_ASKER = "vegan-asker"
# Ids the REST channel accepts (any short text without spaces or control characters).
XSS_SENDER = '"><svg onload=alert(1)>'
ODD_SENDERS = ("ann@example.org", "+447700900123", "whatsapp:+447700900123", "zoë-42", XSS_SENDER)
DELETE_ODD = "bob@example.org"
ODD_QUESTION = "can i have it done at lunchtime"
# On Telegram: the widget's automatic /greet, an answer in markdown, a visitor's asterisks.
MARKDOWN_ASKER = "markdown-asker"
BOLD_ANSWER = "Wait **at least one week** before a peel."
# What the widget offered with it: a next question, and 👍/👎 (title, payload).
OFFERED = (("How long do the results last?", "/faq/results_duration"),)
FEEDBACK_BUTTONS = (("👍", "/feedback_up"), ("👎", "/feedback_down"))
VISITOR_STARS = "and what about **this** then"


class Visit(Writer):
    """One visitor's conversation, written the way Rasa's SQL tracker store writes it."""

    def answered(self, text: str, topic: str = "faq/what_is") -> Visit:
        self.user(text, "faq")
        self.bot("utter_faq", "From the article…", f"utter_{topic}")
        self.listen()
        return self

    def not_understood(self, text: str) -> Visit:
        self.user(text, "nlu_fallback", 0.2)
        self.bot("action_default_fallback", "Sorry, I didn't understand that.")
        self.listen()
        return self

    def safety(self, text: str) -> Visit:
        self.user(text, "ask_pregnancy", 0.98)
        self.bot("utter_pregnancy", "Please contact the clinic's team before treatment.")
        self.listen()
        return self

    def greeted(self) -> Visit:
        """The widget's own `/greet` when it opens, and the bot's hello."""
        self.user("/greet", "greet", 1.0)
        self.bot("utter_greet", "Hello! Ask me about mesotherapy.")
        self.listen()
        return self

    def on(self, channel: str) -> Visit:
        """The visitor's messages so far as if sent on `channel`."""
        for row in self.rows:
            data = json.loads(row["data"])
            if "input_channel" in data:
                data["input_channel"] = channel
                row["data"] = json.dumps(data)
        return self

    def offering(self, buttons: tuple[tuple[str, str], ...]) -> Visit:
        """The last bot message as sent with these (title, payload) buttons."""
        row = self.rows[-1]
        data = json.loads(row["data"])
        assert data["event"] == "bot"
        data["data"] = {"buttons": [{"title": t, "payload": p} for t, p in buttons]}
        row["data"] = json.dumps(data)
        return self

    def thumbs_down(self, missing: str) -> Visit:
        self.user("/feedback_down", "feedback_down", 1.0)
        self.bot("feedback_form", "What was missing?", "utter_ask_feedback_text")
        self.listen()
        self.user(missing, "faq", 0.6)
        self.bot("utter_feedback_thanks", "Thanks for telling us.")
        self.listen()
        return self

    def callback(self, name: str, contact: str, when: str, consent: bool = True) -> Visit:
        """A callback request as actions/callback_form.py leaves it in the tracker."""
        self.user("can someone call me back", "request_callback")
        self.add({"event": "action", "name": "callback_form"})
        self.add({"event": "active_loop", "name": "callback_form"}, 0.0)
        self.bot("callback_form", "What name should the team ask for?", "utter_ask_callback_name")
        self.listen()
        for text, ask in ((name, "contact"), (contact, "time"), (when, "consent")):
            self.user(text, "inform", 0.4)
            self.bot("callback_form", "…", f"utter_ask_callback_{ask}")
            self.listen()
        self.user("/affirm" if consent else "/deny", "affirm" if consent else "deny", 1.0)
        self.add({"event": "active_loop", "name": None}, 0.0)
        self.add({"event": "action", "name": "action_save_callback"})
        if consent:
            value = {"name": name, "contact": contact, "time": when, "consent": True, "at": 0}
            self.add({"event": "slot", "name": "callback_request", "value": value}, 0.0)
        saved = "utter_callback_saved" if consent else "utter_callback_not_saved"
        self.add(
            {"event": "bot", "text": "Thank you", "data": {}, "metadata": {"utter_action": saved}}
        )
        self.listen()
        return self


def _test_conversations(now: float) -> list[dict[str, Any]]:
    at = now - 3 * 3600
    rows: list[dict[str, Any]] = []

    def visit(sender: str) -> Visit:
        nonlocal at
        at += 300
        return Visit(sender, at).start()

    rows += visit(KEEP).answered("what is mesotherapy").not_understood(NEVER_FILED).rows
    rows += (
        visit(DELETE)
        .answered("how long does a session take")
        .callback("Dee", "dee@example.org", "evenings")
        .rows
    )
    unanswered = visit(XSS_UNANSWERED)
    safety = visit(XSS_SAFETY)
    feedback = visit(XSS_FEEDBACK)
    for number, payload in enumerate(PAYLOADS):
        unanswered.not_understood(payload)
        safety.safety(payload)
        # Each 👎'd question is one payload and what was missing the next one.
        feedback.answered(payload).thumbs_down(PAYLOADS[(number + 1) % len(PAYLOADS)])
    rows += unanswered.rows + safety.rows + feedback.rows
    rows += visit(EXPORT).not_understood(FORMULA).not_understood(CONTACT_DETAILS).rows
    rows += visit(SQL_WRITER).answered(SQL_TEXT).rows
    rows += visit(PERCENT_WRITER).answered(PERCENT_TEXT).rows
    sittings = visit(SITTINGS_ASKER)
    for text in SITTINGS:
        sittings.not_understood(text)
    rows += sittings.rows
    rows += visit("loyalty-asker").not_understood(LOYALTY).not_understood(EMOJI_ONLY).rows
    rows += visit("wheelchair-asker").not_understood(WHEELCHAIR).rows
    vegan = visit(VEGAN_ASKER)
    for text in VEGAN:
        vegan.not_understood(text)
    rows += vegan.rows
    rows += visit(CALLBACK).callback(IMG, CALLBACK_PHONE, "weekday mornings").rows
    rows += visit(NO_CONSENT).callback("Sam", "sam@example.org", "any time", consent=False).rows
    markdown = visit(MARKDOWN_ASKER).greeted()
    markdown.user("can i have a peel after it", "faq")
    markdown.bot("utter_faq", BOLD_ANSWER, "utter_faq/other_treatments_after")
    markdown.offering(OFFERED + FEEDBACK_BUTTONS).listen()
    rows += markdown.not_understood(VISITOR_STARS).on("telegram").rows
    for sender in (*ODD_SENDERS, DELETE_ODD):
        rows += visit(sender).answered(ODD_QUESTION).safety("i'm pregnant, is that a problem").rows
    return rows


_ADDRESSES = itertools.count(1)


def new_address() -> str:
    """An address no other test has signed in from (TEST-NET-2, 198.51.100.0/24, and on)."""
    number = next(_ADDRESSES)
    return f"198.51.{100 + number // 250}.{number % 250 + 1}"


class Authenticator:
    """A staff member's phone: the codes of one account, each time step used once.

    The console refuses a code of a step it has already accepted (no replay), so
    a test that signs in twice waits for the next step if it has to.
    """

    def __init__(self, secret: str, used_step: int = 0) -> None:
        self.secret = secret
        self.used_step = used_step

    def code(self) -> str:
        while True:
            now = time.time()
            step = max(int(now) // STEP_S, self.used_step + 1)
            if step <= int(now) // STEP_S + 1:  # within the step of drift the console allows
                self.used_step = step
                return pyotp.TOTP(self.secret).at(step * STEP_S)
            time.sleep((step - 1) * STEP_S - now + 0.05)

    def wrong_code(self) -> str:
        """Six digits that are none of the codes the console would accept now."""
        current = int(time.time()) // STEP_S
        near = {pyotp.TOTP(self.secret).at(s * STEP_S) for s in range(current - 2, current + 3)}
        return next(f"{n:06d}" for n in range(10**6) if f"{n:06d}" not in near)


def with_two_factor(engine: sa.engine.Engine, name: str) -> Authenticator:
    """Switch two-factor sign-in on for `name` in the database, as set up an hour ago."""
    secret = pending_secret(engine, name)
    an_hour_ago = time.time() - 3600
    assert confirm(engine, name, pyotp.TOTP(secret).at(int(an_hour_ago)), now=an_hour_ago)
    return Authenticator(secret, int(an_hour_ago) // STEP_S)


TWO_FACTOR_SECRETS: dict[str, Authenticator] = {}


@dataclass
class Console:
    """The running web app and its database."""

    url: str
    engine: sa.engine.Engine
    workdir: Path

    def http(self, address: str | None = None) -> requests.Session:
        """A browser; from `address` (X-Forwarded-For, as nginx sends it) when given."""
        session = requests.Session()
        if address:
            session.headers["X-Forwarded-For"] = address
        return session

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        """A request without any cookie of a browser that signed in."""
        return requests.get(self.url + path, allow_redirects=False, timeout=30, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return requests.post(self.url + path, allow_redirects=False, timeout=30, **kwargs)

    def login_form(self, http: requests.Session) -> str:
        """Open the sign-in page in `http`; returns the form's login_token."""
        page = http.get(self.url + "/staff/login", timeout=30)
        assert page.status_code == 200, page.text
        return hidden_input(page.text, "login_token")

    def try_sign_in(self, http: requests.Session, name: str, password: str) -> requests.Response:
        token = self.login_form(http)
        return http.post(
            self.url + "/staff/login",
            data={"login_token": token, "name": name, "password": password},
            allow_redirects=False,
            timeout=30,
        )

    def signed_in(self, http: requests.Session) -> bool:
        """Whether `http`'s cookies open a console page."""
        reply = http.get(self.url + "/staff/overview", allow_redirects=False, timeout=30)
        assert reply.status_code in (200, 303), reply.text
        return reply.status_code == 200

    def sign_in(self, name: str = ACCOUNT, password: str = PASSWORD) -> Staff:
        http = self.http()
        reply = self.try_sign_in(http, name, password)
        assert reply.status_code == 303, reply.text
        assert reply.headers["Location"] == "/staff/overview"
        return Staff(self, http)

    def try_code(self, http: requests.Session, code: str) -> requests.Response:
        """Type `code` on the sign-in code page (after the right password) in `http`."""
        page = http.get(self.url + "/staff/login/code", allow_redirects=False, timeout=30)
        assert page.status_code == 200, (page.status_code, page.text[:300])
        return http.post(
            self.url + "/staff/login/code",
            data={"csrf_token": hidden_input(page.text, "csrf_token"), "code": code},
            allow_redirects=False,
            timeout=30,
        )

    def sign_in_with_code(
        self, name: str, password: str, phone: Authenticator, address: str | None = None
    ) -> Staff:
        """Password, then the code the phone shows: a full session."""
        http = self.http(address)
        reply = self.try_sign_in(http, name, password)
        assert reply.status_code == 303, reply.text
        assert reply.headers["Location"] == "/staff/login/code"
        reply = self.try_code(http, phone.code())
        assert reply.status_code == 303, reply.text
        assert reply.headers["Location"] == "/staff/overview"
        return Staff(self, http)

    def admin_account(self, name: str, password: str = ADMIN_PASSWORD) -> Authenticator:
        """A new administrator, two-factor on; returns their phone."""
        add_account(self.engine, name, password, role=ADMIN)
        return with_two_factor(self.engine, name)

    # The database, read directly.

    def count(self, table: sa.Table, *where: Any) -> int:
        with self.engine.connect() as connection:
            found = connection.execute(sa.select(sa.func.count()).select_from(table).where(*where))
            return int(found.scalar() or 0)

    def events_of(self, sender: str) -> int:
        return self.count(EVENTS, EVENTS.c.sender_id == sender)

    def turns_of(self, sender: str) -> int:
        return self.count(TURNS, TURNS.c.sender_id == sender)

    def indexed_conversation(self, sender: str) -> bool:
        return self.count(CONVERSATIONS, CONVERSATIONS.c.sender_id == sender) == 1

    def decisions_for(self, *keys: str) -> list[Any]:
        with self.engine.connect() as connection:
            return list(
                connection.execute(sa.select(DECISIONS).where(DECISIONS.c.key.in_(keys))).all()
            )

    def safety_event_ids(self, sender: str = XSS_SAFETY) -> list[int]:
        with self.engine.connect() as connection:
            return list(
                connection.execute(
                    sa.select(TURNS.c.event_id)
                    .where(TURNS.c.sender_id == sender, TURNS.c.outcome == SAFETY)
                    .order_by(TURNS.c.event_id)
                ).scalars()
            )

    def reviews_of(self, event_id: int) -> int:
        return self.count(SAFETY_REVIEWS, SAFETY_REVIEWS.c.event_id == event_id)

    def sessions(self) -> int:
        return self.count(SESSIONS)

    def wait_until_indexed(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        with self.engine.connect() as connection:
            newest = connection.execute(sa.select(sa.func.max(EVENTS.c.id))).scalar()
        while time.monotonic() < deadline:
            with self.engine.connect() as connection:
                indexed = connection.execute(
                    sa.select(INDEX_STATE.c.last_event_id).where(INDEX_STATE.c.name == STATE)
                ).scalar()
            if indexed == newest:
                return
            time.sleep(0.2)
        raise TimeoutError(f"the app indexed up to {indexed}, not {newest}")


@dataclass
class Staff:
    """A browser that signed in over HTTP."""

    console: Console
    http: requests.Session

    @property
    def cookie(self) -> str:
        return str(self.http.cookies.get("clinic_staff", path="/staff"))

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.console.url + path, allow_redirects=False, timeout=60)

    def page(self, path: str) -> str:
        reply = self.get(path)
        assert reply.status_code == 200, (path, reply.status_code, reply.text[:500])
        return reply.text

    def post(self, path: str, data: Any = None, **kwargs: Any) -> requests.Response:
        return self.http.post(
            self.console.url + path, data=data, allow_redirects=False, timeout=60, **kwargs
        )

    def csrf_token(self, path: str = "/staff/overview") -> str:
        """The token the console's forms carry, read from a page's hidden input."""
        return hidden_input(self.page(path), "csrf_token")


class _Shown(HTMLParser):
    """The words of a page a person reads or hears: its text outside scripts and styles,
    and the attributes a tooltip or a screen reader says."""

    SPOKEN = ("alt", "title", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.unshown = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.unshown += tag in ("script", "style")
        self.words += [value for name, value in attrs if name in self.SPOKEN and value]

    def handle_endtag(self, tag: str) -> None:
        self.unshown -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.unshown:
            self.words.append(data)


def shown_text(page: str) -> str:
    """What a page says to staff, without its markup, form values, links or scripts."""
    parser = _Shown()
    parser.feed(page)
    parser.close()
    return " ".join(" ".join(parser.words).split())


def hidden_input(page: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)">', page)
    assert found and found[1], f"no {name} in the page"
    return html.unescape(found[1])


@pytest.fixture(scope="session")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    workdir = Path(tmp_path_factory.mktemp("console"))
    database = workdir / "trackers.db"
    engine = sa.create_engine(f"sqlite:///{database}")
    create_tables(engine)
    seed(engine, SEEDED_CONVERSATIONS)
    with engine.begin() as connection:
        connection.execute(sa.insert(EVENTS), _test_conversations(time.time()))
    for name, password in (
        (ACCOUNT, PASSWORD),
        (OTHER_ACCOUNT, OTHER_PASSWORD),
        (LOCKED_ACCOUNT, LOCKED_PASSWORD),
    ):
        add_account(engine, name, password)
    add_account(engine, ADMIN_ACCOUNT, ADMIN_PASSWORD, role=ADMIN)
    TWO_FACTOR_SECRETS[ADMIN_ACCOUNT] = with_two_factor(engine, ADMIN_ACCOUNT)
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        yaml.safe_dump(
            {"tracker_store": {"type": "sql", "dialect": "sqlite", "db": str(database)}}
        ),
        encoding="utf-8",
    )
    (workdir / "calendars").mkdir()
    env = {
        **os.environ,
        "CHAT_SESSION_KEY": secrets.token_urlsafe(48),
        "CALENDAR_DIR": str(workdir / "calendars"),
        # As deployed behind deploy/nginx (docker-compose.yml): one proxy in front.
        "WEB_PROXIES": "1",
    }
    port = free_port()
    log = workdir / "web.log"
    args = ["-m", "web.app", "--port", str(port), "--endpoints", str(endpoints)]
    process = spawn([sys.executable, *args], log, env)
    try:
        wait_for(f"http://127.0.0.1:{port}/staff/login", process, log, timeout=90)
        running = Console(url=f"http://127.0.0.1:{port}", engine=engine, workdir=workdir)
        running.sign_in().page("/staff/overview")  # the index catches up before a page
        running.wait_until_indexed()
        yield running
    finally:
        stop(process)
        engine.dispose()


@pytest.fixture
def staff(console: Console) -> Staff:
    """A browser signed in as the staff account, for one test."""
    return console.sign_in()


@pytest.fixture(scope="session")
def admin(console: Console) -> Staff:
    """A browser signed in as the administrator (password and code), shared by the tests."""
    return console.sign_in_with_code(
        ADMIN_ACCOUNT, ADMIN_PASSWORD, TWO_FACTOR_SECRETS[ADMIN_ACCOUNT]
    )


@pytest.fixture
def review_files() -> Iterator[Path]:
    """The app writes review files under the project's review/ (web/app.py takes no other
    folder): whatever a test files there is removed afterwards, and what was there restored."""
    existed = REVIEW_DIR.is_dir()
    saved = {
        name: (REVIEW_DIR / name).read_bytes()
        for name in (NEW_WORDING, ARTICLE_QUESTIONS)
        if (REVIEW_DIR / name).is_file()
    }
    try:
        yield REVIEW_DIR / NEW_WORDING
    finally:
        for name in (NEW_WORDING, ARTICLE_QUESTIONS):
            path = REVIEW_DIR / name
            if name in saved:
                path.write_bytes(saved[name])
            else:
                path.unlink(missing_ok=True)
        if not existed and REVIEW_DIR.is_dir() and not any(REVIEW_DIR.iterdir()):
            REVIEW_DIR.rmdir()

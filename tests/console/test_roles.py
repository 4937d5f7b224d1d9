"""Roles on every console route, over HTTP: what staff, an administrator and an
administrator who has not yet set up two-factor sign-in get from each one.

The table below names every route the console has (a test fails when a route
is added without a line here) with the request that exercises it and the
answer each role gets. Staff on an administrator's route get 403 and a page
saying who can do it, and nothing changes; nobody ever gets a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import requests
import sqlalchemy as sa
from sanic import Sanic

from staff.accounts import ADMIN, STAFF, account, add_account, verify
from staff.app import create_blueprint
from staff.db import create_tables
from staff.rasa_link import RasaLink
from tests.console.conftest import (
    ACCOUNT,
    ADMIN_PASSWORD,
    KEEP,
    NEVER_FILED,
    PASSWORD,
    Console,
    Staff,
    hidden_input,
)

TARGET = "walk.target"  # the account administrators change in the walk
TARGET_PASSWORD = "the walk target's password"
NO_CHAT = "keep-me-conversation"  # a conversation with no live chat open
FORBIDDEN = "Only an administrator can do this"


@dataclass(frozen=True)
class Step:
    """One route: the request to make, and the status (and where to) for each role."""

    method: str
    route: str  # as Sanic names it
    path: str
    staff: int
    admin: int
    staff_to: str | None = None  # Location of a 303
    admin_to: str | None = None
    data: dict[str, str] = field(default_factory=dict)
    admin_path: str | None = None  # where the administrator's request goes, if elsewhere
    login_form: bool = False  # the sign-in form's own token, with the walker's password


def get(route: str, staff: int, admin: int, path: str = "", **more: Any) -> Step:
    return Step("GET", route, path or route, staff, admin, **more)


def post(route: str, staff: int, admin: int, path: str = "", **more: Any) -> Step:
    return Step("POST", route, path or route, staff, admin, **more)


A = "/staff/accounts"
CONVERSATION = "/staff/conversations/<sender:str>"
LIVE_CHAT = "/staff/live/<sender:str>"
WRONG_CODE = {"code": "12345x"}
OK, SEE, BAD, DENIED, MISSING, CONFLICT = 200, 303, 400, 403, 404, 409
WALK = [
    get("/staff", SEE, SEE, "/staff/", staff_to="/staff/overview", admin_to="/staff/overview"),
    get("/staff/overview", OK, OK),
    get("/staff/api/overview.json", OK, OK),
    get("/staff/overview.csv", OK, OK),
    get("/staff/unanswered", OK, OK),
    get("/staff/unanswered.csv", OK, OK),
    get(
        "/staff/unanswered/group", OK, OK, f"/staff/unanswered/group?key={quote_plus(NEVER_FILED)}"
    ),
    post("/staff/unanswered/decide", BAD, BAD),
    get("/staff/feedback", OK, OK),
    get("/staff/safety", OK, OK),
    post(
        "/staff/safety/<event_id:int>/reviewed", MISSING, MISSING, "/staff/safety/999999/reviewed"
    ),
    get("/staff/callbacks", OK, OK),
    post("/staff/callbacks/<event_id:int>/done", MISSING, MISSING, "/staff/callbacks/999999/done"),
    get("/staff/conversations", OK, OK),
    get(CONVERSATION, OK, OK, f"/staff/conversations/{KEEP}"),
    get(CONVERSATION + "/export.json", OK, OK, f"/staff/conversations/{KEEP}/export.json"),
    post(
        CONVERSATION + "/delete",
        DENIED,
        SEE,
        f"/staff/conversations/{KEEP}/delete",  # staff try the one every test keeps
        admin_path="/staff/conversations/no-such-conversation/delete",
        admin_to="/staff/conversations?deleted=1",
        data={"confirm": "yes"},
    ),
    get("/staff/live", OK, OK),
    post(
        "/staff/live/availability",
        SEE,
        SEE,
        data={"available": "no"},
        staff_to="/staff/live",
        admin_to="/staff/live",
    ),
    get("/staff/api/live.json", OK, OK),
    get(LIVE_CHAT, OK, OK, f"/staff/live/{NO_CHAT}"),
    get("/staff/api/live/<sender:str>/lines", OK, OK, f"/staff/api/live/{NO_CHAT}/lines"),
    post(LIVE_CHAT + "/take", MISSING, MISSING, f"/staff/live/{NO_CHAT}/take"),
    post(LIVE_CHAT + "/say", CONFLICT, CONFLICT, f"/staff/live/{NO_CHAT}/say", data={"text": "hi"}),
    post(
        LIVE_CHAT + "/back",
        SEE,
        SEE,
        f"/staff/live/{NO_CHAT}/back",
        staff_to="/staff/live",
        admin_to="/staff/live",
    ),
    post(LIVE_CHAT + "/typing", CONFLICT, CONFLICT, f"/staff/live/{NO_CHAT}/typing"),
    post(
        "/staff/live/name",
        SEE,
        SEE,
        data={"name": "Sam"},
        staff_to="/staff/live?notice=name",
        admin_to="/staff/live?notice=name",
    ),
    get("/staff/api/alerts.json", OK, OK),
    get("/staff/live/replies", OK, OK),
    post("/staff/live/replies", BAD, BAD, data={"title": "", "text": ""}),
    post(
        "/staff/live/replies/<reply_id:int>",
        MISSING,
        MISSING,
        "/staff/live/replies/999999",
        data={"title": "Hours", "text": "We open at nine."},
    ),
    # Asked to delete a reply that is not there: nothing to confirm.
    post(
        "/staff/live/replies/<reply_id:int>/delete",
        MISSING,
        MISSING,
        "/staff/live/replies/999999/delete",
    ),
    get("/staff/static/<name:str>", OK, OK, "/staff/static/console.css"),
    get("/staff/two-factor", OK, OK),
    # A wrong code: staff have nothing pending to switch on with it; the administrator's is on.
    post("/staff/two-factor", BAD, SEE, data=WRONG_CODE, admin_to="/staff/two-factor"),
    post("/staff/two-factor/recovery-codes", BAD, BAD, data=WRONG_CODE),
    post("/staff/two-factor/off", BAD, CONFLICT, data=WRONG_CODE),
    get(A, DENIED, OK),
    post(
        A,
        DENIED,
        SEE,
        data={"name": "walk.added", "password": "a long enough password", "role": "staff"},
        admin_to=f"{A}?done=added&name=walk.added",
    ),
    post(
        A + "/<name:str>/password",
        DENIED,
        SEE,
        f"{A}/{TARGET}/password",
        data={"password": "a new password for it"},
        admin_to=f"{A}?done=password&name={TARGET}",
    ),
    post(
        A + "/<name:str>/role",
        DENIED,
        SEE,
        f"{A}/{TARGET}/role",
        data={"role": "admin"},
        admin_to=f"{A}?done=role&name={TARGET}",
    ),
    post(
        A + "/<name:str>/two-factor/reset",
        DENIED,
        SEE,
        f"{A}/{TARGET}/two-factor/reset",
        admin_to=f"{A}?done=two-factor&name={TARGET}",
    ),
    post(
        A + "/<name:str>/remove",
        DENIED,
        SEE,
        f"{A}/{TARGET}/remove",
        admin_to=f"{A}?done=removed&name={TARGET}",
    ),
    get("/staff/login", OK, OK),
    # The sign-in form again, in a copy of the signed-in browser: a new session (the
    # administrator's at the code stage), the walker's own untouched.
    post(
        "/staff/login",
        SEE,
        SEE,
        login_form=True,
        staff_to="/staff/overview",
        admin_to="/staff/login/code",
    ),
    # A full session has no code to type.
    get("/staff/login/code", SEE, SEE, staff_to="/staff/login", admin_to="/staff/login"),
    post("/staff/login/code", SEE, SEE, staff_to="/staff/login", admin_to="/staff/login"),
    post("/staff/logout", SEE, SEE, staff_to="/staff/login", admin_to="/staff/login"),
]


def console_routes(tmp_path: Path) -> set[tuple[str, str]]:
    """Every (method, route) of the console as the web app builds it, Live page included."""
    engine = sa.create_engine(f"sqlite:///{tmp_path}/routes.db")
    create_tables(engine)
    app = Sanic("console_routes_for_the_walk")
    app.blueprint(create_blueprint(engine, link=RasaLink("http://127.0.0.1:9")))
    return {
        (method, "/" + route.path)
        for route in app.router.routes
        for method in route.methods
        if method in ("GET", "POST")
    }


def test_the_walk_covers_every_console_route(tmp_path: Path) -> None:
    walked = {(step.method, step.route) for step in WALK}
    routes = console_routes(tmp_path)
    assert routes - walked == set(), "a route without its roles in WALK"
    assert walked - routes == set(), "WALK names a route the console no longer has"


def _request(walker: Staff, step: Step, path: str, password: str) -> requests.Response:
    data = dict(step.data)
    if step.login_form:
        copy = requests.Session()
        copy.cookies.update(walker.http.cookies)
        form = copy.get(walker.console.url + "/staff/login", timeout=30)
        data = {"login_token": hidden_input(form.text, "login_token")}
        data |= {"name": walker_name(walker), "password": password}
        return copy.post(walker.console.url + path, data=data, allow_redirects=False, timeout=30)
    if step.method == "POST":
        data["csrf_token"] = walker.csrf_token("/staff/two-factor")
    if step.method == "GET":
        return walker.get(path)
    return walker.post(path, data=data)


NAMES: dict[int, str] = {}


def walker_name(walker: Staff) -> str:
    return NAMES[id(walker)]


def _check(reply: requests.Response, status: int, to: str | None, what: str) -> None:
    assert reply.status_code != 500, what
    assert reply.status_code == status, (what, reply.status_code, reply.text[:300])
    if status == 303:
        assert reply.headers["Location"] == to, (what, reply.headers["Location"])
    if status == 403 and "csrf" not in reply.text.lower():
        assert FORBIDDEN in reply.text, what
        assert reply.headers["Content-Type"].startswith("text/html"), what


def _walk(
    walker: Staff, password: str, expected: Callable[[Step], tuple[str, int, str | None]]
) -> None:
    for step in WALK:
        path, status, to = expected(step)
        reply = _request(walker, step, path, password)
        _check(reply, status, to, f"{step.method} {path}")


def test_staff_get_every_staff_route_and_a_clear_403_on_the_administrators(
    console: Console,
) -> None:
    add_account(console.engine, TARGET, TARGET_PASSWORD)
    events = console.events_of(KEEP)
    walker = console.sign_in()
    NAMES[id(walker)] = ACCOUNT
    _walk(walker, PASSWORD, lambda step: (step.path, step.staff, step.staff_to))

    # Nothing the administrators' routes do was done.
    assert console.events_of(KEEP) == events
    found = account(console.engine, TARGET)
    assert found is not None and found.role == STAFF
    assert verify(console.engine, TARGET, TARGET_PASSWORD)
    assert account(console.engine, "walk.added") is None


def test_an_administrator_gets_every_route(console: Console) -> None:
    add_account(console.engine, TARGET, TARGET_PASSWORD)
    phone = console.admin_account("walk.admin")
    walker = console.sign_in_with_code("walk.admin", ADMIN_PASSWORD, phone)
    NAMES[id(walker)] = "walk.admin"

    def expected(step: Step) -> tuple[str, int, str | None]:
        return step.admin_path or step.path, step.admin, step.admin_to

    _walk(walker, ADMIN_PASSWORD, expected)
    assert account(console.engine, TARGET) is None, "removed, last of the changes"
    added = account(console.engine, "walk.added")
    assert added is not None and added.role == STAFF


def is_data(path: str) -> bool:
    """JSON and exports: answered with JSON, never sent to a page."""
    return path.startswith("/staff/api/") or path.endswith((".json", ".csv"))


SETUP_OPEN = {
    "/staff/two-factor",
    "/staff/two-factor/recovery-codes",
    "/staff/two-factor/off",
    "/staff/logout",
    "/staff/static/<name:str>",
}
SIGN_IN = {"/staff/login", "/staff/login/code"}


def test_an_administrator_without_two_factor_is_sent_to_set_it_up_first(
    console: Console,
) -> None:
    add_account(console.engine, "walk.new.admin", ADMIN_PASSWORD, role=ADMIN)
    http = console.http()
    reply = console.try_sign_in(http, "walk.new.admin", ADMIN_PASSWORD)
    assert reply.status_code == 303 and reply.headers["Location"] == "/staff/two-factor"
    walker = Staff(console, http)
    NAMES[id(walker)] = "walk.new.admin"

    for step in WALK:
        if step.route in SIGN_IN or step.route == "/staff/logout" or step.route.startswith(A):
            continue  # sign-in pages: as for anyone; accounts: checked below
        reply = _request(walker, step, step.path, ADMIN_PASSWORD)
        what = f"{step.method} {step.path}"
        assert reply.status_code != 500, what
        if step.route in SETUP_OPEN:
            assert reply.status_code in (OK, BAD, CONFLICT), (what, reply.status_code)
        elif step.method == "GET" and not is_data(step.path):
            assert reply.status_code == 303, (what, reply.status_code)
            assert reply.headers["Location"] == "/staff/two-factor", what
        else:
            assert reply.status_code == 403, (what, reply.status_code)
            assert reply.json() == {"error": "set up two-factor sign-in first"}, what
    for path in ("/staff/accounts", f"/staff/conversations/{KEEP}"):
        assert walker.get(path).headers["Location"] == "/staff/two-factor"
    assert console.events_of(KEEP) > 0

"""Administrators manage accounts in the console, over HTTP; staff see none of it."""

from __future__ import annotations

from staff.accounts import account
from tests.console.conftest import ADMIN_ACCOUNT, KEEP, Console, Staff, hidden_input

NEW_PASSWORD = "a password chosen by the manager"


def _form(admin: Staff) -> dict[str, str]:
    return {"csrf_token": hidden_input(admin.page("/staff/accounts"), "csrf_token")}


def test_an_administrator_adds_resets_promotes_and_removes_an_account(
    console: Console, admin: Staff
) -> None:
    reply = admin.post(
        "/staff/accounts",
        data={**_form(admin), "name": "temp.nurse", "password": NEW_PASSWORD, "role": "staff"},
    )
    assert reply.status_code == 303
    assert "Added temp.nurse." in admin.page(reply.headers["Location"])
    nurse = console.sign_in("temp.nurse", NEW_PASSWORD)
    assert 'href="/staff/accounts"' not in nurse.page("/staff/overview"), "no Accounts for staff"

    reply = admin.post(
        "/staff/accounts/temp.nurse/password",
        data={**_form(admin), "password": "another password, longer"},
    )
    assert reply.status_code == 303
    assert nurse.get("/staff/overview").status_code == 303, "signed out everywhere"
    nurse = console.sign_in("temp.nurse", "another password, longer")

    reply = admin.post("/staff/accounts/temp.nurse/role", data={**_form(admin), "role": "admin"})
    assert reply.status_code == 303
    assert "temp.nurse is now administrator." in admin.page(reply.headers["Location"])
    assert nurse.get("/staff/overview").headers["Location"] == "/staff/two-factor"

    reply = admin.post("/staff/accounts/temp.nurse/remove", data=_form(admin))
    assert reply.status_code == 303
    assert account(console.engine, "temp.nurse") is None
    assert nurse.get("/staff/overview").headers["Location"] == "/staff/login"


def test_bad_changes_are_refused_with_a_reason(console: Console, admin: Staff) -> None:
    short = admin.post(
        "/staff/accounts", data={**_form(admin), "name": "shorty", "password": "short"}
    )
    assert short.status_code == 400 and "at least 12 characters" in short.text
    taken = admin.post(
        "/staff/accounts",
        data={**_form(admin), "name": ADMIN_ACCOUNT, "password": NEW_PASSWORD},
    )
    assert taken.status_code == 400 and "already an account" in taken.text
    bad_name = admin.post(
        "/staff/accounts", data={**_form(admin), "name": "a b", "password": NEW_PASSWORD}
    )
    assert bad_name.status_code == 400
    assert admin.post("/staff/accounts/nobody.at.all/remove", data=_form(admin)).status_code == 404

    own = admin.post(f"/staff/accounts/{ADMIN_ACCOUNT}/remove", data=_form(admin))
    assert own.status_code == 409 and "ask another administrator" in own.text
    own = admin.post(
        f"/staff/accounts/{ADMIN_ACCOUNT}/role", data={**_form(admin), "role": "staff"}
    )
    assert own.status_code == 409
    found = account(console.engine, ADMIN_ACCOUNT)
    assert found is not None and found.is_admin
    assert admin.get("/staff/overview").status_code == 200


def test_only_administrators_see_the_delete_button(admin: Staff, staff: Staff) -> None:
    action = f'action="/staff/conversations/{KEEP}/delete"'
    assert action in admin.page(f"/staff/conversations/{KEEP}")
    page = staff.page(f"/staff/conversations/{KEEP}")
    assert action not in page and "an administrator of the console can delete it" in page
    assert 'href="/staff/accounts"' in admin.page("/staff/overview")

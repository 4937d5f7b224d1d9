"""Managing accounts in the console (staff/accounts.py): administrators only.

Add one, give it a new password, give or take the administrator role, reset
its two-factor sign-in (a lost phone), remove it. Nobody removes themselves
or takes their own role here, and the last administrator stays one; the
command line (`make staff-user`) can still do anything. Each change is
logged with who made it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import partial
from urllib.parse import quote, unquote

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from staff import accounts, two_factor
from staff.accounts import AccountError
from staff.routes.console import ADMIN_ONLY, Console, account_of

logger = logging.getLogger(__name__)

DONE = {
    "added": "Added {name}.",
    "password": "New password set for {name}; they were signed out.",
    "role": "{name} is now {role}.",
    "two-factor": "Two-factor sign-in is off for {name}; they can set it up again.",
    "removed": "Removed {name}.",
}
# The same changes in the log: the account, the role given, and who made the change.
LOGGED = {
    "added": "Staff account %r added as %s by %r",
    "password": "Staff account %r given a new password by %r",
    "role": "Staff account %r made %s by %r",
    "two-factor": "Two-factor sign-in of %r reset by %r",
    "removed": "Staff account %r removed by %r",
}


def _field(request: Request, name: str, limit: int) -> str:
    return str((request.form or {}).get(name) or "")[:limit]


def add_account_routes(staff: Blueprint, console: Console) -> None:
    """`/staff/accounts` and the changes to one account, each `**ADMIN_ONLY`."""
    engine = console.engine

    async def accounts_page(request: Request, error: str = "", status: int = 200) -> HTTPResponse:
        rows = await asyncio.to_thread(accounts.accounts, engine)
        done = DONE.get(request.args.get("done", ""), "")
        if done:
            found = {found.name: found for found in rows}.get(request.args.get("name", ""))
            role = accounts.ROLES[found.role] if found else ""
            done = done.format(name=request.args.get("name", "")[:64], role=role)
        return console.page(
            request,
            "accounts.html",
            status=status,
            rows=rows,
            roles=accounts.ROLES,
            min_password=accounts.MIN_PASSWORD_CHARS,
            done=done,
            error=error,
        )

    def done(request: Request, what: str, name: str, *logged: object) -> HTTPResponse:
        """Log the change with who made it, and go back to the page that says it is done."""
        logger.info(LOGGED[what], name, *logged, account_of(request))
        return response.redirect(f"/staff/accounts?done={what}&name={quote(name)}", status=303)

    async def change(
        request: Request,
        name: str,
        what: str,
        apply: Callable[[str], object],
        *logged: object,
        refused: int = 409,
    ) -> HTTPResponse:
        """`apply` the change to the account at this address; if `accounts` refuses it, the
        page again with why (as `refused`); 404 when there is no such account."""
        found = unquote(name)
        if not await asyncio.to_thread(accounts.account, engine, found):
            return console.not_possible(request, 404, "No such account.")
        try:
            await asyncio.to_thread(apply, found)
        except AccountError as error:
            return await accounts_page(request, str(error), refused)
        return done(request, what, found, *logged)

    @staff.get("/accounts", **ADMIN_ONLY)
    async def accounts_list(request: Request) -> HTTPResponse:
        return await accounts_page(request)

    @staff.post("/accounts", **ADMIN_ONLY)
    async def add(request: Request) -> HTTPResponse:
        name, password = _field(request, "name", 100), _field(request, "password", 1024)
        role = _field(request, "role", 16) or accounts.STAFF
        try:
            accounts.check_name(name)
            accounts.check_role(role)
            if await asyncio.to_thread(accounts.account, engine, name):
                raise AccountError(f"There is already an account {name}: set its password below.")
            await asyncio.to_thread(accounts.add_account, engine, name, password, role)
        except AccountError as error:
            return await accounts_page(request, str(error), 400)
        return done(request, "added", name, role)

    @staff.post("/accounts/<name>/password", **ADMIN_ONLY)
    async def new_password(request: Request, name: str) -> HTTPResponse:
        password = _field(request, "password", 1024)
        set_it = partial(accounts.set_password, engine, password=password)
        return await change(request, name, "password", set_it, refused=400)

    @staff.post("/accounts/<name>/role", **ADMIN_ONLY)
    async def role(request: Request, name: str) -> HTTPResponse:
        role = _field(request, "role", 16)
        give = partial(accounts.set_role, engine, role=role, by=account_of(request))
        return await change(request, name, "role", give, role)

    @staff.post("/accounts/<name>/two-factor/reset", **ADMIN_ONLY)
    async def reset_two_factor(request: Request, name: str) -> HTTPResponse:
        return await change(request, name, "two-factor", partial(two_factor.switch_off, engine))

    @staff.post("/accounts/<name>/remove", **ADMIN_ONLY)
    async def remove(request: Request, name: str) -> HTTPResponse:
        take_away = partial(accounts.remove_account, engine, by=account_of(request))
        return await change(request, name, "removed", take_away)

"""Each staff member's own two-factor sign-in (staff/two_factor.py): set up, codes, off.

`/staff/two-factor` is the one page an administrator without it can open (the
guard sends them here); staff come by choice, from their name at the top.
Switching on and new recovery codes answer with the codes, once; nothing
shows them again.
"""

from __future__ import annotations

import asyncio
import time

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from staff import two_factor
from staff.routes.console import TWO_FACTOR_SETUP, Console, account_of


def _typed_code(request: Request) -> str:
    return str((request.form or {}).get("code") or "")[:64]


def add_two_factor_routes(staff: Blueprint, console: Console) -> None:
    """`/staff/two-factor` (the page, and switching on), its recovery codes, and off."""
    engine = console.engine
    issuer = f"{console.clinic_name} staff console"

    async def setup_page(request: Request, error: str = "", status: int = 200) -> HTTPResponse:
        name = account_of(request)
        on = await asyncio.to_thread(two_factor.is_on, engine, name)
        values: dict[str, object] = {"on": on, "required": request.ctx.staff.is_admin}
        if on:
            values["codes_left"] = await asyncio.to_thread(
                two_factor.recovery_codes_left, engine, name
            )
        else:
            secret = await asyncio.to_thread(two_factor.pending_secret, engine, name)
            values["secret"] = two_factor.grouped(secret)
            values["qr_code"] = two_factor.qr_code(two_factor.setup_link(secret, name, issuer))
        values["recovery_used"] = on and request.args.get("recovery") == "used"
        return console.page(request, "two_factor.html", status=status, error=error, **values)

    def codes_page(request: Request, codes: list[str], heading: str) -> HTTPResponse:
        return console.page(request, "recovery_codes.html", codes=codes, heading=heading)

    @staff.get("/two-factor")
    async def two_factor_page(request: Request) -> HTTPResponse:
        return await setup_page(request)

    @staff.post("/two-factor")
    async def switch_on(request: Request) -> HTTPResponse:
        name = account_of(request)
        if await asyncio.to_thread(two_factor.is_on, engine, name):
            return response.redirect(TWO_FACTOR_SETUP, status=303)
        codes = await asyncio.to_thread(
            two_factor.confirm, engine, name, _typed_code(request), time.time()
        )
        if codes is None:
            message = "That code didn't match. Check the phone's clock and type the newest code."
            return await setup_page(request, message, 400)
        return codes_page(request, codes, "Two-factor sign-in is on")

    @staff.post("/two-factor/recovery-codes")
    async def recovery_codes(request: Request) -> HTTPResponse:
        name = account_of(request)
        if not await asyncio.to_thread(two_factor.check_code, engine, name, _typed_code(request)):
            return await setup_page(request, "That code didn't work. Try the newest one.", 400)
        codes = await asyncio.to_thread(two_factor.new_recovery_codes, engine, name)
        return codes_page(request, codes, "New recovery codes (the old ones no longer work)")

    @staff.post("/two-factor/off")
    async def switch_off(request: Request) -> HTTPResponse:
        if request.ctx.staff.is_admin:
            message = "Administrators always sign in with two factors."
            return console.not_possible(request, 409, message)
        name = account_of(request)
        if not await asyncio.to_thread(two_factor.check_code, engine, name, _typed_code(request)):
            return await setup_page(request, "That code didn't work. Try the newest one.", 400)
        await asyncio.to_thread(two_factor.switch_off, engine, name)
        return response.redirect(TWO_FACTOR_SETUP, status=303)

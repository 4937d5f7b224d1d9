"""The unanswered questions (staff/unanswered.py): grouped, filed for review, exported.

Staff see every wording they file, ticked, and may untick any first; filing
writes the ticked ones for a person to check (staff/review.py) and hides only
what was written. The page, a group's page and the export cover the period
picked as on the Overview (staff/periods.py); filing comes back to the same
period. The export is staff/export.py's CSV, one row per message.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from clinic.content import load_topics
from staff import export, unanswered
from staff.periods import Period, period_from
from staff.routes.console import SECURITY_HEADERS, Console, account_of
from staff.wording import topic_title

MAX_KEYS = 200
SHOWN_ON_LIST = 5  # wordings per group on the list; the group's page shows them all
PAGE = 50  # wordings per page of a group's page


def page_of(request: Request) -> int:
    """The page number asked for; anything else is the first page."""
    try:
        return max(1, min(int(str(request.args.get("page", "1"))), 10**6))
    except ValueError:
        return 1


def add_unanswered_routes(staff: Blueprint, console: Console, review_dir: Path) -> None:
    """`/staff/unanswered`, `/staff/unanswered/group`, `POST /staff/unanswered/decide` and
    `/staff/unanswered.csv`. Filed wordings are written under `review_dir`."""
    articles = (name for name, t in load_topics().items() if t.coverage == "article")
    topics = sorted(articles, key=topic_title)  # offered by their titles, as staff read them

    async def groups_of(period: Period) -> list[unanswered.Group]:
        return await asyncio.to_thread(
            unanswered.unanswered_groups, console.engine, period.since, period.until
        )

    def shown(request: Request, name: str, **values: Any) -> HTTPResponse:
        return console.page(request, name, topics=topics, filed=_filed(request), **values)

    @staff.get("/unanswered")
    async def unanswered_page(request: Request) -> HTTPResponse:
        period = period_from(request.args, time.time())
        groups = await groups_of(period)
        return shown(
            request, "unanswered.html", groups=groups, period=period, shown_on_list=SHOWN_ON_LIST
        )

    @staff.get("/unanswered/group")
    async def group_page(request: Request) -> HTTPResponse:
        period = period_from(request.args, time.time())
        key = str(request.args.get("key", ""))[:255]
        group = unanswered.group_with(await groups_of(period), key)
        page = page_of(request)
        wordings = group.wordings[(page - 1) * PAGE : page * PAGE] if group else []
        pages = 0 if group is None else -(-len(group.wordings) // PAGE)
        return shown(
            request,
            "unanswered_group.html",
            group=group,
            wordings=wordings,
            key=key,
            period=period,
            page=page,
            pages=pages,
            page_size=PAGE,
        )

    @staff.post("/unanswered/decide")
    async def decide(request: Request) -> HTTPResponse:
        form = request.form
        if form is None:
            return console.not_possible(request, 400, "Choose what to do with it.")
        decision = str(form.get("decision") or "")
        keys = [str(k)[:255] for k in form.getlist("key") or []][:MAX_KEYS]
        topic = str(form.get("topic") or "")
        if decision not in unanswered.DECISIONS_TAKEN or not keys:
            return console.not_possible(request, 400, "Choose what to do with it.")
        if decision == "new_wording" and topic not in topics:
            return console.not_possible(request, 400, "Choose the topic it asks.")
        filed = await asyncio.to_thread(
            unanswered.file_wordings,
            console.engine,
            review_dir,
            keys,
            decision,
            account_of(request),
            time.time(),
            topic or None,
        )
        back = _back(str(form.get("back") or ""), period_from(form, time.time()))
        notice = {"filed": decision, "wordings": filed.wordings, "left_out": filed.left_out}
        return response.redirect(f"{back}&{urlencode(notice)}", status=303)

    @staff.get("/unanswered.csv")
    async def unanswered_csv(request: Request) -> HTTPResponse:
        """Every unanswered message of the period, phone numbers and emails replaced."""
        period = period_from(request.args, time.time())
        if period.problem:  # never a file of some other period than the one asked for
            message = f"{period.problem} Pick the dates again on the Unanswered page."
            return console.not_possible(request, 400, message)
        text = await asyncio.to_thread(_export, console, period.since, period.until)
        name = f"unanswered-{period.start}-to-{period.end}.csv"
        return response.text(
            text,
            content_type="text/csv; charset=utf-8",
            headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
        )


def _export(console: Console, since: float, until: float) -> str:
    groups = unanswered.unanswered_groups(console.engine, since, until, with_decided=True)
    return export.unanswered_csv(groups, unanswered.messages(console.engine, since, until))


def _back(key: str, period: Period) -> str:
    """Where filing returns to: the group's page it was filed from, or the list, same period."""
    if key:
        return "/staff/unanswered/group?" + urlencode({"key": key[:255], **period.fields})
    return "/staff/unanswered?" + period.query


def _filed(request: Request) -> dict[str, Any] | None:
    """What the last filing did, from the redirect's query, for the notice."""
    decision = str(request.args.get("filed", ""))
    if decision not in unanswered.DECISIONS_TAKEN:
        return None
    numbers = {}
    for name in ("wordings", "left_out"):
        try:
            numbers[name] = max(0, int(str(request.args.get(name, "0"))))
        except ValueError:
            numbers[name] = 0
    return {"decision": decision, **numbers}

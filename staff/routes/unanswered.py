"""The unanswered questions (staff/unanswered.py): grouped, filed for review, exported.

Filing a group writes it for a person to check (staff/review.py) and hides it
until a new wording arrives; the export is staff/export.py's CSV.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from clinic.content import load_topics
from staff import export, insights, review, unanswered
from staff.routes.console import SECURITY_HEADERS, Console, account_of, period_of

DECISIONS = {"new_wording", "article", "dismissed"}
EXPORT_DAYS = 30
MAX_KEYS = 200
MAX_EXAMPLES = 20


def form_count(sent: Any) -> int:
    """The group's size the form sent back; anything else counts as unknown (0)."""
    try:
        return max(0, min(int(str(sent)), 10**9))
    except ValueError:
        return 0


def add_unanswered_routes(staff: Blueprint, console: Console, review_dir: Path) -> None:
    """`/staff/unanswered`, `POST /staff/unanswered/decide` and `/staff/unanswered.csv`.

    Filed groups are written under `review_dir`.
    """
    topics = sorted(name for name, t in load_topics().items() if t.coverage == "article")

    @staff.get("/unanswered")
    async def unanswered_page(request: Request) -> HTTPResponse:
        period = period_of(request, default="month")
        now = time.time()
        since = now - insights.PERIODS[period] * 86400
        groups = await asyncio.to_thread(unanswered.unanswered_groups, console.engine, since, now)
        return console.page(
            request,
            "unanswered.html",
            groups=groups,
            topics=topics,
            period=period,
            periods=list(insights.PERIODS),
            filed=request.args.get("filed", ""),
        )

    @staff.post("/unanswered/decide")
    async def decide(request: Request) -> HTTPResponse:
        form = request.form
        if form is None:
            return console.not_possible(request, 400, "Choose what to do with it.")
        decision = str(form.get("decision") or "")
        keys = [str(k)[:255] for k in form.getlist("key") or []][:MAX_KEYS]
        examples = [str(e)[:1000] for e in form.getlist("example") or []][:MAX_EXAMPLES]
        topic = str(form.get("topic") or "")
        if decision not in DECISIONS or not keys:
            return console.not_possible(request, 400, "Choose what to do with it.")
        if decision == "new_wording" and topic not in topics:
            return console.not_possible(request, 400, "Choose the topic it asks.")
        account = account_of(request)
        if decision == "new_wording":
            review.add_new_wording(review_dir, topic, examples)
        elif decision == "article":
            count = form_count(form.get("count"))
            review.add_article_question(review_dir, examples, count, account)
        unanswered.decide(console.engine, keys, decision, account, time.time(), topic or None)
        return response.redirect(f"/staff/unanswered?filed={decision}", status=303)

    @staff.get("/unanswered.csv")
    async def unanswered_csv(request: Request) -> HTTPResponse:
        """Every unanswered message of the month, phone numbers and emails replaced."""
        now = time.time()
        since = now - EXPORT_DAYS * 86400
        groups = await asyncio.to_thread(unanswered.unanswered_groups, console.engine, since, now)
        return response.text(
            export.unanswered_csv(groups),
            content_type="text/csv; charset=utf-8",
            headers={
                **SECURITY_HEADERS,
                "Content-Disposition": 'attachment; filename="unanswered.csv"',
            },
        )

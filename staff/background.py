"""The console's work between page views: keeping the index fresh, retention, handing
over live chats nobody took or whose staff member left, and emailing alerts."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

import sqlalchemy as sa

from clinic import calendars
from clinic.alerts import EmailAlerts
from clinic.handoff.live_chat import LiveChatSettings
from clinic.settings import load_clinic_settings
from staff import alerts, conversations, grouping, live
from staff.indexer import catch_up
from staff.rasa_link import RasaLink

logger = logging.getLogger(__name__)

INDEX_EVERY_S = 2.0
RETENTION_EVERY_S = 24 * 3600


async def keep_index_fresh(
    engine: sa.engine.Engine, after_each: Callable[[], Awaitable[None]] | None = None
) -> None:
    """Index new events every few seconds, then run `after_each` (live chat's timeouts);
    apply the retention period once a day. Grouping questions is made ready first."""
    days = load_clinic_settings().retention_days
    next_retention = time.time()
    await asyncio.to_thread(grouping.warm_up)
    while True:
        try:
            await asyncio.to_thread(catch_up, engine)
            if time.time() >= next_retention:
                deleted = await asyncio.to_thread(
                    conversations.apply_retention, engine, days, calendars.calendar_dir()
                )
                if deleted:
                    logger.info(
                        "Retention: deleted %s conversation(s) older than %s days", deleted, days
                    )
                next_retention = time.time() + RETENTION_EVERY_S
            if after_each is not None:
                await after_each()
        except sa.exc.SQLAlchemyError as error:
            logger.warning("Staff index: %s (retrying)", type(error).__name__)
        await asyncio.sleep(INDEX_EVERY_S)


async def hand_over_due_chats(
    engine: sa.engine.Engine, link: RasaLink, settings: LiveChatSettings
) -> None:
    """Time out chats nobody took (callback offer) and re-queue those whose staff left."""
    now = time.time()
    found = await asyncio.to_thread(live.due, engine, settings, now)
    for sender in found.orphaned:
        await asyncio.to_thread(live.unclaim, engine, sender, now)
        logger.info("A live chat's staff member left; it is back in the queue")
    for sender in found.unanswered:
        result = await link.step("back", sender, "assistant", reason="unanswered")
        if not result.ok and result.code != "not_paused":
            logger.warning("Could not hand an unanswered chat back: %s", result.code)


async def email_alerts(engine: sa.engine.Engine, settings: EmailAlerts, clinic: str) -> None:
    """Email the clinic about chats now waiting and new safety routes (when configured)."""
    if settings.enabled:
        await alerts.email_due_alerts(engine, settings, clinic, time.time())

"""The console's work between page views: keeping the index fresh, and retention."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

import sqlalchemy as sa

from clinic import calendars
from clinic.settings import load_clinic_settings
from staff import conversations
from staff.indexer import catch_up

logger = logging.getLogger(__name__)

INDEX_EVERY_S = 2.0
RETENTION_EVERY_S = 24 * 3600


async def keep_index_fresh(
    engine: sa.engine.Engine, after_each: Callable[[], Awaitable[None]] | None = None
) -> None:
    """Index new events every few seconds, then run `after_each` (live chat's timeouts);
    apply the retention period once a day."""
    days = load_clinic_settings().retention_days
    next_retention = time.time()
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

"""What staff are alerted to beyond an open Live page: a visitor waiting, a new safety route.

Two ways: the console's pages poll `/staff/api/alerts.json` and the browser
shows a notification (staff/static/alerts.js, the Notification API); and,
when clinic.yml's `alerts.email_to` is set, the background task emails the
clinic (clinic/alerts.py). Each email is claimed in `staff_alerts_sent`
before it is sent, so two web replicas never send the same one; safety
routes are emailed from the newest one when the console started, never the
whole history.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

import sqlalchemy as sa

from clinic import alerts
from staff import live
from staff.db import ALERTS_SENT, INDEX_STATE, TURNS
from staff.safety import count_unreviewed
from staff.turns import SAFETY

logger = logging.getLogger(__name__)

SAFETY_MARK = "safety_alerts"  # INDEX_STATE row: the newest safety route already alerted
CHANNELS = {
    "socketio": "the website chat",
    "rest": "the app",
    "telegram": "Telegram",
    "slack": "Slack",
    "facebook": "Messenger",
    "twilio": "SMS or WhatsApp",
}


@dataclass(frozen=True)
class Alerts:
    """What the console's pages need for browser notifications."""

    waiting: list[live.Chat]
    newest_safety: int  # the newest safety route's event id (0: none)
    unreviewed_safety: int


def current(engine: sa.engine.Engine) -> Alerts:
    """Chats waiting now and the safety routes, for `/staff/api/alerts.json`."""
    waiting = [chat for chat in live.open_chats(engine) if chat.taken_by is None]
    with engine.connect() as connection:
        newest = connection.execute(
            sa.select(sa.func.max(TURNS.c.event_id)).where(TURNS.c.outcome == SAFETY)
        ).scalar()
        unreviewed = count_unreviewed(connection)
    return Alerts(waiting, int(newest or 0), unreviewed)


def _claim(engine: sa.engine.Engine, key: str, now: float) -> bool:
    """True for the one caller whose row landed: that caller sends the alert."""
    try:
        with engine.begin() as connection:
            connection.execute(sa.insert(ALERTS_SENT).values(key=key[:320], at=now))
    except sa.exc.IntegrityError:
        return False
    return True


def _new_safety_routes(engine: sa.engine.Engine) -> list[tuple[int, float]]:
    """Safety routes after the mark (moved past them in the same transaction); on the first
    run, only the mark is set."""
    with engine.begin() as connection:
        mark = connection.execute(
            sa.select(INDEX_STATE.c.last_event_id).where(INDEX_STATE.c.name == SAFETY_MARK)
        ).scalar()
        newest = connection.execute(
            sa.select(sa.func.max(TURNS.c.event_id)).where(TURNS.c.outcome == SAFETY)
        ).scalar()
        newest = int(newest or 0)
        if mark is None:
            connection.execute(
                sa.insert(INDEX_STATE).values(name=SAFETY_MARK, last_event_id=newest)
            )
            return []
        if newest <= mark:
            return []
        moved = connection.execute(
            sa.update(INDEX_STATE)
            .where(INDEX_STATE.c.name == SAFETY_MARK, INDEX_STATE.c.last_event_id == mark)
            .values(last_event_id=newest)
        )
        if moved.rowcount != 1:
            return []  # another replica took these
        rows = connection.execute(
            sa.select(TURNS.c.event_id, TURNS.c.at)
            .where(TURNS.c.outcome == SAFETY, TURNS.c.event_id > mark)
            .order_by(TURNS.c.event_id)
        ).all()
    return [(row.event_id, row.at) for row in rows]


def due_emails(
    engine: sa.engine.Engine, settings: alerts.EmailAlerts, clinic: str, now: float
) -> list[EmailMessage]:
    """The alerts to email now, each claimed so it is sent once."""
    if not settings.enabled:
        return []
    found = []
    for chat in live.open_chats(engine):
        key = f"chat:{chat.sender_id}:{chat.asked_at}"
        if chat.taken_by is None and _claim(engine, key, now):
            channel = CHANNELS.get(chat.channel or "", chat.channel or "a chat")
            found.append(alerts.waiting_chat_alert(settings, clinic, channel, chat.asked_at))
    for _, at in _new_safety_routes(engine):
        found.append(alerts.safety_alert(settings, clinic, at))
    return found


async def email_due_alerts(
    engine: sa.engine.Engine, settings: alerts.EmailAlerts, clinic: str, now: float
) -> int:
    """Send what is due (in a thread: SMTP blocks); a refused alert is logged, not retried."""
    messages = await asyncio.to_thread(due_emails, engine, settings, clinic, now)
    sent = 0
    for message in messages:
        try:
            await asyncio.to_thread(alerts.send, settings, message)
            sent += 1
        except (OSError, smtplib.SMTPException) as error:
            logger.warning("Email alert not sent: %s", type(error).__name__)
    if sent:
        logger.info("Email alerts sent: %s", sent)
    return sent

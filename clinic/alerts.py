"""Email alerts to the clinic: the `alerts` section of clinic.yml, the messages, and sending.

Staff who are not looking at the console hear of a visitor waiting for a live
chat and of a new safety route by email, when `alerts.email_to` is set. An
alert says what happened, when, on which channel, and links to the console;
it never holds what a visitor wrote (the message goes through the clinic's
mail provider). The SMTP password is read from the environment
(`ALERT_SMTP_PASSWORD`), never from clinic.yml. Rasa-free: the console's
background task (staff/alerts.py) decides what to send and calls `send`.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from clinic import environment
from clinic.settings import ClinicSettingsError, read_clinic_yaml

PASSWORD_ENV = environment.ALERT_SMTP_PASSWORD.name
SECURITY = ("none", "starttls", "tls")
SMTP_TIMEOUT_S = 15


@dataclass(frozen=True)
class EmailAlerts:
    """Where alerts go and through which SMTP server; `enabled` only with an address."""

    to: str = ""
    sender: str = ""
    console_url: str = "http://localhost:8080/staff"
    host: str = "localhost"
    port: int = 25
    security: str = "starttls"
    username: str = ""
    time_zone: str = "Europe/London"

    @property
    def enabled(self) -> bool:
        return bool(self.to)


def _text(raw: dict[str, Any], key: str, default: str = "") -> str:
    value = raw.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str | int):
        raise ClinicSettingsError(f"clinic.yml: alerts.{key} must be text.")
    return str(value).strip()


def parse_alerts(raw: Any, time_zone: str = "Europe/London") -> EmailAlerts:
    """The `alerts` mapping of clinic.yml; none, or no `email_to`, means no email."""
    if raw is None:
        return EmailAlerts(time_zone=time_zone)
    if not isinstance(raw, dict):
        raise ClinicSettingsError("clinic.yml: 'alerts' must be a mapping.")
    smtp = raw.get("smtp") or {}
    if not isinstance(smtp, dict):
        raise ClinicSettingsError("clinic.yml: alerts.smtp must be a mapping.")
    to = _text(raw, "email_to")
    sender = _text(raw, "email_from") or to
    if to and ("@" not in to or "@" not in sender):
        raise ClinicSettingsError("clinic.yml: alerts.email_to and email_from must be addresses.")
    port = smtp.get("port", 25)
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ClinicSettingsError("clinic.yml: alerts.smtp.port must be a port number.")
    security = str(smtp.get("security") or "starttls").strip().lower()
    if security not in SECURITY:
        raise ClinicSettingsError("clinic.yml: alerts.smtp.security must be none, starttls or tls.")
    return EmailAlerts(
        to=to,
        sender=sender,
        console_url=_text(raw, "console_url", EmailAlerts.console_url).rstrip("/"),
        host=_text(smtp, "host", "localhost"),
        port=port,
        security=security,
        username=_text(smtp, "username"),
        time_zone=time_zone,
    )


@lru_cache(maxsize=4)
def load_alerts(path: str | None = None) -> EmailAlerts:
    """The email alerts of the clinic.yml that `load_clinic_settings` reads."""
    raw = read_clinic_yaml(path)
    raw = raw if isinstance(raw, dict) else {}
    live = raw.get("live_chat") if isinstance(raw.get("live_chat"), dict) else {}
    zone = str((live or {}).get("time_zone") or "Europe/London")
    return parse_alerts(raw.get("alerts"), zone)


def _clock(settings: EmailAlerts, at: float) -> str:
    return datetime.fromtimestamp(at, ZoneInfo(settings.time_zone)).strftime("%H:%M on %-d %B")


def waiting_chat_alert(
    settings: EmailAlerts, clinic: str, channel: str, asked_at: float
) -> EmailMessage:
    """A visitor is waiting for a live chat: where, since when, and the Live page's link."""
    return _message(
        settings,
        f"{clinic}: a visitor is waiting for a live chat",
        f"A visitor on {channel} asked to chat with the team at "
        f"{_clock(settings, asked_at)}.\n\nTake the chat in the console: "
        f"{settings.console_url}/live\n\nNobody taking it within the wait set in "
        "clinic.yml means the visitor is offered a callback request instead.",
    )


def safety_alert(settings: EmailAlerts, clinic: str, at: float) -> EmailMessage:
    """A new safety route for a clinician to review (not what the visitor wrote)."""
    return _message(
        settings,
        f"{clinic}: a new safety route to review",
        f"The assistant sent a visitor to the clinic's team at {_clock(settings, at)} "
        f"(for example about pregnancy or a reaction after treatment).\n\nReview it in the "
        f"safety log: {settings.console_url}/safety",
    )


def _message(settings: EmailAlerts, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.sender
    message["To"] = settings.to
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body + "\n\n(An automatic message from the clinic's assistant.)\n")
    return message


def send(settings: EmailAlerts, message: EmailMessage) -> None:
    """Send one alert; raises OSError or smtplib.SMTPException when the server refuses."""
    password = environment.ALERT_SMTP_PASSWORD.get()
    context = ssl.create_default_context()
    if settings.security == "tls":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=SMTP_TIMEOUT_S, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_S)
    with smtp:
        if settings.security == "starttls":
            smtp.starttls(context=context)
        if settings.username:
            smtp.login(settings.username, password)
        smtp.send_message(message)

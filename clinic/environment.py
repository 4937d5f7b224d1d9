"""Every environment variable of the assistant, declared once: name, type, default, reader.

As encode/starlette's `config.py` does, each variable is read through one small
reader that casts its text and says clearly what is wrong with a bad value
("WEB_PORT must be a whole number, not 'eighty'"). A variable is read when its
`get()` is called, so tests and demos that set one at run time
(`CALENDAR_DIR`, `CLINIC_TODAY`, `CLINIC_CONFIG`) take effect; an empty value
means the default.

The list also declares the variables that only Rasa (the production endpoints
profile), Sanic, the start-up scripts or Docker Compose read, so that
docs/environment.md, printed by `python -m clinic.environment`, is one complete
table; a test keeps the two equal.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

PROJECT_ROOT = Path(__file__).resolve().parent.parent

T = TypeVar("T")


class EnvironmentVariableError(ValueError):
    """An environment variable holds a value its reader cannot use."""


@dataclass(frozen=True)
class Variable(Generic[T]):
    """One environment variable: what it means, its type, its default and who reads it."""

    name: str
    cast: Callable[[str], T]
    expected: str
    default: T
    means: str
    read_by: str
    shown_default: str = ""

    def get(self, environ: Mapping[str, str] | None = None) -> T:
        """The variable's value now (from `environ`, default `os.environ`), cast to its type."""
        value = (os.environ if environ is None else environ).get(self.name, "").strip()
        if not value:
            return self.default
        try:
            return self.cast(value)
        except ValueError:
            raise EnvironmentVariableError(
                f"{self.name} must be {self.expected}, not {value!r}"
            ) from None

    def set_default(self, value: str) -> None:
        """Set the variable for this process and the ones it starts, unless it is set."""
        os.environ.setdefault(self.name, value)

    def default_text(self) -> str:
        """The default as the docs table shows it (Markdown): project paths relative."""
        default: object = self.default
        if self.shown_default:
            return self.shown_default
        if default is None or default == "":
            return "(empty)"
        if isinstance(default, Path) and default.is_relative_to(PROJECT_ROOT):
            default = default.relative_to(PROJECT_ROOT)
        return f"`{str(default).lower() if isinstance(default, bool) else default}`"


_REFERENCE = re.compile(r"\$\{([^}]+)\}")


def fill_in(value: str, environ: Mapping[str, str] | None = None) -> str:
    """`value` with each `${NAME}` replaced by that variable, as Rasa fills in endpoints files."""
    values = os.environ if environ is None else environ

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise EnvironmentVariableError(f"${{{name}}} is not set in the environment.")
        return values[name]

    return _REFERENCE.sub(replace, value)


def _true_or_false(value: str) -> bool:
    words = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
    if value.lower() not in words:
        raise ValueError(value)
    return words[value.lower()]


def _text(name: str, default: str, means: str, read_by: str, shown: str = "") -> Variable[str]:
    return Variable(name, str, "text", default, means, read_by, shown)


def _optional_text(name: str, means: str, read_by: str, shown: str) -> Variable[str | None]:
    return Variable(name, str, "text", None, means, read_by, shown)


def _whole_number(name: str, default: int, means: str, read_by: str) -> Variable[int]:
    return Variable(name, int, "a whole number", default, means, read_by)


def _number(name: str, default: float, means: str, read_by: str) -> Variable[float]:
    return Variable(name, float, "a number", default, means, read_by)


def _path(name: str, default: Path, means: str, read_by: str) -> Variable[Path]:
    return Variable(name, Path, "a path", default, means, read_by)


def _flag(name: str, default: bool, means: str, read_by: str) -> Variable[bool]:
    return Variable(name, _true_or_false, "true or false", default, means, read_by)


def _day(name: str, means: str, read_by: str, shown: str) -> Variable[date | None]:
    return Variable(name, date.fromisoformat, "a date like 2026-12-24", None, means, read_by, shown)


def _profile(name: str, means: str, read_by: str = "Rasa") -> Variable[str | None]:
    """A value of endpoints.production.yml: Rasa stops at start-up when it is unset."""
    return _optional_text(name, means, read_by, "required by the production profile")


# Readers, as the table names them.
_ALL = "every process (clinic/settings.py)"
_RASA = "Rasa server"
_ACTIONS = "action server"
_WEB = "web app"
_PROFILE = "Rasa (endpoints.production.yml); web app and staff tools (clinic/tracker_db.py)"
_CHANNELS = "Rasa server (rasa_ext/channels/credentials.py)"

# The clinic and its files.
CLINIC_CONFIG = _path(
    "CLINIC_CONFIG",
    PROJECT_ROOT / "clinic.yml",
    "Where the clinic's settings file is",
    _ALL,
)
CLINIC_TODAY = _day(
    "CLINIC_TODAY",
    "A fixed 'today' for demos and conversation tests (ISO date)",
    "action server (clinic/settings.py)",
    "the real date",
)
CALENDAR_DIR = _path(
    "CALENDAR_DIR",
    PROJECT_ROOT / "var" / "calendars",
    "Folder of the planned calendars (.ics) the action server writes and the web app serves",
    f"{_ACTIONS}, {_WEB} (clinic/calendars.py)",
)
CALENDAR_BASE_URL = _text(
    "CALENDAR_BASE_URL",
    "",
    "Public address of the web app's /calendars; empty means visitors get a file path",
    f"{_ACTIONS} (clinic/calendars.py); scripts/run.sh sets it",
)

# Secrets shared between processes.
CHAT_SESSION_KEY = _text(
    "CHAT_SESSION_KEY",
    "",
    "Key that signs the widget's chat sessions (32+ characters); empty means the key file",
    f"{_WEB}, {_RASA} (clinic/guard/session_tokens.py); deploy/rasa-entrypoint.sh",
)
CHAT_SESSION_KEY_FILE = _path(
    "CHAT_SESSION_KEY_FILE",
    PROJECT_ROOT / "var" / "chat-session.key",
    "File holding the chat session key when CHAT_SESSION_KEY is unset (made on first use)",
    f"{_WEB}, {_RASA} (clinic/guard/session_tokens.py); scripts/run.sh",
)
HANDOFF_SECRET = _text(
    "HANDOFF_SECRET",
    "",
    "Secret the console sends with staff messages to Rasa (32+ characters); empty means the file",
    f"{_WEB}, {_RASA} (clinic/handoff/secret.py)",
)
HANDOFF_SECRET_FILE = _path(
    "HANDOFF_SECRET_FILE",
    PROJECT_ROOT / "var" / "handoff.key",
    "File holding the handoff secret when HANDOFF_SECRET is unset (made on first use)",
    f"{_WEB}, {_RASA} (clinic/handoff/secret.py)",
)
ACTION_SERVER_TOKEN = _text(
    "ACTION_SERVER_TOKEN",
    "",
    "Secret Rasa sends the action server (X-Action-Token); the action server refuses to start "
    "without it",
    f"{_ACTIONS} (actions/server.py); Rasa (endpoints*.yml); scripts/action-server.sh",
    shown="`var/action-server.token` under `make run`; required otherwise",
)

# The action server.
ACTION_SERVER_HOST = _text(
    "ACTION_SERVER_HOST",
    "127.0.0.1",
    "Address the action server listens on",
    f"{_ACTIONS} (actions/server.py)",
)
ACTION_SERVER_PORT = _whole_number(
    "ACTION_SERVER_PORT",
    5055,
    "Port the action server listens on",
    f"{_ACTIONS} (actions/server.py)",
)
ACTION_SERVER_LOG_LEVEL = _text(
    "ACTION_SERVER_LOG_LEVEL",
    "INFO",
    "Log level of the action server (DEBUG, INFO, WARNING, ERROR)",
    f"{_ACTIONS} (actions/server.py)",
)
STAFF_CONSOLE_URL = _text(
    "STAFF_CONSOLE_URL",
    "http://127.0.0.1:8080",
    "Web app the action server asks whether staff can take a live chat",
    f"{_ACTIONS} (actions/handoff.py); scripts/run.sh sets it",
)

# The Rasa server.
ACTION_SERVER_TIMEOUT = _number(
    "ACTION_SERVER_TIMEOUT",
    10.0,
    "Seconds a custom action may take before the visitor hears that planning is unavailable",
    f"{_RASA} (rasa_ext/action_timeout.py)",
)
SOCKETIO_REDIS_URL = _text(
    "SOCKETIO_REDIS_URL",
    "",
    "Redis that shares socket.io rooms between Rasa replicas; empty means one process",
    f"{_RASA} (rasa_ext/channels/guarded.py)",
)
RATE_LIMIT_STORAGE_URL = _text(
    "RATE_LIMIT_STORAGE_URL",
    "",
    "Where rate-limit counts live (e.g. redis://host:6379/1, shared by every replica); empty "
    "means memory, per process",
    f"{_RASA}; {_WEB} (clinic/guard/rate_limit.py)",
)
ALERT_SMTP_PASSWORD = _text(
    "ALERT_SMTP_PASSWORD",
    "",
    "Password for clinic.yml's alerts SMTP account, when it needs one",
    f"{_WEB} (clinic/alerts.py)",
)
RASA_TELEMETRY_ENABLED = _flag(
    "RASA_TELEMETRY_ENABLED",
    False,
    "Rasa's usage telemetry and error reports; off unless set to true",
    "Rasa; rasa_ext/__main__.py sets the default",
)
SANIC_WORKERS = _whole_number(
    "SANIC_WORKERS",
    1,
    "Worker processes per Rasa server (docs/deployment.md, 'SANIC_WORKERS')",
    "Rasa",
)
SANIC_KEEP_ALIVE_TIMEOUT = _whole_number(
    "SANIC_KEEP_ALIVE_TIMEOUT",
    5,
    "Seconds Sanic keeps an idle connection; 120 in the production profile",
    "Rasa, action server (Sanic)",
)

# The web app.
WEB_HOST = _text("WEB_HOST", "127.0.0.1", "Address the web app listens on", f"{_WEB} (web/app.py)")
WEB_PORT = _whole_number(
    "WEB_PORT", 8080, "Port the web app listens on", f"{_WEB} (web/app.py); scripts/run.sh"
)
RASA_URL = _text(
    "RASA_URL",
    "http://localhost:5005",
    "Where the visitor's browser reaches Rasa's socket.io channel",
    f"{_WEB} (web/app.py)",
)
RASA_INTERNAL_URL = _optional_text(
    "RASA_INTERNAL_URL",
    "Where the web app itself reaches Rasa (live chat); unset means RASA_URL",
    f"{_WEB} (web/app.py)",
    "`RASA_URL`",
)
ENDPOINTS = _path(
    "ENDPOINTS",
    Path("endpoints.yml"),
    "Endpoints file whose tracker_store the staff console reads (and Rasa, on `make run`)",
    f"{_WEB} (web/app.py); scripts/run.sh",
)
WEB_PROXIES = _whole_number(
    "WEB_PROXIES",
    0,
    "Reverse proxies in front of the web app whose X-Forwarded-* headers are believed",
    f"{_WEB} (web/app.py)",
)

# Start-up scripts.
LOG_DIR = _path(
    "LOG_DIR",
    PROJECT_ROOT / "var",
    "Folder of the web app's and the action server's logs on `make run` and `make shell`",
    "scripts/run.sh, scripts/action-server.sh",
)
RASA_PORT = _whole_number("RASA_PORT", 5005, "Port of the Rasa server", "scripts/run.sh")
ACTIONS_PORT = _whole_number(
    "ACTIONS_PORT",
    5055,
    "Port of the action server (Rasa gets a copy of the endpoints file naming it, "
    "`var/endpoints-<port>.yml` while it runs)",
    "scripts/run.sh, scripts/shell.sh",
)
RASA_CORS_ORIGINS = _text(
    "RASA_CORS_ORIGINS",
    "http://localhost:8080",
    "Origins allowed to call Rasa from a browser (space-separated, no wildcards)",
    "scripts/run.sh, deploy/rasa-entrypoint.sh",
)
RASA_ENABLE_API = _flag(
    "RASA_ENABLE_API",
    False,
    "Open Rasa's HTTP API (only together with RASA_JWT_SECRET)",
    "deploy/rasa-entrypoint.sh",
)
RASA_JWT_SECRET = _text(
    "RASA_JWT_SECRET", "", "Secret of Rasa's HTTP API when it is open", "deploy/rasa-entrypoint.sh"
)
RASA_ENDPOINTS = _text(
    "RASA_ENDPOINTS",
    "endpoints.production.yml",
    "Endpoints file of the production profile, for `rasa run --endpoints`",
    "scripts/production-env.sh sets it; tests/production",
)
BENCH_POSTGRES = _text(
    "BENCH_POSTGRES",
    "postgresql://postgres@127.0.0.1:5432/test",
    "PostgreSQL server the console benchmark makes its database on",
    "bench/console.py",
)

# Docker Compose's own inputs (deploy/.env), for the images and published ports.
_COMPOSE = "Docker Compose (deploy/docker-compose.yml)"
CLINICBOT_VERSION = _text("CLINICBOT_VERSION", "local", "Tag of the images built", _COMPOSE)
PUBLIC_URL = _text(
    "PUBLIC_URL",
    "http://localhost:8080",
    "Where visitors reach the bot; given to the web app as RASA_URL",
    _COMPOSE,
)
PUBLIC_PORT = _whole_number("PUBLIC_PORT", 8080, "Host port nginx publishes", _COMPOSE)
STAFF_PORT = _whole_number(
    "STAFF_PORT", 8081, "Host port of the staff console (loopback only)", _COMPOSE
)

# The production profile (endpoints.production.yml): Rasa fills these in and
# stops at start-up when one is unset; scripts/production-env.sh and
# deploy/docker-compose.yml give each a value.
ACTION_SERVER_URL = _profile("ACTION_SERVER_URL", "Action server's webhook, as Rasa calls it")
DB_HOST = _profile("DB_HOST", "PostgreSQL host of the tracker store", _PROFILE)
DB_PORT = _profile("DB_PORT", "PostgreSQL port", _PROFILE)
DB_NAME = _profile("DB_NAME", "PostgreSQL database", _PROFILE)
DB_USER = _profile("DB_USER", "PostgreSQL user", _PROFILE)
DB_PASSWORD = _profile("DB_PASSWORD", "PostgreSQL password", _PROFILE)
REDIS_HOST = _profile("REDIS_HOST", "Redis host of the lock store")
REDIS_PORT = _profile("REDIS_PORT", "Redis port")
REDIS_DB = _profile("REDIS_DB", "Redis database number of the lock store")
REDIS_PASSWORD = _profile("REDIS_PASSWORD", "Redis password")
RABBITMQ_HOST = _profile("RABBITMQ_HOST", "RabbitMQ host of the event broker")
RABBITMQ_USER = _profile("RABBITMQ_USER", "RabbitMQ user")
RABBITMQ_PASSWORD = _profile("RABBITMQ_PASSWORD", "RabbitMQ password")
RABBITMQ_EXCHANGE = _profile("RABBITMQ_EXCHANGE", "RabbitMQ exchange the events go to")
RABBITMQ_QUEUE = _profile("RABBITMQ_QUEUE", "RabbitMQ queue bound to the exchange")

# Messaging channels (docs/channels.md): each opens only when all its variables are set.
TELEGRAM_TOKEN = _text("TELEGRAM_TOKEN", "", "Telegram bot token", _CHANNELS)
TELEGRAM_BOT_NAME = _text("TELEGRAM_BOT_NAME", "", "Telegram bot name", _CHANNELS)
TELEGRAM_WEBHOOK_URL = _text("TELEGRAM_WEBHOOK_URL", "", "Telegram webhook address", _CHANNELS)
SLACK_TOKEN = _text("SLACK_TOKEN", "", "Slack bot token", _CHANNELS)
SLACK_SIGNING_SECRET = _text("SLACK_SIGNING_SECRET", "", "Slack signing secret", _CHANNELS)
FACEBOOK_VERIFY_TOKEN = _text("FACEBOOK_VERIFY_TOKEN", "", "Messenger verify token", _CHANNELS)
FACEBOOK_APP_SECRET = _text("FACEBOOK_APP_SECRET", "", "Messenger app secret", _CHANNELS)
FACEBOOK_PAGE_ACCESS_TOKEN = _text(
    "FACEBOOK_PAGE_ACCESS_TOKEN", "", "Messenger page access token", _CHANNELS
)
TWILIO_ACCOUNT_SID = _text("TWILIO_ACCOUNT_SID", "", "Twilio account SID", _CHANNELS)
TWILIO_AUTH_TOKEN = _text("TWILIO_AUTH_TOKEN", "", "Twilio auth token", _CHANNELS)
TWILIO_NUMBER = _text("TWILIO_NUMBER", "", "Twilio number (SMS or WhatsApp)", _CHANNELS)

VARIABLES: tuple[Variable[Any], ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Variable)
)


def table() -> str:
    """The Markdown table of docs/environment.md."""
    rows = ["| variable | what it does | default | read by |", "|---|---|---|---|"]
    for variable in VARIABLES:
        rows.append(
            f"| `{variable.name}` | {variable.means} | {variable.default_text()} "
            f"| {variable.read_by} |"
        )
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(table())

"""How many messages a visitor (or an address) may send: one budget for the whole deployment.

A limit is a burst (messages sent at once) and a steady pace per minute
(clinic.yml's `input_limits`). The `limits` library keeps it as a moving
window of `burst` messages per `burst / per_minute` minutes: the same burst
at once, the same pace over time, and in no stretch of time more than a
token bucket with that burst and pace would allow.

Where the counts live is one URL, `RATE_LIMIT_STORAGE_URL`: `memory://`
(the default: one process, as `make run` starts) or `redis://…` (the
production profile): every replica then counts against the same budget, so
two replicas do not allow twice the limit. If Redis can't be reached, messages
are allowed and one line is logged per outage: visitors must still be answered.
"""

from __future__ import annotations

import logging
import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from clinic import environment

with warnings.catch_warnings():
    # limits 2.4 reads its Lua scripts with pkg_resources, whose import warns that
    # it is deprecated (and Sanic shows such warnings once): known and harmless,
    # and 2.4 is the newest limits Rasa 3.6's pins allow.
    warnings.simplefilter("ignore", DeprecationWarning)
    from limits import RateLimitItemPerSecond
    from limits.storage import Storage, storage_from_string
    from limits.strategies import MovingWindowRateLimiter

logger = logging.getLogger(__name__)

STORAGE_ENV = environment.RATE_LIMIT_STORAGE_URL.name
DEFAULT_STORAGE = "memory://"
# Keys look like `clinicbot-rate/<limit>/<key>/<burst>/<seconds>/second`.
NAMESPACE = "clinicbot-rate"
# A limit is not worth a slow answer: give up on Redis quickly, then leave it
# alone for a while rather than wait on it for every message.
SOCKET_TIMEOUT_S = 0.5
RETRY_AFTER_FAILURE_S = 5.0


class Counts:
    """Where the limits count (a `limits` storage), and whether it answers just now."""

    def __init__(self, url: str, clock: Callable[[], float] = time.monotonic) -> None:
        options: dict[str, Any] = {}
        if urlsplit(url).scheme.startswith("redis"):
            options = {
                "socket_timeout": SOCKET_TIMEOUT_S,
                "socket_connect_timeout": SOCKET_TIMEOUT_S,
            }
        self.storage: Storage = storage_from_string(url, **options)
        self.address = _without_password(url)
        self.clock = clock
        self._failed_at: float | None = None

    def usable(self) -> bool:
        """False for a while after a failure: messages are then allowed without asking."""
        return self._failed_at is None or self.clock() - self._failed_at >= RETRY_AFTER_FAILURE_S

    def failed(self, error: Exception) -> None:
        if self._failed_at is None:
            logger.warning(
                "rate_limit storage_unavailable address=%s error=%s: messages are allowed "
                "without a limit until it answers again",
                self.address,
                f"{type(error).__name__}: {error}",
            )
        self._failed_at = self.clock()

    def answered(self) -> None:
        if self._failed_at is not None:
            logger.info("rate_limit storage_back address=%s: limits apply again", self.address)
            self._failed_at = None


def configured_counts() -> Counts:
    """The storage `RATE_LIMIT_STORAGE_URL` names: memory of its own for each limit when
    unset, or one storage (one Redis connection pool) per URL shared by the process."""
    url = environment.RATE_LIMIT_STORAGE_URL.get() or DEFAULT_STORAGE
    return Counts(url) if urlsplit(url).scheme == "memory" else _shared_counts(url)


@cache
def _shared_counts(url: str) -> Counts:
    return Counts(url)


@dataclass(frozen=True)
class Window:
    """A burst and a pace as a moving window: `burst` messages per `seconds`."""

    burst: int
    seconds: int

    @classmethod
    def of(cls, burst: int, per_minute: float) -> Window:
        """The window that keeps `burst` and, rounded to a whole second up, the pace."""
        if burst < 0 or per_minute <= 0:
            raise ValueError("burst must be >= 0 and per_minute > 0")
        return cls(burst, max(1, math.ceil(60 * burst / per_minute)))


class RateLimit:
    """`burst` messages at once per key, then `per_minute` a minute; a burst of 0 is off.

    `name` keeps limits apart in a shared storage (the REST channel's per-visitor
    limit and the widget's count separately, as they always have).
    """

    def __init__(
        self, name: str, burst: int, per_minute: float, counts: Counts | None = None
    ) -> None:
        self.name = name
        self.window = Window.of(burst, per_minute)
        self.counts = counts or configured_counts()
        self._item = RateLimitItemPerSecond(max(burst, 1), self.window.seconds, namespace=NAMESPACE)
        # The strategy keeps only a weak reference to the storage; `counts` holds it.
        self._limiter = MovingWindowRateLimiter(self.counts.storage)

    @property
    def enabled(self) -> bool:
        return self.window.burst > 0

    def allow(self, key: str) -> bool:
        """Count a message for `key` if the window has room; False means: refuse it."""
        if not self.enabled or not self.counts.usable():
            return True
        try:
            allowed = bool(self._limiter.hit(self._item, self.name, key))
        except _UNAVAILABLE as error:
            self.counts.failed(error)
            return True
        self.counts.answered()
        return allowed

    def retry_after(self, key: str) -> int:
        """Whole seconds until `key` may send again (0 if it may now).

        The library's estimate: from the newest message in the window, so at
        most the window, and sometimes longer than needed.
        """
        if not self.enabled or not self.counts.usable():
            return 0
        try:
            reset, remaining = self._limiter.get_window_stats(self._item, self.name, key)
        except _UNAVAILABLE as error:
            self.counts.failed(error)
            return 0
        if remaining > 0:
            return 0
        return max(1, min(self.window.seconds, math.ceil(reset - time.time())))


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _unavailable_errors() -> tuple[type[Exception], ...]:
    """What a storage that can't be reached raises (redis-py's errors when it is installed)."""
    try:
        from redis.exceptions import RedisError
    except ImportError:  # the web image has no Redis client; it counts in memory
        return (OSError,)
    return (RedisError, OSError)


_UNAVAILABLE = _unavailable_errors()

"""Per-key token buckets: how many messages a visitor (or an address) may send.

Each key has a bucket of `burst` tokens that refills at `per_minute` tokens a
minute; a message takes one token, and with none left it is refused. Kept in
the process's memory: with several Rasa replicas each counts its own share,
which is why the load balancer pins a conversation to one replica.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBucketLimiter:
    """Allows `burst` messages at once per key, then `per_minute` a minute.

    At most `max_keys` buckets are kept; the least recently seen are dropped
    first (a dropped key starts again with a full bucket, as it would have
    refilled by then in all but the busiest minutes).
    """

    def __init__(
        self,
        burst: int,
        per_minute: float,
        max_keys: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if burst < 0 or per_minute <= 0 or max_keys < 1:
            raise ValueError("burst must be >= 0, per_minute > 0 and max_keys >= 1")
        self.burst = burst
        self.rate = per_minute / 60.0
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.burst > 0

    def _refilled(self, key: str) -> _Bucket:
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = _Bucket(tokens=float(self.burst), updated=now)
            self._buckets[key] = bucket
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        else:
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.rate)
            bucket.updated = now
            self._buckets.move_to_end(key)
        return bucket

    def allow(self, key: str) -> bool:
        """Take a token for `key` if one is left; False means: refuse this message."""
        if not self.enabled:
            return True
        bucket = self._refilled(key)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return True
        return False

    def retry_after(self, key: str) -> int:
        """Whole seconds until `key` has a token again (0 if it has one now)."""
        if not self.enabled:
            return 0
        bucket = self._refilled(key)
        missing = 1.0 - bucket.tokens
        return 0 if missing <= 0 else max(1, int(missing / self.rate + 0.999))

    def __len__(self) -> int:
        return len(self._buckets)

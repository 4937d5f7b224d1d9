"""A Redis lock store whose tickets are issued and released atomically.

Rasa orders the messages of one conversation with ticket locks: each message
takes the next ticket and waits until it is the one being served. Rasa 3.6
OSS's `RedisLockStore` issues a ticket by reading the lock, adding a ticket
and writing the lock back. Two replicas doing that at once both read the same
lock and hand out the same ticket number, so two messages of one conversation
are processed at the same time and their events interleave in the tracker
(tests/integration/test_lock_store.py shows it step by step). Rasa Pro's
`ConcurrentRedisLockStore` fixes this; this store does it for OSS.

Each conversation's lock is a Redis hash (ticket number -> expiry time) plus
a counter; the lowest live number is served. Ticket numbers come from INCR;
issuing, polling and releasing are Lua scripts, so every change of a lock is
one atomic step in Redis.

Redis being unreachable or slow fails the message fast (short socket
timeouts, no retry) with one clear log line, instead of hanging the request.

Use it in endpoints.yml:

    lock_store:
      type: rasa_ext.stores.lock_store.AtomicRedisLockStore
      url: 127.0.0.1
      port: 6379
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_KEY_PREFIX = "atomic_lock:"
DEFAULT_SOCKET_TIMEOUT = 2.0
DEFAULT_POLL_INTERVAL = 0.02
# The counter outlives the last ticket by this much, so a number is never reused
# while a ticket that holds it may still be live.
COUNTER_GRACE_SECONDS = 60

# Each script first drops the expired tickets of the hash KEYS[1] (number -> expiry).
_PRUNE_EXPIRED = """
local live = {}
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if tonumber(fields[i + 1]) < tonumber(ARGV[1]) then
    redis.call('HDEL', KEYS[1], fields[i])
  else
    table.insert(live, tonumber(fields[i]))
  end
end
"""

# KEYS: tickets, counter. ARGV: now, lifetime, ttl. Returns the new ticket's number.
_ISSUE = (
    _PRUNE_EXPIRED
    + """
local number = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], number, tonumber(ARGV[1]) + tonumber(ARGV[2]))
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return number
"""
)

# KEYS: tickets. ARGV: now, ticket. Returns {lowest live ticket or -1, 1 if ticket is live}.
_POLL = (
    _PRUNE_EXPIRED
    + """
local first = -1
local mine = 0
for _, number in ipairs(live) do
  if first == -1 or number < first then first = number end
  if number == tonumber(ARGV[2]) then mine = 1 end
end
return {first, mine}
"""
)

# KEYS: tickets. ARGV: now, ticket. Returns 1 if the ticket was still live.
_RELEASE = (
    _PRUNE_EXPIRED
    + """
return redis.call('HDEL', KEYS[1], ARGV[2])
"""
)

# KEYS: tickets. ARGV: now. Returns how many tickets are live.
_PRUNE = _PRUNE_EXPIRED + "return #live\n"


class AtomicRedisLockStore(LockStore):
    """Rasa's ticket lock on Redis with atomic issue, poll and release."""

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        *,
        host: str = "localhost",
        port: int | str = 6379,
        db: int | str = 1,
        password: str | None = None,
        use_ssl: bool = False,
        key_prefix: str | None = None,
        socket_timeout: float | str = DEFAULT_SOCKET_TIMEOUT,
        poll_interval: float | str = DEFAULT_POLL_INTERVAL,
    ) -> None:
        """Connect from an endpoint config (how Rasa builds it) or keyword arguments."""
        if endpoint_config is not None:
            settings = dict(endpoint_config.kwargs)
            host = endpoint_config.url or host
            port = settings.get("port") or port
            db = settings.get("db") or db
            password = settings.get("password") or password
            use_ssl = str(settings.get("use_ssl", use_ssl)).lower() == "true"
            key_prefix = settings.get("key_prefix") or key_prefix
            socket_timeout = settings.get("socket_timeout") or socket_timeout
            poll_interval = settings.get("poll_interval") or poll_interval
        self.address = f"{host}:{port}/{db}"
        self.red = redis.StrictRedis(
            host=host,
            port=int(port),
            db=int(db),
            password=password or None,
            ssl=use_ssl,
            socket_timeout=float(socket_timeout),
            socket_connect_timeout=float(socket_timeout),
            retry_on_timeout=False,
        )
        self.key_prefix = lock_key_prefix(key_prefix)
        self.poll_interval = float(poll_interval)
        self._issue = self.red.register_script(_ISSUE)
        self._poll = self.red.register_script(_POLL)
        self._release = self.red.register_script(_RELEASE)
        self._prune = self.red.register_script(_PRUNE)
        super().__init__()

    def tickets_key(self, conversation_id: str) -> str:
        # The {hash tag} keeps both keys of a conversation in one Redis Cluster slot,
        # which a script touching both needs.
        return f"{self.key_prefix}{{{conversation_id}}}"

    def counter_key(self, conversation_id: str) -> str:
        return f"{self.key_prefix}{{{conversation_id}}}:last_issued"

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Take the next ticket number and add the ticket, in one step."""
        keys = [self.tickets_key(conversation_id), self.counter_key(conversation_id)]
        ttl = math.ceil(lock_lifetime) + COUNTER_GRACE_SECONDS
        return int(self._redis(lambda: self._issue(keys, [time.time(), lock_lifetime, ttl])))

    async def _acquire_lock(
        self, conversation_id: str, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        """Wait until `ticket` is the first live ticket; fail if it expired meanwhile."""
        key = self.tickets_key(conversation_id)
        interval = min(wait_time_in_seconds, self.poll_interval)
        while True:
            first, live = self._redis(lambda: self._poll([key], [time.time(), ticket]))
            if not live:
                logger.error(
                    "lock_store ticket_expired conversation=%s ticket=%s", conversation_id, ticket
                )
                raise LockError(
                    f"Ticket {ticket} for conversation '{conversation_id}' expired while "
                    f"waiting for the lock (TICKET_LOCK_LIFETIME is {LOCK_LIFETIME} s)."
                )
            if int(first) == ticket:
                lock = self.get_lock(conversation_id)
                return lock or TicketLock(conversation_id)
            await asyncio.sleep(interval)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the ticket (and expired ones); warn if it had already expired."""
        key = self.tickets_key(conversation_id)
        removed = self._redis(lambda: self._release([key], [time.time(), ticket_number]))
        if not removed:
            logger.warning(
                "lock_store lock_expired_before_done conversation=%s ticket=%s lifetime=%s",
                conversation_id,
                ticket_number,
                LOCK_LIFETIME,
            )

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Release the ticket; Redis drops the hash itself once it is empty."""
        self.finish_serving(conversation_id, ticket_number)

    def update_lock(self, conversation_id: str) -> None:
        """Drop the conversation's expired tickets."""
        self.is_someone_waiting(conversation_id)

    def is_someone_waiting(self, conversation_id: str) -> bool:
        key = self.tickets_key(conversation_id)
        return int(self._redis(lambda: self._prune([key], [time.time()]))) > 0

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        """The conversation's live tickets, oldest first (None when there are none)."""
        key = self.tickets_key(conversation_id)
        rows = self._redis(lambda: self.red.hgetall(key))
        now = time.time()
        tickets = sorted(
            (Ticket(int(number), float(expires)) for number, expires in rows.items()), key=_n
        )
        live = [ticket for ticket in tickets if ticket.expires >= now]
        return TicketLock(conversation_id, deque(live)) if live else None

    def save_lock(self, lock: TicketLock) -> None:
        """Replace a conversation's tickets (Rasa's interface; this store never needs it)."""
        key = self.tickets_key(lock.conversation_id)
        mapping = {str(ticket.number): ticket.expires for ticket in lock.tickets}

        def replace() -> Any:
            with self.red.pipeline(transaction=True) as pipe:
                pipe.delete(key)
                if mapping:
                    pipe.hset(key, mapping=mapping)
                return pipe.execute()

        self._redis(replace)

    def delete_lock(self, conversation_id: str) -> None:
        key = self.tickets_key(conversation_id)
        self._log_deletion(conversation_id, bool(self._redis(lambda: self.red.delete(key))))

    def _redis(self, call: Callable[[], T]) -> T:
        """Run a Redis call; turn an outage into one clear log line and a LockError."""
        try:
            return call()
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
            logger.error(
                "lock_store redis_unavailable address=%s error=%s: messages cannot be "
                "processed until Redis answers again",
                self.address,
                error,
            )
            message = f"Redis lock store at {self.address} is unavailable: {error}"
            raise LockError(message) from error


def lock_key_prefix(key_prefix: str | None) -> str:
    """Keys look like `clinicbot:atomic_lock:{<conversation>}`; never Rasa's stock `lock:` keys."""
    if key_prefix and key_prefix.isalnum():
        return f"{key_prefix}:{DEFAULT_KEY_PREFIX}"
    if key_prefix:
        logger.warning("lock_store ignoring non-alphanumeric key_prefix=%r", key_prefix)
    return DEFAULT_KEY_PREFIX


def _n(ticket: Ticket) -> int:
    return int(ticket.number)

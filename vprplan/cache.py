"""The shared cache (Redis when REDIS_URL is set) that degrades instead of failing.

Sessions (`cached_db`), rate-limit counts and the bell's counts all live in the default cache. A
Redis that is down or unreachable must break no page, so `FailSafeRedisCache` is Django's
RedisCache whose every call turns a Redis error into a miss: a read answers the default, a write
does nothing (and says False where Django's API returns a flag), `incr` raises ValueError, as for a
missing key (django-ratelimit treats that as «no count»: with RATELIMIT_FAIL_OPEN the request
passes). Sessions then come from the database (cached_db reads it on a miss and writes it always).
The first error of every `LOG_EVERY` seconds is logged, not each one: a page makes several calls.

Short socket timeouts (settings: REDIS_CACHE_TIMEOUT) bound what a hung Redis costs a request.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

ERRORS = (RedisError, OSError)
LOG_EVERY = 30.0

_last_logged = 0.0
_log_lock = threading.Lock()


def _note(operation: str, exc: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    with _log_lock:
        if now - _last_logged < LOG_EVERY:
            return
        _last_logged = now
    log.warning("Cache unavailable (%s): %s; answering as a miss", operation, type(exc).__name__)


class ReusedClient(RedisCacheClient):
    """Django's client makes a new redis.Redis for every call, and redis-py builds its table of
    response callbacks in each: 5 % of a request's CPU under load (py-spy, `bench --load`). One
    redis.Redis per connection pool does the same work: it holds nothing but the pool, and
    Django's cache objects are per thread already."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSafeRedisCache(RedisCache):
    """RedisCache that answers a miss when Redis fails (see the module's docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except ERRORS as exc:
            _note("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except ERRORS as exc:
            _note("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except ERRORS as exc:
            _note("has_key", exc)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except ERRORS as exc:
            _note("add", exc)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except ERRORS as exc:
            _note("set", exc)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except ERRORS as exc:
            _note("set_many", exc)
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except ERRORS as exc:
            _note("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except ERRORS as exc:
            _note("delete", exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except ERRORS as exc:
            _note("delete_many", exc)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except ERRORS as exc:
            _note("incr", exc)
            raise ValueError(f"Key {key!r} not found (cache unavailable)") from exc

    def clear(self):
        try:
            return super().clear()
        except ERRORS as exc:
            _note("clear", exc)
            return False

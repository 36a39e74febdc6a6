"""The cache backend: Django's Redis cache, except that Redis being down is not an error.

The public sites and the editors must keep working while Redis is away (it is a cache and the
job broker, never the only copy of anything). A failed cache call is answered as a miss; the host
lookup then goes to the database. After a failure the process stops asking Redis for
``CACHE_RETRY_SECONDS`` (every request would otherwise wait for a refused or timed-out connection,
several times, and log each one: some 40 warnings a second under load), and it says once that the
cache is away and once that it is back. (Sign-in throttling is counted in PostgreSQL,
accounts.sign_in, so that it never switches off with Redis.)
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
CACHE_RETRY_SECONDS = 5.0


class _Outages:
    """Until when this process leaves each Redis location alone (per process: each finds out for itself,
    cheaply; per location: the cache and a test's dead server are told apart)."""

    until: dict[str, float] = {}

    @classmethod
    def is_on(cls, location: str) -> bool:
        return time.monotonic() < cls.until.get(location, 0.0)

    @classmethod
    def begin(cls, location: str, name: str) -> None:
        if location not in cls.until:
            logger.warning(
                "Cache unavailable (%s failed): answering misses, retrying every %.0f s", name, CACHE_RETRY_SECONDS
            )
        cls.until[location] = time.monotonic() + CACHE_RETRY_SECONDS

    @classmethod
    def end(cls, location: str) -> None:
        if cls.until.pop(location, None) is not None:
            logger.warning("Cache available again")


def _forgiving(name: str, answer):
    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            location = self._server_location
            if _Outages.is_on(location):
                return answer(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except _UNAVAILABLE:
                _Outages.begin(location, name)
                return answer(*args, **kwargs)
            _Outages.end(location)
            return result

        return call

    return wrap


def _default(key, default=None, *args, **kwargs):
    return default


class ForgivingRedisCache(RedisCache):
    @functools.cached_property
    def _server_location(self) -> str:
        return ",".join(self._servers)

    get = _forgiving("get", _default)(RedisCache.get)
    get_many = _forgiving("get_many", lambda keys, *a, **k: {})(RedisCache.get_many)
    has_key = _forgiving("has_key", lambda *a, **k: False)(RedisCache.has_key)
    add = _forgiving("add", lambda *a, **k: False)(RedisCache.add)
    set = _forgiving("set", lambda *a, **k: None)(RedisCache.set)
    set_many = _forgiving("set_many", lambda data, *a, **k: list(data))(RedisCache.set_many)
    touch = _forgiving("touch", lambda *a, **k: False)(RedisCache.touch)
    delete = _forgiving("delete", lambda *a, **k: False)(RedisCache.delete)
    delete_many = _forgiving("delete_many", lambda *a, **k: None)(RedisCache.delete_many)
    incr = _forgiving("incr", lambda key, delta=1, *a, **k: delta)(RedisCache.incr)
    clear = _forgiving("clear", lambda *a, **k: None)(RedisCache.clear)

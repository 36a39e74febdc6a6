"""The cache backend: Django's Redis cache, except that Redis being down is not an error.

The public sites and the editors must keep working while Redis is away (it is a cache and the
job broker, never the only copy of anything). A failed cache call is logged and answered as a
miss; the host lookup then goes to the database. (Sign-in throttling is counted in PostgreSQL,
accounts.sign_in, so that it never switches off with Redis.)
"""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


def _forgiving(name: str, answer):
    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except _UNAVAILABLE:
                logger.warning("Cache unavailable: %s answered as a miss", name)
                return answer(*args, **kwargs)

        return call

    return wrap


def _default(key, default=None, *args, **kwargs):
    return default


class ForgivingRedisCache(RedisCache):
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

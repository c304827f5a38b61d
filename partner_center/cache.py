"""A Redis cache that degrades to "no cache" while Redis is down.

Django's Redis backend raises on a connection error, so with Redis down every page that
reads the cache, and every signed-in page (the `cached_db` session engine reads the cache
first), answered 500. This backend turns an error into a miss (reads) or a no-op (writes),
logs a warning, and skips Redis for `PAUSE_SECONDS` after a failure so pages don't wait on
connection attempts. Sessions keep working from the database: `cached_db` falls back to it
on a miss and writes the database before the cache."""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

PAUSE_SECONDS = 15.0


def _errors():
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def _guard(self, name: str, default, call, *args, **kwargs):
        if time.monotonic() < ResilientRedisCache._down_until:
            return default
        try:
            return call(*args, **kwargs)
        except _errors() as exc:
            ResilientRedisCache._down_until = time.monotonic() + PAUSE_SECONDS
            log.warning("cache unavailable (%s: %s): served without it", name, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._guard("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("add", False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set_many", list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        return self._guard("incr", None, super().incr, key, delta, version)

    def clear(self):
        return self._guard("clear", False, super().clear)

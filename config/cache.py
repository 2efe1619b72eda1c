"""A Redis cache that fails open: an outage costs speed, never a request."""

import functools
import logging

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# What each call returns when Redis cannot be reached: a miss, or "not done".
FALLBACKS = {
    "get": lambda key, default=None, *args, **kwargs: default,
    "get_many": lambda *args, **kwargs: {},
    "set": lambda *args, **kwargs: None,
    "set_many": lambda *args, **kwargs: [],
    "add": lambda *args, **kwargs: False,
    "delete": lambda *args, **kwargs: False,
    "delete_many": lambda *args, **kwargs: None,
    "has_key": lambda *args, **kwargs: False,
    "touch": lambda *args, **kwargs: False,
}


def _fail_open(name: str):
    method = getattr(RedisCache, name)
    fallback = FALLBACKS[name]

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception:
            logger.warning(
                "Cache %s failed; carrying on without it", name, exc_info=True
            )
            return fallback(*args, **kwargs)

    return wrapper


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache whose reads miss and writes drop while Redis is down."""


for _name in FALLBACKS:
    setattr(FailOpenRedisCache, _name, _fail_open(_name))

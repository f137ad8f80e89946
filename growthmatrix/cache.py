"""Django's Redis cache with one client per connection pool. Django's own makes a new
``redis.Redis`` for every call, and each copies the library's table of some two hundred reply
handlers (60 µs here): a page reads the session, the rubric's stamp and the rate limits, so
that was a third of a millisecond of every request. A client is safe to share between
threads: each command takes its own connection from the pool."""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

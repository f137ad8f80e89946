"""The shared cache's backend (growthmatrix/cache.py): Django's Redis cache, one client per
connection pool."""

import threading
import uuid

import pytest
import redis

from growthmatrix.cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def server():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}: the shared cache's backend needs one")


def a_cache():
    return RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})


def test_what_one_server_stores_another_reads(server):
    first = a_cache()
    second = RedisCache(REDIS_URL, {"KEY_PREFIX": first.key_prefix})
    first.set("words", {"level": "Proficient"}, 30)
    assert second.get("words") == {"level": "Proficient"}
    second.delete("words")
    assert first.get("words", "gone") == "gone"


def test_every_call_goes_through_the_same_client(server):
    cache = a_cache()
    cache.set("a", 1, 30)
    cache.get("a")
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client


def test_threads_share_the_client_without_mixing_answers(server):
    cache = a_cache()
    wrong = []

    def work(n):
        for i in range(50):
            cache.set(f"k{n}", (n, i), 30)
            if cache.get(f"k{n}") != (n, i):
                wrong.append((n, i))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []

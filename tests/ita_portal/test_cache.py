"""Single-flight on the shared cache, on the database cache (the default) and on Redis."""

import shutil
import subprocess
import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from ita_portal.cache import single_flight

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["database", "redis"])
def backend(request, tmp_path):
    """The default cache as the database table, then as a Redis server of the test's own."""
    if request.param == "database":
        cache.clear()
        yield "database"
        return
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does)")
    socket = tmp_path / "redis.sock"
    server = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(socket), "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if socket.exists():
                break
            time.sleep(0.05)
        redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache"}
        with override_settings(CACHES={"default": {**redis, "LOCATION": f"unix://{socket}"}}):
            yield "redis"
    finally:
        server.terminate()
        server.wait()


def _slow(calls: list, seconds: float = 0.4):
    def compute():
        calls.append(threading.get_ident())
        time.sleep(seconds)
        return b"rendered"

    return compute


def _in_threads(count: int, target) -> list:
    results: list = []

    def run():
        try:
            results.append(target())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_it_computes_once_for_callers_that_miss_together(backend):
    if backend == "database" and connection.vendor == "sqlite":
        # Six threads writing the cache table of SQLite's shared in-memory test database fail
        # with "table is locked" (no busy timeout there); PostgreSQL runs this case.
        pytest.skip("SQLite's shared in-memory test database locks")
    calls: list = []
    results = _in_threads(6, lambda: single_flight("k:together", _slow(calls), 60))
    assert results == [b"rendered"] * 6
    assert len(calls) == 1
    assert cache.get("k:together") == b"rendered"
    assert cache.get("k:together:lock") is None


def test_a_stale_lock_expires_and_the_next_caller_computes(backend):
    # A worker killed mid-render leaves its lock; it lasts lock_seconds, no longer.
    cache.add("k:stale:lock", "killed-worker", 1)
    calls: list = []
    started = time.monotonic()
    value = single_flight("k:stale", _slow(calls, 0), 60, lock_seconds=1, wait_seconds=10)
    waited = time.monotonic() - started
    assert value == b"rendered" and len(calls) == 1
    assert 0.9 <= waited < 5


def test_a_waiter_takes_the_value_the_lock_holder_stores(backend):
    cache.add("k:held:lock", "other-worker", 30)
    threading.Timer(0.3, lambda: cache.set("k:held", b"theirs", 60)).start()
    calls: list = []
    assert single_flight("k:held", _slow(calls), 60) == b"theirs"
    assert calls == []


def test_a_waiter_renders_itself_after_waiting_too_long(backend):
    cache.add("k:stuck:lock", "other-worker", 30)
    calls: list = []
    value = single_flight("k:stuck", _slow(calls, 0), 60, wait_seconds=0.3)
    assert value == b"rendered" and len(calls) == 1
    # The other worker's lock is its own: left alone.
    assert cache.get("k:stuck:lock") == "other-worker"


def test_a_failed_compute_releases_the_lock(backend):
    def broken():
        raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError):
        single_flight("k:broken", broken, 60)
    assert cache.get("k:broken:lock") is None
    assert single_flight("k:broken", lambda: b"second try", 60) == b"second try"

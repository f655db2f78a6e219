"""Single-flight on the shared cache: one render serves everyone who asks for the same key.

The first request to miss takes a lock, `cache.add(key + ":lock")`, which only one caller can
win on every backend the portal uses (the database cache inserts under the key's primary key,
Redis sets with NX). The others poll the cache for the value until it appears. The lock expires
by itself after `lock_seconds`, so a worker killed mid-render holds the others up no longer
than that: the first to find the lock gone takes it and renders (stale-lock recovery). A waiter
that has waited `wait_seconds` renders for itself rather than fail the request.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")
logger = logging.getLogger(__name__)

# A summary PDF renders in ~1-3 s; a lock outliving that by far only delays recovery.
LOCK_SECONDS = 30
WAIT_SECONDS = 60.0
POLL_SECONDS = 0.05


def single_flight(
    key: str,
    compute: Callable[[], T],
    timeout: int,
    *,
    lock_seconds: int = LOCK_SECONDS,
    wait_seconds: float = WAIT_SECONDS,
    poll_seconds: float = POLL_SECONDS,
) -> T:
    """Return the cached value of key, computing it once however many callers miss at once."""
    value = cache.get(key)
    if value is not None:
        return value
    lock, token = f"{key}:lock", uuid.uuid4().hex
    deadline = time.monotonic() + wait_seconds
    while True:
        if cache.add(lock, token, lock_seconds):
            try:
                # Whoever held the lock before may have stored the value since the first look.
                value = cache.get(key)
                if value is None:
                    value = _compute_and_store(key, compute, timeout)
                return value
            finally:
                # Only our own lock: after an expiry another caller may hold a new one.
                if cache.get(lock) == token:
                    cache.delete(lock)
        time.sleep(poll_seconds)
        value = cache.get(key)
        if value is not None:
            return value
        if time.monotonic() >= deadline:
            return _compute_and_store(key, compute, timeout)


def _compute_and_store(key: str, compute: Callable[[], T], timeout: int) -> T:
    started = time.monotonic()
    value = compute()
    cache.set(key, value, timeout)
    # One line per render: what bench/singleflight counts, and what an operator greps for.
    logger.info("computed %s in %.2f s", key, time.monotonic() - started)
    return value

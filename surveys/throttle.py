"""Rate limits of the public answer form, counted in the shared `throttle` cache.

Counted per link (a minute) and per link and client address (an hour) when a respondent starts
the form: each response needs a start, so a flood of fake responses is slowed at its source.
The client address is hashed (HMAC) into the cache key and expires with it; it is never stored with
anything a respondent answers.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


def _count(key: str, window: int) -> int:
    throttle = caches["throttle"]
    throttle.add(key, 0, timeout=window)
    try:
        return throttle.incr(key)
    except ValueError:  # expired between add and incr
        throttle.set(key, 1, timeout=window)
        return 1


def start_allowed(*, link: str, client: str) -> bool:
    """Count a start of the form on a link; tell whether it is within both limits."""
    # Keyed with the secret key: a plain hash of an IPv4 address is reversed by trying them all.
    address = salted_hmac("surveys.throttle", f"{link}:{client}").hexdigest()[:32]
    per_link = _count(f"survey:link:{link}", 60)
    per_client = _count(f"survey:client:{address}", 3600)
    allowed = (
        per_link <= settings.SURVEY_STARTS_PER_LINK_PER_MINUTE
        and per_client <= settings.SURVEY_STARTS_PER_CLIENT_PER_HOUR
    )
    if not allowed:
        logger.warning("survey link %s… throttled", link[:4])
    return allowed

"""The background work of notifications, on django-tasks: sending one delivery.

Deliveries are queued after the commit of the action that made them, so a failed or slow
mail server never blocks or undoes anyone's work. With the database backend the worker
(`manage.py db_worker`) runs them and a retry waits (1, 10, 60 minutes); with the immediate
backend (DEBUG, tests) they run at once, retries included.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

# A delivery is tried this many times in all, then recorded as failed.
MAX_ATTEMPTS = 4
RETRY_AFTER = (dt.timedelta(minutes=1), dt.timedelta(minutes=10), dt.timedelta(hours=1))


@task()
def send_delivery(delivery_id: int) -> str:
    """Send one delivery once; return its status afterwards."""
    from notifications.services import delivery_send

    return delivery_send(delivery_id=delivery_id)


def enqueue(delivery_id: int, attempt: int = 0) -> None:
    """Queue a delivery's next try: at once the first time, later after a failed one."""
    queued = send_delivery
    if attempt and queued.get_backend().supports_defer:
        queued = queued.using(run_after=timezone.now() + RETRY_AFTER[attempt - 1])
    queued.enqueue(delivery_id)

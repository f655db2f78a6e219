"""Reads about accounts: failed logins and lockouts of an agency's users."""

import datetime
from dataclasses import dataclass

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet

from accounts.models import User


@dataclass(frozen=True)
class Lockout:
    """The failed logins recorded for one user, and whether they lock the user out now."""

    user: User
    failures: int
    addresses: tuple[str, ...]
    last_attempt: datetime.datetime
    locked: bool


def lockouts(users: QuerySet[User], *, now: datetime.datetime) -> list[Lockout]:
    """Return the users with recorded failed logins, locked ones first, newest first."""
    by_username = {user.username: user for user in users}
    attempts = AccessAttempt.objects.filter(username__in=list(by_username)).order_by(
        "-attempt_time"
    )
    cool_off = get_cool_off()
    grouped: dict[str, list[AccessAttempt]] = {}
    for attempt in attempts:
        grouped.setdefault(attempt.username, []).append(attempt)
    found = []
    for username, rows in grouped.items():
        locked = any(
            row.failures_since_start >= settings.AXES_FAILURE_LIMIT
            and (cool_off is None or row.attempt_time > now - cool_off)
            for row in rows
        )
        found.append(
            Lockout(
                user=by_username[username],
                failures=sum(row.failures_since_start for row in rows),
                addresses=tuple(sorted({row.ip_address or "–" for row in rows})),
                last_attempt=rows[0].attempt_time,
                locked=locked,
            )
        )
    return sorted(found, key=lambda item: (not item.locked, -item.last_attempt.timestamp()))

"""Writes of notifications: telling people, sending in the background, reading, choosing."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from ita_portal.generations import bump
from notifications.channels import BACKGROUND, CHANNELS, EmailChannel
from notifications.models import Delivery, Notification, Preference
from notifications.tasks import MAX_ATTEMPTS, enqueue

logger = logging.getLogger(__name__)


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    params: dict,
    link: str,
    actor: User | None = None,
    key: str = "",
) -> list[Notification]:
    """Tell people about something: in the portal always, by e-mail as each of them chose.

    Call it inside the transaction of the action; nobody is told of their own action, inactive
    users are not told, and with a key nobody is told twice.
    """
    people = {
        user.pk: user
        for user in recipients
        if user.is_active and (actor is None or user.pk != actor.pk)
    }
    if key:
        told = Notification.objects.filter(key=key, recipient_id__in=people)
        for pk in told.values_list("recipient_id", flat=True):
            people.pop(pk)
    if not people:
        return []
    now = timezone.now()
    notifications = [
        Notification(recipient=user, kind=kind, params=params, link=link, key=key, created_at=now)
        for _pk, user in sorted(people.items())
    ]
    stored = {p.user_id: p for p in Preference.objects.filter(user_id__in=people)}
    preferences = {pk: stored.get(pk) or Preference(user_id=pk) for pk in people}
    for channel in CHANNELS:
        channel.deliver(notifications, preferences)
    return notifications


def delivery_send(*, delivery_id: int) -> str:
    """Send a pending delivery once; after a failure queue another try, or record it failed."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return "gone"  # sent or given up on by another worker, or deleted with its user
        delivery.attempts += 1
        try:
            BACKGROUND[delivery.channel].send(delivery)
        except Exception as error:  # a mail server's or network's failure, of whatever kind
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = Delivery.Status.FAILED
                logger.warning("delivery %s failed for good: %s", delivery.pk, delivery.last_error)
            else:
                attempt = delivery.attempts
                transaction.on_commit(lambda: enqueue(delivery_id, attempt), robust=True)
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
        delivery.save()
    return delivery.status


def digest_send(*, day: dt.date) -> int:
    """Queue the day's digest e-mail of everyone who chose one; return how many were queued.

    A digest holds the user's unread notifications that no e-mail carried yet. Once per user
    and day: running it again the same day queues nothing more.
    """
    readers = (
        User.objects.filter(is_active=True, notification_preference__email=Preference.Email.DIGEST)
        .exclude(email="")
        .order_by("pk")
    )
    waiting = Notification.objects.filter(read_at=None).exclude(
        deliveries__channel=EmailChannel.name
    )
    queued = 0
    for user in readers:
        pending = list(waiting.filter(recipient=user).values_list("pk", flat=True))
        if pending and _digest_create(user, day, pending):
            queued += 1
    return queued


def _digest_create(user: User, day: dt.date, notification_ids: list[int]) -> bool:
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                recipient=user, channel=EmailChannel.name, digest_on=day
            )
            delivery.notifications.set(notification_ids)
            transaction.on_commit(lambda: enqueue(delivery.pk), robust=True)
    except IntegrityError:
        return False  # the user's digest of that day is queued already
    return True


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one notification read (reading it again changes nothing)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; return how many."""
    bump(f"user:{user.pk}")  # an update sends no signals
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


@transaction.atomic
def preference_save(*, user: User, email: str, language: str) -> Preference:
    """Store how the user wants to be told and in which language e-mails are written."""
    preference, _created = Preference.objects.get_or_create(user=user)
    preference.email = email
    preference.language = language
    preference.full_clean()
    preference.save()
    return preference

"""The ways a notification reaches people: the portal's own list, and e-mail.

`deliver()` is called inside the transaction of the action that made the notifications: the
portal channel stores them (always: the list at /notifications/), then each other channel
decides who wants them and records a `Delivery` that the background worker hands to its
`send()` after the commit. Another channel, a LINE Messaging API account say (LINE Notify ended
in 2025), would be one more class here with its own setting on the profile page; none is built
until there is a way to test it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ita_portal.generations import bump
from notifications import messages
from notifications.models import Delivery, Notification, Preference
from notifications.tasks import enqueue

SUBJECT_PREFIX = "[ITA] "


class Channel:
    """A way to tell people: it takes new notifications inside the writing transaction."""

    name: str

    def deliver(self, notifications: list[Notification], preferences: dict) -> None:
        raise NotImplementedError


class PortalChannel(Channel):
    """The portal's own list: every notification is stored there, unread, whatever the choice."""

    name = "portal"

    def deliver(self, notifications: list[Notification], preferences: dict) -> None:
        Notification.objects.bulk_create(notifications)
        bump(*{f"user:{n.recipient_id}" for n in notifications})  # no signals in bulk


class BackgroundChannel(Channel):
    """A channel whose deliveries the worker sends after the commit."""

    def send(self, delivery: Delivery) -> None:
        """Send one delivery; raise when it could not be sent (the worker tries again)."""
        raise NotImplementedError


class EmailChannel(BackgroundChannel):
    """An e-mail per notification for those who want one; digests come from send_digest."""

    name = "email"

    def deliver(self, notifications: list[Notification], preferences: dict) -> None:
        for notification in notifications:
            recipient = notification.recipient
            preference = preferences[recipient.pk]
            if preference.email != Preference.Email.IMMEDIATE or not recipient.email:
                continue
            delivery = Delivery.objects.create(recipient=recipient, channel=self.name)
            delivery.notifications.add(notification)
            transaction.on_commit(lambda pk=delivery.pk: enqueue(pk), robust=True)

    def send(self, delivery: Delivery) -> None:
        recipient = delivery.recipient
        language = preference_of(recipient).language
        written = [messages.write(n, language) for n in delivery.notifications.all()]
        with translation.override(language):
            if delivery.digest_on is None:
                subject = written[0].headline
                template = "notifications/email/notification.txt"
            else:
                subject = _("Your ITA Portal notifications: %(count)s") % {"count": len(written)}
                template = "notifications/email/digest.txt"
            body = render_to_string(
                template,
                {
                    "recipient": recipient,
                    "messages": written,
                    "portal_url": settings.PORTAL_URL,
                    "day": delivery.digest_on,
                },
            )
        send_mail(
            SUBJECT_PREFIX + subject[:150],
            body,
            settings.DEFAULT_FROM_EMAIL,
            [recipient.email],
        )


# The portal's list first: the other channels refer to the notifications it stored.
CHANNELS: tuple[Channel, ...] = (PortalChannel(), EmailChannel())
BACKGROUND: dict[str, BackgroundChannel] = {
    channel.name: channel for channel in CHANNELS if isinstance(channel, BackgroundChannel)
}


def preference_of(user) -> Preference:
    """Return the user's stored preference, or the default one (each e-mail, in Thai)."""
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return Preference(user=user)

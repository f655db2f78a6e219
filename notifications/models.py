"""Who is told what: notifications in the portal, their e-mails, and each user's choice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Preference(models.Model):
    """How a user wants to be told: e-mail at once, a daily digest, or in the portal only."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("An e-mail for each notification")
        DIGEST = "digest", _("One daily digest e-mail instead")
        NONE = "none", _("No e-mail: in the portal only")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email = models.CharField(_("e-mails"), max_length=20, choices=Email, default=Email.IMMEDIATE)
    language = models.CharField(
        _("language of e-mails"), max_length=10, choices=settings.LANGUAGES, default="th"
    )

    class Meta:
        ordering = ["user_id"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.email}, {self.language}"


class Notification(models.Model):
    """One thing one user is told about, listed in the portal until read.

    The message is written when shown (in the reader's language) from `params`: plain values
    such as the activity's number and titles, the round's names, who acted and the comment.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "report_submitted", _("Report submitted")
        RETURNED = "report_returned", _("Report returned")
        APPROVED = "report_approved", _("Report approved")
        ASSIGNED = "assigned", _("Named owner")
        ROUND_OPENED = "round_opened", _("Round opened")
        ROUND_CLOSED = "round_closed", _("Round closed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    params = models.JSONField(_("details"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300)
    # Set for notifications a daily command may try twice (a round opening): once per recipient.
    key = models.CharField(_("key"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notification_key_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.Model):
    """One message sent in the background on one channel: a notification, or a day's digest.

    The worker sends it; a failure is tried again a few times, then recorded as failed.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    channel = models.CharField(_("channel"), max_length=20)
    notifications = models.ManyToManyField(
        Notification, related_name="deliveries", verbose_name=_("notifications")
    )
    digest_on = models.DateField(_("digest of"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "channel", "digest_on"],
                condition=Q(digest_on__isnull=False),
                name="delivery_digest_once_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient} ({self.status})"

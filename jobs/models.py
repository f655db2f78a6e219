"""A job: one piece of long work done in the background for a user, with its progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JobQuerySet(models.QuerySet):
    def for_user(self, user) -> JobQuerySet:
        """Return the jobs a user may see: their own (of their agency, or of none)."""
        return self.filter(owner_id=user.pk, agency_id=user.agency_id)


class Job(models.Model):
    """Long work (an import, a PDF, a backup...) done by the worker; the user follows it."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("job status", "Waiting in the queue")
        RUNNING = "running", pgettext_lazy("job status", "Running")
        DONE = "done", pgettext_lazy("job status", "Done")
        FAILED = "failed", pgettext_lazy("job status", "Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name=_("owner"),
    )
    # The owner's agency when it was asked for (none for a data steward).
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("agency"),
    )
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=300)
    # What the kind's handler needs (JSON); never shown to the user.
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.TextField(_("message"), blank=True)
    # Where the result is: a page or download of the portal, or a file of the job's own.
    result_url = models.CharField(_("result address"), max_length=500, blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True)
    attempts = models.PositiveSmallIntegerField(pgettext_lazy("job", "attempts"), default=0)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_recent")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_0_100"),
        ]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

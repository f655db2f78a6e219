"""Progress reports of activities in rounds, their evidence, and the reminders sent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.models import limits
from measures.models.plans import Activity, Round, Step
from measures.models.querysets import EvidenceQuerySet, ProgressReportQuerySet
from measures.uploads import evidence_upload_to


class ProgressReport(models.Model):
    """The progress of one activity in one round, written by its units, reviewed by a manager.

    Its workflow (draft → submitted → approved or returned → submitted …) lives here, in
    submit() and review(); services lock the rows and hold the transaction around them.
    """

    # What the units write: the form shows these and the service stores them, with steps_done.
    CONTENT_FIELDS = ("status", "percent", "results", "obstacles", "next_steps")

    class Change(models.TextChoices):
        """The history_change_reason each kind of change writes into the report's history."""

        SAVED = "saved", _("Saved")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="reports", verbose_name=_("activity")
    )
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="reports", verbose_name=_("round")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(
        _("percent complete"), default=0, validators=[MaxValueValidator(100)]
    )
    steps_done = models.ManyToManyField(
        Step, blank=True, related_name="reports", verbose_name=_("steps done")
    )
    results = models.TextField(
        _("results"), blank=True, validators=[limits.TextLimit(limits.RESULTS, _("results"))]
    )
    obstacles = models.TextField(
        _("obstacles"), blank=True, validators=[limits.TextLimit(limits.OBSTACLES, _("obstacles"))]
    )
    next_steps = models.TextField(
        _("next steps"),
        blank=True,
        validators=[limits.TextLimit(limits.NEXT_STEPS, _("next steps"))],
    )
    state = models.CharField(_("workflow state"), max_length=20, choices=State, default=State.DRAFT)
    review_comment = models.TextField(
        _("review comment"),
        blank=True,
        validators=[limits.TextLimit(limits.REVIEW_COMMENT, _("review comment"))],
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # Optimistic locking: every save increments it; a save based on an older one is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[steps_done])

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["round_id", "activity_id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        permissions = [("approve_progressreport", "Can approve or return progress reports")]
        constraints = [
            models.UniqueConstraint(fields=["activity", "round"], name="report_one_per_round"),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="report_percent_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity.number} / {self.round.name_th}"

    def clean(self) -> None:
        if self.status == self.Status.DONE and self.percent != 100:
            raise ValidationError(
                {
                    "percent": ValidationError(
                        _("A done activity must be 100 percent complete."), code="done_100"
                    )
                }
            )

    @property
    def is_editable_state(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    def check_editable(self) -> None:
        """Refuse changing the content of a report that is with the reviewers or approved."""
        if not self.is_editable_state:
            raise ValidationError(
                _("A submitted or approved report cannot be changed."), code="report_state"
            )

    def _check_state(self, *allowed: str) -> None:
        if self.state not in allowed:
            raise ValidationError(
                _("This action is not possible in the report's current state."),
                code="report_state",
            )

    def author_ids(self) -> set[int]:
        """Return who wrote or submitted the report: its submitter and whoever saved its text."""
        writers = (
            self.history.filter(Q(history_change_reason=self.Change.SAVED) | Q(history_type="+"))
            .exclude(history_user=None)
            .values_list("history_user_id", flat=True)
        )
        return {*writers, self.submitted_by_id} - {None}

    def approval_refused_to(self, user) -> bool:
        """Tell whether separation of duties keeps the user from approving this report.

        Unless the agency allows self-approval, nobody approves a report they wrote or submitted.
        """
        return not self.round.plan.agency.allow_self_approval and user.pk in self.author_ids()

    def submit(self, *, user, at: dt.datetime) -> None:
        """Send the report to the reviewers; only a draft or a returned report can go."""
        self._check_state(self.State.DRAFT, self.State.RETURNED)
        self.state = self.State.SUBMITTED
        self.submitted_by = user
        self.submitted_at = at
        self._change_reason = self.Change.SUBMITTED

    def review(self, *, user, approve: bool, comment: str, at: dt.datetime) -> None:
        """Approve the submitted report, or return it to its units saying what to correct."""
        self._check_state(self.State.SUBMITTED)
        comment = comment.strip()
        if not approve and not comment:
            raise ValidationError(
                {
                    "review_comment": ValidationError(
                        _("Say what must be corrected when returning a report."),
                        code="comment_required",
                    )
                }
            )
        if approve and self.approval_refused_to(user):
            raise ValidationError(
                _(
                    "You wrote or submitted this report, so another manager or admin must "
                    "approve it."
                ),
                code="self_approval",
            )
        self.state = self.State.APPROVED if approve else self.State.RETURNED
        self.review_comment = comment
        self.reviewed_by = user
        self.reviewed_at = at
        self._change_reason = self.Change.APPROVED if approve else self.Change.RETURNED


class Evidence(models.Model):
    """An evidence file (checked by content, stored under a generated name) or link."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("progress report"),
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    url = models.URLField(_("link"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # What the evidence proves is dated apart from its upload: a meeting's minutes uploaded in
    # April prove the meeting of March.
    effective_on = models.DateField(
        _("effective date"),
        null=True,
        blank=True,
        help_text=_("The day, or the end of the period, that the evidence proves."),
    )
    # Evidence of an earlier round attached again: the same stored file, no copy.
    reused_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reuses",
        verbose_name=_("reused from"),
    )
    history = HistoricalRecords()

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["report_id", "uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="evidence_file_or_url",
            ),
            models.UniqueConstraint(
                fields=["report", "reused_from"],
                condition=Q(reused_from__isnull=False),
                name="evidence_reused_once",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name or self.url

    @property
    def is_link(self) -> bool:
        return bool(self.url)


class ReminderLog(models.Model):
    """One reminder e-mailed to one user about one activity's report on one day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="+", verbose_name=_("activity")
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField(_("sent on"))

    class Meta:
        ordering = ["-sent_on", "user_id"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "activity", "round", "sent_on"], name="reminder_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sent_on} {self.user} {self.activity.number}"

"""The yearly integrity-measures plan: measures, activities, reporting rounds, progress reports."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.uploads import evidence_upload_to


class Plan(models.Model):
    """An agency's plan of integrity measures for one fiscal year (B.E.)."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.CASCADE, related_name="plans", verbose_name=_("agency")
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (B.E.)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    title_th = models.CharField(_("Thai title"), max_length=500)
    title_en = models.CharField(_("English title"), max_length=500, blank=True)
    based_on = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("based on assessment"),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency_id", "-fiscal_year"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year"], name="plan_one_per_year"),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500, fiscal_year__lte=2700),
                name="plan_fiscal_year_be",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.fiscal_year}: {self.title_th}"


class Round(models.Model):
    """A reporting round of a plan (รอบ 6 เดือน, รอบ 12 เดือน) with its dates and lock."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name_th = models.CharField(_("Thai name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("due on"))
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locked by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "number"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="round_number_unique"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="round_period_order"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("opens_on")), name="round_due_after_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.fiscal_year} {self.name_th}"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(
                {
                    "period_end": ValidationError(
                        _("The period cannot end before it starts."), code="period_order"
                    )
                }
            )
        if self.opens_on and self.due_on and self.due_on < self.opens_on:
            raise ValidationError(
                {
                    "due_on": ValidationError(
                        _("The due date cannot come before the opening date."), code="due_order"
                    )
                }
            )

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def is_open_on(self, day: dt.date) -> bool:
        """Tell whether reports may be written on that day (opened and not locked)."""
        return not self.is_locked and self.opens_on <= day


class Measure(models.Model):
    """A measure (มาตรการ) of a plan, answering some weak questions of the assessment."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title_th = models.CharField(_("Thai title"), max_length=500)
    title_en = models.CharField(_("English title"), max_length=500, blank=True)
    rationale_th = models.TextField(_("Thai rationale"), blank=True)
    rationale_en = models.TextField(_("English rationale"), blank=True)
    questions = models.ManyToManyField(
        "assessments.Question",
        blank=True,
        related_name="measures",
        verbose_name=_("weak questions addressed"),
    )
    # Indicator numbers (1–10) of the instrument; a list because the numbering is the
    # version's own and measures only cite it.
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "number"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="measure_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title_th}"

    def clean(self) -> None:
        if not isinstance(self.indicators, list) or not all(
            isinstance(n, int) and 1 <= n <= 99 for n in self.indicators
        ):
            raise ValidationError(
                {
                    "indicators": ValidationError(
                        _("Indicators must be a list of indicator numbers."), code="indicators"
                    )
                }
            )


class Activity(models.Model):
    """An activity (กิจกรรม) of a measure, with owners, a deadline and ordered steps."""

    class Cadence(models.TextChoices):
        SIX_MONTHLY = "six_monthly", _("Every six months")
        QUARTERLY = "quarterly", _("Quarterly")
        MONTHLY = "monthly", _("Monthly")

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="activities", verbose_name=_("measure")
    )
    number = models.CharField(_("number"), max_length=10, help_text=_("e.g. 5.1"))
    title_th = models.CharField(_("Thai title"), max_length=500)
    title_en = models.CharField(_("English title"), max_length=500, blank=True)
    units = models.ManyToManyField(
        "accounts.Unit", related_name="activities", verbose_name=_("responsible units")
    )
    lead_unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="led_activities",
        verbose_name=_("lead unit"),
    )
    deadline = models.DateField(_("deadline"))
    cadence = models.CharField(
        _("reporting cadence"), max_length=20, choices=Cadence, default=Cadence.SIX_MONTHLY
    )
    questions = models.ManyToManyField(
        "assessments.Question",
        blank=True,
        related_name="activities",
        verbose_name=_("weak questions addressed"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure__plan_id", "measure__number", "number"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["measure", "number"], name="activity_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title_th}"


class Step(models.Model):
    """One step (ขั้นตอนการปฏิบัติ) of an activity, in order."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="steps", verbose_name=_("activity")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text_th = models.TextField(_("Thai text"))
    text_en = models.TextField(_("English text"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity_id", "order"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["activity", "order"], name="step_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text_th[:60]}"


class ProgressReport(models.Model):
    """The progress of one activity in one round, written by its units, reviewed by a manager."""

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
    results = models.TextField(_("results"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    state = models.CharField(_("workflow state"), max_length=20, choices=State, default=State.DRAFT)
    review_comment = models.TextField(_("review comment"), blank=True)
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

    @property
    def is_editable_state(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


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
    history = HistoricalRecords()

    class Meta:
        ordering = ["report_id", "uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="evidence_file_or_url",
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

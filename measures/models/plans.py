"""A yearly plan of integrity measures: the plan, its rounds, measures, activities and steps."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ita_portal.templatetags.thai import thai_date
from ita_portal.thai import fiscal_year_bounds
from measures.models import limits
from measures.models.querysets import ActivityQuerySet, MeasureQuerySet, PlanQuerySet
from notifications.owners import Assignable

# The months of a fiscal year in order, October first: a timeline's columns.
FISCAL_MONTHS = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)


def _outside(model, name: str, day: dt.date, first: dt.date, last: dt.date, year: int):
    """Say that a date of the field `name` falls outside the days allowed for a plan's year."""
    field = capfirst(model._meta.get_field(name).verbose_name)
    if (first, last) == fiscal_year_bounds(year):
        message = _("%(field)s %(day)s is outside fiscal year %(year)s (%(first)s – %(last)s).")
    else:
        message = _(
            "%(field)s %(day)s must fall between %(first)s and %(last)s "
            "for a plan of fiscal year %(year)s."
        )
    return ValidationError(
        message,
        code="outside_fiscal_year",
        params={
            "field": field,
            "day": thai_date(day),
            "year": year,
            "first": thai_date(first),
            "last": thai_date(last),
        },
    )


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

    objects = PlanQuerySet.as_manager()

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

    @property
    def fiscal_year_bounds(self) -> tuple[dt.date, dt.date]:
        """Return the first and last day of the plan's fiscal year (1 Oct – 30 Sep)."""
        return fiscal_year_bounds(self.fiscal_year)


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
        errors: dict[str, ValidationError] = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = ValidationError(
                _("The period cannot end before it starts."), code="period_order"
            )
        if self.opens_on and self.due_on and self.due_on < self.opens_on:
            errors["due_on"] = ValidationError(
                _("The due date cannot come before the opening date."), code="due_order"
            )
        if self.plan_id is not None:
            errors.update(self._fiscal_year_errors())
        if errors:
            raise ValidationError(errors)

    def _fiscal_year_errors(self) -> dict[str, ValidationError]:
        """Check the period inside the plan's fiscal year, opening and due date up to 6 months on.

        The 12-month round covers the year to 30 September and is due in October.
        """
        first, last = self.plan.fiscal_year_bounds
        grace = dt.date(last.year + 1, 3, 31)
        year = self.plan.fiscal_year
        limits_by_field = {
            "period_start": last,
            "period_end": last,
            "opens_on": grace,
            "due_on": grace,
        }
        return {
            name: _outside(Round, name, day, first, end, year)
            for name, end in limits_by_field.items()
            if (day := getattr(self, name)) is not None and not first <= day <= end
        }

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def is_open_on(self, day: dt.date) -> bool:
        """Tell whether reports may be written on that day (opened and not locked)."""
        return not self.is_locked and self.opens_on <= day

    def check_unlocked(self) -> None:
        """Refuse any change to the round's reports once it is locked."""
        if self.is_locked:
            raise ValidationError(
                _("This round is locked: its reports can no longer be changed."),
                code="round_locked",
            )

    def check_open(self, day: dt.date) -> None:
        """Refuse writing a report before the round opens or after it is locked."""
        self.check_unlocked()
        if self.opens_on > day:
            raise ValidationError(
                _("This round opens on %(day)s.") % {"day": thai_date(self.opens_on)},
                code="round_not_open",
            )


class Measure(models.Model):
    """A measure (มาตรการ) of a plan, answering some weak questions of the assessment."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title_th = models.CharField(_("Thai title"), max_length=500)
    title_en = models.CharField(_("English title"), max_length=500, blank=True)
    rationale_th = models.TextField(
        _("Thai rationale"),
        blank=True,
        validators=[limits.TextLimit(limits.RATIONALE, _("Thai rationale"))],
    )
    rationale_en = models.TextField(
        _("English rationale"),
        blank=True,
        validators=[limits.TextLimit(limits.RATIONALE, _("English rationale"))],
    )
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

    objects = MeasureQuerySet.as_manager()

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


def _baht_field(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )


class Activity(Assignable, models.Model):
    """An activity (กิจกรรม) of a measure: owner units and people, a deadline, ordered steps.

    As Thai plans write it, it may also carry a budget (planned and spent, in baht), the months
    of the fiscal year it runs in (a Gantt row, October to September) and success indicators.
    Where the source gives none of these, nothing is stored.
    """

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
    budget_planned = _baht_field(_("planned budget (baht)"))
    budget_spent = _baht_field(_("budget spent (baht)"))
    # Month numbers (1–12) the activity runs in, in fiscal order (October first).
    months = models.JSONField(_("months of the timeline"), default=list, blank=True)
    history = HistoricalRecords()

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["measure__plan_id", "measure__number", "number"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["measure", "number"], name="activity_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title_th}"

    def clean(self) -> None:
        if not isinstance(self.months, list) or not all(
            isinstance(n, int) and 1 <= n <= 12 for n in self.months
        ):
            raise ValidationError(
                {
                    "months": ValidationError(
                        _("The months of the timeline must be month numbers from 1 to 12."),
                        code="months",
                    )
                }
            )
        self.months = [n for n in FISCAL_MONTHS if n in self.months]
        if self.deadline is None or self.measure_id is None:
            return
        plan = self.measure.plan
        first, last = plan.fiscal_year_bounds
        if not first <= self.deadline <= last:
            raise ValidationError(
                {
                    "deadline": _outside(
                        Activity, "deadline", self.deadline, first, last, plan.fiscal_year
                    )
                }
            )


class Step(models.Model):
    """One step (ขั้นตอนการปฏิบัติ) of an activity, in order."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="steps", verbose_name=_("activity")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text_th = models.TextField(
        _("Thai text"), validators=[limits.TextLimit(limits.STEP_TEXT, _("step"))]
    )
    text_en = models.TextField(
        _("English text"),
        blank=True,
        validators=[limits.TextLimit(limits.STEP_TEXT, _("English text of the step"))],
    )
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


class SuccessIndicator(models.Model):
    """A success indicator (ตัวชี้วัดความสำเร็จ) of an activity, with its target and result."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("activity")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name_th = models.CharField(_("success indicator"), max_length=500)
    name_en = models.CharField(_("success indicator in English"), max_length=500, blank=True)
    target = models.CharField(_("target"), max_length=200, help_text=_("e.g. ร้อยละ 80, 2 ครั้ง"))
    result = models.CharField(_("result achieved"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity_id", "order"]
        verbose_name = _("success indicator")
        verbose_name_plural = _("success indicators")
        constraints = [
            models.UniqueConstraint(fields=["activity", "order"], name="indicator_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name_th[:60]}: {self.target}"

"""The ITA instrument as per-fiscal-year data: versions, instruments, indicators, questions, bands.

An `InstrumentVersion` holds one fiscal year's instruments (with their weights), indicators,
sub-indicators, questions (and OIT items), grade bands and pass mark. It is portal-wide reference
data, kept by a data steward. The score conventions every figure follows (0-100, two decimals,
checked in the database too) are set here. assessments.models re-exports these models.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

ZERO = Decimal("0")
HUNDRED = Decimal("100")
SCORE_VALIDATORS = [MinValueValidator(ZERO), MaxValueValidator(HUNDRED)]
# Buddhist-Era fiscal years the portal accepts (2500 = 1957 CE, 2700 = 2157 CE).
YEAR_VALIDATORS = [MinValueValidator(2500), MaxValueValidator(2700)]


def score_field(verbose_name: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs
    )


def score_range(field: str, name: str, *, nullable: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 100})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=name)


# --- The instrument, per fiscal year --------------------------------------------------------------


class InstrumentVersion(models.Model):
    """The ITA instrument of one fiscal year: its structure, weights, grade bands and pass mark."""

    fiscal_year = models.PositiveIntegerField(
        _("fiscal year (B.E.)"), unique=True, validators=YEAR_VALIDATORS
    )
    name_th = models.CharField(_("Thai name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    pass_mark = score_field(_("pass mark"), default=Decimal("85.00"))
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-fiscal_year"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [score_range("pass_mark", "instrumentversion_pass_mark_0_100")]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.name_en or self.name_th}"


class Instrument(models.Model):
    """One of a version's instruments (แบบวัด): IIT, EIT or OIT, with its weight on the total."""

    version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.CASCADE,
        related_name="instruments",
        verbose_name=_("version"),
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("e.g. IIT, EIT, OIT"))
    name_th = models.CharField(_("Thai name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of the total, e.g. 0.30"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version_id", "order", "code"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="instrument_code_unique"),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=1), name="instrument_weight_0_1"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Indicator(models.Model):
    """An indicator (ตัวชี้วัด) of a version, numbered across the whole version (1–10 in 2563)."""

    version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("version"),
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("instrument"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name_th = models.CharField(_("Thai name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version_id", "order", "number"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="indicator_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name_th}"

    def clean(self) -> None:
        if self.instrument_id and self.version_id and self.instrument.version_id != self.version_id:
            raise ValidationError(
                {
                    "instrument": ValidationError(
                        _("The instrument belongs to another version."), code="other_version"
                    )
                }
            )


class SubIndicator(models.Model):
    """An OIT sub-indicator (e.g. 9.1 ข้อมูลพื้นฐาน), scored as the share of its items present."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="sub_indicators",
        verbose_name=_("indicator"),
    )
    key = models.CharField(_("key"), max_length=10, help_text=_("e.g. 9.1"))
    name_th = models.CharField(_("Thai name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_id", "order", "key"]
        verbose_name = _("sub-indicator")
        verbose_name_plural = _("sub-indicators")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "key"], name="subindicator_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.name_th}"


class Question(models.Model):
    """A question (IIT/EIT, scored 0–100) or an OIT item (present or not) of a version."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        ITEM = "item", _("OIT item")

    version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("version"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="questions", verbose_name=_("indicator")
    )
    sub_indicator = models.ForeignKey(
        SubIndicator,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("sub-indicator"),
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("e.g. I14, E12, O1"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.QUESTION)
    text_th = models.TextField(_("Thai text"), blank=True)
    text_en = models.TextField(_("English text"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version_id", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="question_code_unique"),
            # An OIT item always sits in a sub-indicator; a question never does.
            models.CheckConstraint(
                condition=(Q(kind="item") & Q(sub_indicator__isnull=False))
                | (Q(kind="question") & Q(sub_indicator__isnull=True)),
                name="question_item_has_sub_indicator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text_th}".strip()

    def clean(self) -> None:
        if self.indicator_id and self.version_id and self.indicator.version_id != self.version_id:
            raise ValidationError(
                {
                    "indicator": ValidationError(
                        _("The indicator belongs to another version."), code="other_version"
                    )
                }
            )
        if self.sub_indicator_id and self.sub_indicator.indicator_id != self.indicator_id:
            raise ValidationError(
                {
                    "sub_indicator": ValidationError(
                        _("The sub-indicator belongs to another indicator."), code="other_indicator"
                    )
                }
            )


class GradeBand(models.Model):
    """A grade (ระดับ) and the lowest total that earns it in a version."""

    version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.CASCADE,
        related_name="grade_bands",
        verbose_name=_("version"),
    )
    grade = models.CharField(_("grade"), max_length=4)
    lower = score_field(_("lowest total"))
    label_th = models.CharField(_("Thai label"), max_length=255, blank=True)
    label_en = models.CharField(_("English label"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version_id", "-lower"]
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        constraints = [
            models.UniqueConstraint(fields=["version", "grade"], name="gradeband_grade_unique"),
            models.UniqueConstraint(fields=["version", "lower"], name="gradeband_lower_unique"),
            score_range("lower", "gradeband_lower_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.grade} ≥ {self.lower}"

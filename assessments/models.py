"""The ITA instrument as per-fiscal-year data, and each agency's assessment against it.

An `InstrumentVersion` holds one fiscal year's instruments, indicators, sub-indicators, questions
(and OIT items), grade bands and pass mark. An `Assessment` holds what is known of one agency's
result in one year: only the scores actually given (an unknown score has no row), the officially
reported figures, and where each figure came from (an import batch, sheet and row).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Agency

ZERO = Decimal("0")
HUNDRED = Decimal("100")
SCORE_VALIDATORS = [MinValueValidator(ZERO), MaxValueValidator(HUNDRED)]
# Buddhist-Era fiscal years the portal accepts (2500 = 1957 CE, 2700 = 2157 CE).
YEAR_VALIDATORS = [MinValueValidator(2500), MaxValueValidator(2700)]


def _score_field(verbose_name: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs
    )


def _score_range(field: str, name: str, *, nullable: bool = False) -> models.CheckConstraint:
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
    pass_mark = _score_field(_("pass mark"), default=Decimal("85.00"))
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
        constraints = [_score_range("pass_mark", "instrumentversion_pass_mark_0_100")]

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
    lower = _score_field(_("lowest total"))
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
            _score_range("lower", "gradeband_lower_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.grade} ≥ {self.lower}"


class Provenance(models.Model):
    """Where a stored figure came from: an import batch, sheet and row, or a form (all empty)."""

    batch = models.ForeignKey(
        "imports.ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="%(class)s_rows",
        verbose_name=_("import batch"),
    )
    source_sheet = models.CharField(_("source sheet"), max_length=100, blank=True)
    source_row = models.PositiveIntegerField(_("source row"), null=True, blank=True)

    class Meta:
        abstract = True


# --- Assessments ----------------------------------------------------------------------------------


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, user) -> AssessmentQuerySet:
        """Keep the assessments of the user's agency only (superusers: all)."""
        if user.is_superuser:
            return self
        if not user.is_authenticated or user.agency_id is None:
            return self.none()
        return self.filter(agency_id=user.agency_id)


class Assessment(Provenance):
    """One agency's ITA result in one fiscal year: reported figures and sample sizes."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("agency")
    )
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"), validators=YEAR_VALIDATORS)
    version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("instrument version"),
    )
    reported_total = _score_field(_("reported total"), null=True, blank=True)
    reported_grade = models.CharField(_("reported grade"), max_length=4, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    rank_of = models.PositiveIntegerField(_("agencies ranked"), null=True, blank=True)
    ministry_rank = models.PositiveIntegerField(_("rank in the ministry"), null=True, blank=True)
    ministry_rank_of = models.PositiveIntegerField(
        _("agencies in the ministry"), null=True, blank=True
    )
    iit_respondents = models.PositiveIntegerField(_("IIT respondents"), null=True, blank=True)
    iit_population = models.PositiveIntegerField(_("IIT population"), null=True, blank=True)
    eit_respondents = models.PositiveIntegerField(_("EIT respondents"), null=True, blank=True)
    eit_population = models.PositiveIntegerField(_("EIT population"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["agency_id", "-fiscal_year"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "fiscal_year"], name="assessment_agency_year_unique"
            ),
            _score_range("reported_total", "assessment_reported_total_0_100", nullable=True),
            models.CheckConstraint(
                condition=Q(rank__isnull=True)
                | Q(rank_of__isnull=True)
                | Q(rank__lte=F("rank_of")),
                name="assessment_rank_within_count",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.fiscal_year}"

    def clean(self) -> None:
        if self.version_id and self.fiscal_year and self.version.fiscal_year != self.fiscal_year:
            raise ValidationError(
                {
                    "version": ValidationError(
                        _("The instrument version is of another fiscal year."), code="other_year"
                    )
                }
            )


class QuestionScore(Provenance):
    """A known score (0–100) of one IIT/EIT question in an assessment."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="question_scores",
        verbose_name=_("assessment"),
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="scores", verbose_name=_("question")
    )
    score = _score_field(_("score"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_id", "question_id"]
        verbose_name = _("question score")
        verbose_name_plural = _("question scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="questionscore_unique"),
            _score_range("score", "questionscore_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.question.code} = {self.score}"


class ItemAnswer(Provenance):
    """Whether an agency's website shows one OIT item, with the evidence checked."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="item_answers",
        verbose_name=_("assessment"),
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("OIT item")
    )
    present = models.BooleanField(_("present"))
    evidence_url = models.URLField(_("evidence URL"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_id", "question_id"]
        verbose_name = _("OIT item answer")
        verbose_name_plural = _("OIT item answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="itemanswer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.question.code} = {self.present}"

    @property
    def score(self) -> Decimal:
        """Return the item's worth: 100 when present, 0 when absent."""
        return HUNDRED if self.present else ZERO


class SubIndicatorScore(Provenance):
    """An OIT sub-indicator score as reported."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="sub_indicator_scores",
        verbose_name=_("assessment"),
    )
    sub_indicator = models.ForeignKey(
        SubIndicator,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("sub-indicator"),
    )
    score = _score_field(_("score"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_id", "sub_indicator_id"]
        verbose_name = _("sub-indicator score")
        verbose_name_plural = _("sub-indicator scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "sub_indicator"], name="subindicatorscore_unique"
            ),
            _score_range("score", "subindicatorscore_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.sub_indicator.key} = {self.score}"


class IndicatorScore(Provenance):
    """An indicator score as reported."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="indicator_scores",
        verbose_name=_("assessment"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="scores", verbose_name=_("indicator")
    )
    score = _score_field(_("score"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_id", "indicator_id"]
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="indicatorscore_unique"
            ),
            _score_range("score", "indicatorscore_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.indicator.number} = {self.score}"


class InstrumentScore(Provenance):
    """An instrument score (IIT, EIT, OIT) as reported."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="instrument_scores",
        verbose_name=_("assessment"),
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="scores", verbose_name=_("instrument")
    )
    score = _score_field(_("score"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_id", "instrument_id"]
        verbose_name = _("instrument score")
        verbose_name_plural = _("instrument scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "instrument"], name="instrumentscore_unique"
            ),
            _score_range("score", "instrumentscore_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.instrument.code} = {self.score}"

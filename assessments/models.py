"""Each agency's assessment against the ITA instrument of its year, and the imports that fed it.

An `Assessment` holds what is known of one agency's result in one year: only the scores actually
given (an unknown score has no row), the officially reported figures, and where each figure came
from (an import batch, sheet and row). The instrument's own models (one version per fiscal year)
are in assessments.instruments and are importable from here as well.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Agency
from assessments.instruments import (  # noqa: F401  (the app's models, importable from here)
    GRADE_LENGTH,
    HUNDRED,
    YEAR_VALIDATORS,
    ZERO,
    AnswerOption,
    AnswerScale,
    GradeBand,
    Indicator,
    Instrument,
    InstrumentVersion,
    OptionLabel,
    Question,
    SubIndicator,
    SubItem,
    score_field,
    score_range,
)


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

    def official(self) -> AssessmentQuerySet:
        """Keep the official results (NACC's), leaving out the agencies' self-assessments."""
        return self.filter(kind=Assessment.Kind.OFFICIAL)


class Assessment(Provenance):
    """One agency's ITA result in one fiscal year: reported figures and sample sizes.

    An agency has at most one official result (NACC's) and one self-assessment per year.
    """

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Official result")
        SELF = "self", _("Self-assessment")

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("agency")
    )
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.OFFICIAL)
    version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("instrument version"),
    )
    reported_total = score_field(_("reported total"), null=True, blank=True)
    reported_grade = models.CharField(_("reported grade"), max_length=GRADE_LENGTH, blank=True)
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
                fields=["agency", "fiscal_year", "kind"], name="assessment_agency_year_kind_unique"
            ),
            score_range("reported_total", "assessment_reported_total_0_100", nullable=True),
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


def _assessment_key(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name=related_name,
        verbose_name=_("assessment"),
    )


def _score_constraints(part: str) -> list:
    # Named after the model (%(class)s), as each model named them before the base existed.
    return [
        models.UniqueConstraint(fields=["assessment", part], name="%(class)s_unique"),
        score_range("score", "%(class)s_score_0_100"),
    ]


class Score(Provenance):
    """A known score (0–100) of one part of an assessment's instrument, as given.

    Each subclass names the part (a question, sub-indicator, indicator or instrument) with its
    own foreign key and the assessment's related name for its scores; the rest is shared.
    """

    score = score_field(_("score"))

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class QuestionScore(Score):
    """A known score of one IIT/EIT question in an assessment."""

    assessment = _assessment_key("question_scores")
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="scores", verbose_name=_("question")
    )

    class Meta:
        ordering = ["assessment_id", "question_id"]
        verbose_name = _("question score")
        verbose_name_plural = _("question scores")
        constraints = _score_constraints("question")

    def __str__(self) -> str:
        return f"{self.assessment} {self.question.code} = {self.score}"


class ItemAnswer(Provenance):
    """Whether an agency's website shows one OIT item, with the evidence checked."""

    assessment = _assessment_key("item_answers")
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("OIT item")
    )
    present = models.BooleanField(_("present"))
    reviewer_score = models.DecimalField(
        _("reviewer score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text=_("In versions scored by reviewers: one of the version's allowed scores"),
    )
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

    def clean(self) -> None:
        if self.reviewer_score is None or not self.assessment_id:
            return
        allowed = self.assessment.version.allowed_scores
        if self.reviewer_score not in allowed:
            raise ValidationError(
                {
                    "reviewer_score": ValidationError(
                        _("Give one of the version's allowed scores: %(allowed)s."),
                        code="not_allowed",
                        params={"allowed": ", ".join(str(value) for value in allowed) or "–"},
                    )
                }
            )

    @property
    def score(self) -> Decimal:
        """Return the item's worth: 100 when present, 0 when absent."""
        return HUNDRED if self.present else ZERO


class SubIndicatorScore(Score):
    """An OIT sub-indicator score as reported."""

    assessment = _assessment_key("sub_indicator_scores")
    sub_indicator = models.ForeignKey(
        SubIndicator,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("sub-indicator"),
    )

    class Meta:
        ordering = ["assessment_id", "sub_indicator_id"]
        verbose_name = _("sub-indicator score")
        verbose_name_plural = _("sub-indicator scores")
        constraints = _score_constraints("sub_indicator")

    def __str__(self) -> str:
        return f"{self.assessment} {self.sub_indicator.key} = {self.score}"


class IndicatorScore(Score):
    """An indicator score as reported."""

    assessment = _assessment_key("indicator_scores")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="scores", verbose_name=_("indicator")
    )

    class Meta:
        ordering = ["assessment_id", "indicator_id"]
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = _score_constraints("indicator")

    def __str__(self) -> str:
        return f"{self.assessment} {self.indicator.number} = {self.score}"


class InstrumentScore(Score):
    """An instrument score (IIT, EIT, OIT) as reported."""

    assessment = _assessment_key("instrument_scores")
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="scores", verbose_name=_("instrument")
    )

    class Meta:
        ordering = ["assessment_id", "instrument_id"]
        verbose_name = _("instrument score")
        verbose_name_plural = _("instrument scores")
        constraints = _score_constraints("instrument")

    def __str__(self) -> str:
        return f"{self.assessment} {self.instrument.code} = {self.score}"

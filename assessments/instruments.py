"""The ITA instrument as per-fiscal-year data: versions, instruments, indicators, questions, bands.

An `InstrumentVersion` holds one fiscal year's instruments (with their weights), indicators,
sub-indicators, questions (and OIT items), grade bands and pass mark. It is portal-wide reference
data, kept by a data steward. The score conventions every figure follows (0-100, two decimals,
checked in the database too) are set here. assessments.models re-exports these models.

Longer than the project's 400 lines on purpose: these are the rows of one concept, the method,
which the loader (version_services), the copy and the version pages read and write together;
split by row type they would only import each other.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

ZERO = Decimal("0")
HUNDRED = Decimal("100")
SCORE_VALIDATORS = [MinValueValidator(ZERO), MaxValueValidator(HUNDRED)]
# Buddhist-Era fiscal years the portal accepts (2500 = 1957 CE, 2700 = 2157 CE).
YEAR_VALIDATORS = [MinValueValidator(2500), MaxValueValidator(2700)]
# Long enough for every published level: AA, ผ่านดีเยี่ยม, ต้องปรับปรุงโดยด่วน, สูงมาก.
GRADE_LENGTH = 64


def score_field(verbose_name: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs
    )


def score_range(field: str, name: str, *, nullable: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 100})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=name)


class Sourced(models.Model):
    """Where a row of the method comes from, and whether a source confirms it."""

    source = models.TextField(
        _("source"), blank=True, help_text=_("Where this comes from: a manual, a page, code")
    )
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("An official or published source confirms it")
    )

    class Meta:
        abstract = True


# --- The instrument, per fiscal year --------------------------------------------------------------


class InstrumentVersionQuerySet(models.QuerySet):
    def nacc(self) -> InstrumentVersionQuerySet:
        """Keep the NACC ITA versions: the ones agencies' official results are scored on."""
        return self.filter(framework=InstrumentVersion.Framework.NACC_ITA)


class InstrumentVersion(Sourced):
    """The ITA instrument of one fiscal year: its structure, weights, levels and scoring rules."""

    class Framework(models.TextChoices):
        NACC_ITA = "nacc_ita", _("NACC ITA")
        OBEC_ITA_ONLINE = "obec_ita_online", _("OBEC ITA Online (schools)")
        OVEC = "ovec", _("OVEC (vocational colleges)")
        MOPH_MOIT = "moph_moit", _("MOPH MOIT (health units)")

    class Aggregation(models.TextChoices):
        INDICATOR_MEAN = "indicator_mean", _("Equal weight per indicator")
        ITEM_COUNT = "item_count", _("Weight by number of questions or items")

    class OitScoring(models.TextChoices):
        PRESENT_ABSENT = "present_absent", _("Present or absent")
        REVIEWER_SCORE = "reviewer_score", _("Reviewer score from the allowed values")

    class OitRollup(models.TextChoices):
        SUB_INDICATOR_MEAN = "sub_indicator_mean", _("Mean of the sub-indicators")
        ITEM_MEAN = "item_mean", _("Mean of the items")

    framework = models.CharField(
        _("framework"), max_length=20, choices=Framework, default=Framework.NACC_ITA
    )
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"), validators=YEAR_VALIDATORS)
    name_th = models.CharField(_("Thai name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    pass_mark = score_field(_("pass mark"), default=Decimal("85.00"))
    aggregation = models.CharField(
        _("aggregation"), max_length=20, choices=Aggregation, default=Aggregation.INDICATOR_MEAN
    )
    oit_scoring = models.CharField(
        _("OIT item scoring"),
        max_length=20,
        choices=OitScoring,
        default=OitScoring.PRESENT_ABSENT,
    )
    oit_allowed_scores = models.JSONField(
        _("allowed OIT reviewer scores"),
        default=list,
        blank=True,
        help_text=_("e.g. 0, 0.5, 1; only with reviewer scores"),
    )
    oit_rollup = models.CharField(
        _("OIT roll-up"), max_length=20, choices=OitRollup, default=OitRollup.SUB_INDICATOR_MEAN
    )
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
    objects = InstrumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "framework"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "fiscal_year"], name="instrumentversion_framework_year_unique"
            ),
            score_range("pass_mark", "instrumentversion_pass_mark_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.name_en or self.name_th}"

    @property
    def allowed_scores(self) -> tuple[Decimal, ...]:
        """Return the allowed OIT reviewer scores as decimals."""
        return tuple(Decimal(str(value)) for value in self.oit_allowed_scores)

    def clean(self) -> None:
        try:
            allowed = self.allowed_scores
        except (ArithmeticError, TypeError, ValueError):
            allowed = None
        if allowed is None or any(value < 0 for value in allowed):
            raise ValidationError(
                {
                    "oit_allowed_scores": ValidationError(
                        _("Allowed scores are numbers of 0 or more."), code="bad_scores"
                    )
                }
            )
        if self.oit_scoring == self.OitScoring.REVIEWER_SCORE and not any(allowed):
            raise ValidationError(
                {
                    "oit_allowed_scores": ValidationError(
                        _("Reviewer scoring needs the allowed scores, e.g. 0, 0.5, 1."),
                        code="no_scores",
                    )
                }
            )


def _count(verbose_name: str, **kwargs) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(verbose_name, null=True, blank=True, **kwargs)


class Instrument(Sourced):
    """One of a version's instruments (แบบวัด): IIT, EIT or OIT, its weight and sample rule."""

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
    # The sample rule (IIT/EIT): the defaults are the seed's 2563 rule (domain.md §2).
    sample_percent = models.DecimalField(
        _("sample: share of the population (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        default=Decimal("10"),
        validators=SCORE_VALIDATORS,
    )
    sample_minimum = _count(_("sample: at least"), default=30)
    sample_everyone_below = _count(_("sample: everyone below a population of"), default=30)
    sample_cap_over = _count(_("sample: over a population of"), default=1000)
    sample_cap_minimum = _count(_("sample: … at least"), default=100)
    sample_source = models.TextField(_("source of the sample rule"), blank=True)

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


class Indicator(Sourced):
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


class SubIndicator(Sourced):
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


class Question(Sourced):
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
    help_th = models.TextField(_("Thai help text"), blank=True)
    help_en = models.TextField(_("English help text"), blank=True)
    scale = models.ForeignKey(
        "AnswerScale",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("answer scale"),
    )
    reversed = models.BooleanField(
        _("negative (reversed) question"),
        default=False,
        help_text=_("A higher answer means less integrity; its points count reversed"),
    )
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


class GradeBand(Sourced):
    """A result level (ระดับ) of a version: its total range and any minimum per instrument.

    Levels are tried in order; the first whose conditions all hold is the result (a pure rule:
    assessments.scoring.level_for). 2563 has AA–F on the total alone; from 2567 a level may also
    need each instrument at a minimum, held in `minimums` as {"IIT": "95.00", …}.
    """

    version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.CASCADE,
        related_name="grade_bands",
        verbose_name=_("version"),
    )
    grade = models.CharField(
        _("grade"), max_length=GRADE_LENGTH, help_text=_("As published: AA, ผ่านดีเยี่ยม, สูงมาก")
    )
    # Empty for a level known only by its published label (before 2562: สูงมาก …): a reported
    # result may carry it, but no total is graded into it.
    lower = score_field(_("lowest total"), null=True, blank=True)
    upper = score_field(_("highest total"), null=True, blank=True)
    minimums = models.JSONField(
        _("minimum per instrument"),
        default=dict,
        blank=True,
        help_text=_('e.g. {"IIT": "95.00", "EIT": "95.00", "OIT": "95.00"}'),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label_th = models.CharField(_("Thai label"), max_length=255, blank=True)
    label_en = models.CharField(_("English label"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version_id", "order", "-lower"]
        verbose_name = _("result level")
        verbose_name_plural = _("result levels")
        constraints = [
            models.UniqueConstraint(fields=["version", "grade"], name="gradeband_grade_unique"),
            score_range("lower", "gradeband_lower_0_100", nullable=True),
            score_range("upper", "gradeband_upper_0_100", nullable=True),
        ]

    def __str__(self) -> str:
        return self.grade if self.lower is None else f"{self.grade} ≥ {self.lower}"

    def rule_text(self) -> str:
        """Say in words which figures earn this level: its total range and minimums."""
        if self.lower is None:
            return gettext("as published; no score rule is stored for this level")
        rule = gettext("total %(lower)s–%(upper)s") % {
            "lower": f"{self.lower:.2f}",
            "upper": f"{HUNDRED if self.upper is None else self.upper:.2f}",
        }
        by_minimum: dict[Decimal, list[str]] = {}
        for code, minimum in self.minimum_scores():
            by_minimum.setdefault(minimum, []).append(code)
        for minimum, codes in by_minimum.items():
            rule += gettext(", and %(codes)s each ≥ %(minimum)s") % {
                "codes": ", ".join(codes),
                "minimum": f"{minimum:.2f}",
            }
        return rule

    def minimum_scores(self) -> tuple[tuple[str, Decimal], ...]:
        """Return the minimums as (instrument code, score) pairs, in code order."""
        return tuple((code, Decimal(str(value))) for code, value in sorted(self.minimums.items()))

    def clean(self) -> None:
        if not isinstance(self.minimums, dict):
            raise ValidationError(
                {"minimums": ValidationError(_("Give minimums by instrument code."), code="shape")}
            )
        try:
            scores = self.minimum_scores()
        except (ArithmeticError, TypeError, ValueError):
            scores = None
        if scores is None or any(not ZERO <= score <= HUNDRED for _code, score in scores):
            raise ValidationError(
                {
                    "minimums": ValidationError(
                        _("Each minimum is a score from 0 to 100."), code="bad_minimum"
                    )
                }
            )
        if self.lower is None and (self.upper is not None or scores):
            raise ValidationError(
                {
                    "lower": ValidationError(
                        _("A level with a highest total or minimums needs a lowest total."),
                        code="no_lower",
                    )
                }
            )
        if self.upper is not None and self.lower is not None and self.upper < self.lower:
            raise ValidationError(
                {
                    "upper": ValidationError(
                        _("The highest total is below the lowest."), code="order"
                    )
                }
            )


# --- Answer scales (IIT/EIT) ----------------------------------------------------------------------


class AnswerScale(Sourced):
    """A version's answer scale for IIT/EIT questions: ordered options with points (or none yet)."""

    class Kind(models.TextChoices):
        LEVELS = "levels", _("Levels")
        YES_NO = "yes_no", _("Yes or no")

    version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.CASCADE,
        related_name="answer_scales",
        verbose_name=_("version"),
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. L6, YN"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.LEVELS)
    name_th = models.CharField(_("Thai name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version_id", "code"]
        verbose_name = _("answer scale")
        verbose_name_plural = _("answer scales")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="answerscale_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"


class AnswerOption(Sourced):
    """One option of an answer scale; points stay empty where no source gives them."""

    scale = models.ForeignKey(
        AnswerScale, on_delete=models.CASCADE, related_name="options", verbose_name=_("scale")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    label_th = models.CharField(_("Thai label"), max_length=255)
    label_en = models.CharField(_("English label"), max_length=255, blank=True)
    points = score_field(_("points"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scale_id", "order"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        constraints = [
            models.UniqueConstraint(fields=["scale", "order"], name="answeroption_order_unique"),
            score_range("points", "answeroption_points_0_100", nullable=True),
        ]

    def __str__(self) -> str:
        return f"{self.scale.code}.{self.order} {self.label_th}"


class SubItem(Sourced):
    """A sub-item (ข้อย่อย) of a question, answered on a scale; a negative one counts reversed."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="sub_items", verbose_name=_("question")
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. I1.1"))
    text_th = models.TextField(_("Thai text"), blank=True)
    text_en = models.TextField(_("English text"), blank=True)
    help_th = models.TextField(_("Thai help text"), blank=True)
    help_en = models.TextField(_("English help text"), blank=True)
    scale = models.ForeignKey(
        AnswerScale,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_items",
        verbose_name=_("answer scale"),
        help_text=_("Empty: the question's scale"),
    )
    reversed = models.BooleanField(_("negative (reversed) item"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["question_id", "order", "code"]
        verbose_name = _("sub-item")
        verbose_name_plural = _("sub-items")
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="subitem_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text_th}".strip()


class OptionLabel(models.Model):
    """A question's own wording of a scale option (2567: labels differ question by question)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="option_labels", verbose_name=_("question")
    )
    option = models.ForeignKey(
        AnswerOption,
        on_delete=models.CASCADE,
        related_name="question_labels",
        verbose_name=_("option"),
    )
    label_th = models.CharField(_("Thai label"), max_length=255)
    label_en = models.CharField(_("English label"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["question_id", "option__order"]
        verbose_name = _("question's option label")
        verbose_name_plural = _("questions' option labels")
        constraints = [
            models.UniqueConstraint(fields=["question", "option"], name="optionlabel_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question.code} {self.label_th}"


# --- Crosswalk between years ----------------------------------------------------------------------


class QuestionLink(Sourced):
    """How a question or item of an earlier version continues in a later one (the crosswalk).

    Codes are renumbered, merged, split or dropped from year to year; a per-question trend follows
    these links instead of matching codes, so that I14 of one year meets its successor of the next.
    """

    class Kind(models.TextChoices):
        SAME = "same", _("Same question")
        RENUMBERED = "renumbered", _("Renumbered")
        MERGED = "merged", _("Merged into")
        SPLIT = "split", _("Split into")
        DROPPED = "dropped", _("Dropped")

    earlier = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="links_forward",
        verbose_name=_("earlier question"),
    )
    later = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="links_back",
        verbose_name=_("later question"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["earlier_id", "later_id"]
        verbose_name = _("crosswalk link")
        verbose_name_plural = _("crosswalk links")
        constraints = [
            models.UniqueConstraint(fields=["earlier", "later"], name="questionlink_unique"),
            models.UniqueConstraint(
                fields=["earlier"],
                condition=Q(later__isnull=True),
                name="questionlink_dropped_once",
            ),
            # A dropped question links to nothing; every other kind links to a later question.
            models.CheckConstraint(
                condition=(Q(kind="dropped") & Q(later__isnull=True))
                | (~Q(kind="dropped") & Q(later__isnull=False)),
                name="questionlink_dropped_has_no_later",
            ),
        ]

    def __str__(self) -> str:
        later = self.later.code if self.later_id else "–"
        return f"{self.earlier.code} → {later} ({self.kind})"

    def clean(self) -> None:
        if not self.earlier_id or not self.later_id:
            return
        if self.later.version.fiscal_year <= self.earlier.version.fiscal_year:
            raise ValidationError(
                {"later": ValidationError(_("Link to a later year's question."), code="not_later")}
            )

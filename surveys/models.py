"""Self-assessment surveys: an agency runs its own IIT or EIT round and gets its expected scores.

Anonymity is a property of these tables, not of the pages: a `Response` holds the unit, the
channel and the answers, and nothing else: no user, name, address, browser, code or time (its
key is random, so not even the order of arrival). Where one person may answer once (a one-time
`AccessCode`), the code is marked used with a plain flag on its own row, which names no response
and carries no time, so the two cannot be joined. A `Draft` (the answers of a respondent still
filling in the form, keyed by the SHA-256 of a random cookie token) is deleted in the same
transaction that writes the response.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Agency, AgencyOwnedQuerySet, Unit, User
from assessments.instruments import Instrument, score_field, score_range


class UnitScopedQuerySet(AgencyOwnedQuerySet):
    agency_path = "round__agency"


class AnswerScopedQuerySet(AgencyOwnedQuerySet):
    agency_path = "survey_unit__round__agency"


class SurveyRound(models.Model):
    """One agency's survey of one instrument (IIT or EIT) of a fiscal year's version."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("survey state", "Being prepared")
        OPEN = "open", pgettext_lazy("survey state", "Open")
        CLOSED = "closed", pgettext_lazy("survey state", "Closed")

    class Access(models.TextChoices):
        LINK = "link", _("A link per unit")
        CODES = "codes", _("One-time codes (paper or e-mail)")

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="survey_rounds", verbose_name=_("agency")
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="survey_rounds",
        verbose_name=_("instrument"),
    )
    opens_on = models.DateField(_("opening date"))
    closes_on = models.DateField(_("closing date"))
    access = models.CharField(
        _("who may answer"), max_length=10, choices=Access, default=Access.LINK
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.DRAFT)
    run_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AgencyOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["agency_id", "-opens_on", "instrument_id"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "instrument"], name="surveyround_one_per_instrument"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="surveyround_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.instrument.code} {self.fiscal_year}"

    @property
    def fiscal_year(self) -> int:
        return self.instrument.version.fiscal_year

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError(
                {
                    "closes_on": ValidationError(
                        _("The closing date is before the opening date."), code="closes_early"
                    )
                }
            )
        if self.instrument_id and self.instrument.code not in ("IIT", "EIT"):
            raise ValidationError(
                {
                    "instrument": ValidationError(
                        _("Only the IIT and the EIT are surveys; the OIT is checked, not asked."),
                        code="not_a_survey",
                    )
                }
            )

    def accepts_answers(self, today: date) -> bool:
        """Tell whether respondents may answer today: open, and within its dates."""
        return self.state == self.State.OPEN and self.opens_on <= today <= self.closes_on

    def days_left(self, today: date) -> int:
        """Return the days from today to the closing date, that day included (0 once past)."""
        return max((self.closes_on - today).days + 1, 0)


class SurveyUnit(models.Model):
    """A unit taking part in a round: its population, its link code and its response count.

    `responses` is a counter kept by the submission service in the same transaction as the
    response, so the status page reads one row per unit whatever the number of responses.
    """

    round = models.ForeignKey(
        SurveyRound, on_delete=models.CASCADE, related_name="units", verbose_name=_("round")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="survey_units", verbose_name=_("unit")
    )
    population = models.PositiveIntegerField(
        _("population"),
        help_text=_("Staff employed for a year or more (IIT), or people served this year (EIT)."),
    )
    code = models.CharField(_("link code"), max_length=32, unique=True, editable=False)
    responses = models.PositiveIntegerField(_("responses"), default=0, editable=False)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["round_id", "unit__code"]
        verbose_name = _("unit in a survey")
        verbose_name_plural = _("units in a survey")
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="surveyunit_unit_once"),
            models.CheckConstraint(condition=Q(population__gte=1), name="surveyunit_population_1"),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.unit.code}"

    def clean(self) -> None:
        if self.unit_id and self.round_id and self.unit.agency_id != self.round.agency_id:
            raise ValidationError(
                {"unit": ValidationError(_("The unit is of another agency."), code="other_agency")}
            )


class AccessCode(models.Model):
    """A one-time code handed to one respondent on paper or by e-mail.

    `used` is a flag, not a time, and no response names its code: which code answered what
    cannot be told from the database. Whom a code was mailed to is not kept either.
    """

    survey_unit = models.ForeignKey(
        SurveyUnit, on_delete=models.CASCADE, related_name="access_codes", verbose_name=_("unit")
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    used = models.BooleanField(_("used"), default=False)

    class Meta:
        ordering = ["survey_unit_id", "code"]
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return self.code


class Response(models.Model):
    """One respondent's answers: the unit, how they were taken, and the chosen options.

    `answers` maps each item's key (I1, or I1.1 for a sub-item) to the chosen option's key.
    The primary key is random so that rows carry not even their order of arrival.
    """

    class Channel(models.TextChoices):
        WEB = "web", _("Online form")
        TELEPHONE = "telephone", _("Telephone interview")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey_unit = models.ForeignKey(
        SurveyUnit, on_delete=models.CASCADE, related_name="answer_sets", verbose_name=_("unit")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.WEB)
    answers = models.JSONField(_("answers"))

    objects = AnswerScopedQuerySet.as_manager()

    class Meta:
        ordering = ["survey_unit_id", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.survey_unit} {self.pk}"


class Draft(models.Model):
    """The answers of a respondent still filling in the form, kept for resuming.

    Keyed by the SHA-256 of a random token in the respondent's cookie, never by who they are;
    deleted with the submission, and after `SURVEY_DRAFT_DAYS` without a change.
    """

    survey_unit = models.ForeignKey(
        SurveyUnit, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("unit")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Response.Channel, default=Response.Channel.WEB
    )
    answers = models.JSONField(_("answers"), default=dict)
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    access_code = models.CharField(_("code"), max_length=16, blank=True)
    updated_on = models.DateField(_("updated"), auto_now=True)

    objects = AnswerScopedQuerySet.as_manager()

    class Meta:
        ordering = ["survey_unit_id", "id"]
        verbose_name = _("draft answers")
        verbose_name_plural = _("draft answers")

    def __str__(self) -> str:
        return f"{self.survey_unit} draft"


class RoundScore(models.Model):
    """A score computed on closing: of one unit (or, with no unit, the whole organisation).

    Written only for a unit with at least `SURVEY_MIN_RESPONDENTS` responses: a smaller unit's
    results are never computed, so no page can show them.
    """

    class Level(models.TextChoices):
        QUESTION = "question", _("Question")
        INDICATOR = "indicator", _("Indicator")
        INSTRUMENT = "instrument", _("Instrument")

    round = models.ForeignKey(
        SurveyRound, on_delete=models.CASCADE, related_name="scores", verbose_name=_("round")
    )
    survey_unit = models.ForeignKey(
        SurveyUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scores",
        verbose_name=_("unit"),
    )
    level = models.CharField(_("level"), max_length=12, choices=Level)
    key = models.CharField(_("key"), max_length=10)
    score = score_field(_("score"))
    respondents = models.PositiveIntegerField(_("respondents"))

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["round_id", "survey_unit_id", "level", "key"]
        verbose_name = _("survey score")
        verbose_name_plural = _("survey scores")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "survey_unit", "level", "key"], name="roundscore_unit_once"
            ),
            models.UniqueConstraint(
                fields=["round", "level", "key"],
                condition=Q(survey_unit__isnull=True),
                name="roundscore_organisation_once",
            ),
            score_range("score", "roundscore_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.level} {self.key} = {self.score}"

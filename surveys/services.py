"""Writes of the surveys app: rounds, units, codes, drafts, submissions and closing."""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency, Unit, User
from assessments import answers
from assessments import scoring as assessment_scoring
from assessments.instruments import Instrument
from assessments.models import Assessment
from assessments.services import assessment_scores_set, assessment_upsert
from assessments.versions import version_spec
from surveys import selectors
from surveys.models import AccessCode, Draft, Response, RoundScore, SurveyRound, SurveyUnit
from surveys.questionnaire import Questionnaire

# Codes are read off paper: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_CODES_AT_ONCE = 2000


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_code(text: str) -> str:
    """Return a typed one-time code as stored: capitals, without spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


# --- rounds ---------------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    agency: Agency,
    instrument: Instrument,
    opens_on: date,
    closes_on: date,
    access: str,
    run_by: User,
) -> SurveyRound:
    """Create a round in preparation; EIT rounds are always answered by a public link."""
    if instrument.code == "EIT":
        access = SurveyRound.Access.LINK
    survey = SurveyRound(
        agency=agency,
        instrument=instrument,
        opens_on=opens_on,
        closes_on=closes_on,
        access=access,
        run_by=run_by,
    )
    survey.full_clean()
    survey.save()
    return survey


@transaction.atomic
def round_dates_set(*, survey: SurveyRound, opens_on: date, closes_on: date) -> SurveyRound:
    """Change a round's dates (not once it is closed)."""
    if survey.state == SurveyRound.State.CLOSED:
        raise ValidationError(_("The round is closed."), code="closed")
    survey.opens_on, survey.closes_on = opens_on, closes_on
    survey.full_clean()
    survey.save(update_fields=["opens_on", "closes_on"])
    return survey


@transaction.atomic
def round_unit_set(*, survey: SurveyRound, unit: Unit, population: int) -> SurveyUnit:
    """Add a unit to a round with its population, or change the population of one in it."""
    if survey.state == SurveyRound.State.CLOSED:
        raise ValidationError(_("The round is closed."), code="closed")
    entry = SurveyUnit.objects.filter(round=survey, unit=unit).first()
    if entry is None:
        entry = SurveyUnit(round=survey, unit=unit, code=secrets.token_urlsafe(12))
    entry.population = population
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def round_unit_remove(*, entry: SurveyUnit) -> None:
    """Take a unit out of a round that nobody has answered for it yet."""
    if entry.responses or entry.round.state == SurveyRound.State.CLOSED:
        raise ValidationError(
            _("%(unit)s already has responses; it stays in the round.") % {"unit": entry.unit.code},
            code="answered",
        )
    entry.delete()


@transaction.atomic
def round_open(*, survey: SurveyRound) -> SurveyRound:
    """Open a prepared round: it needs units, and an answer scale with points for every item."""
    survey = SurveyRound.objects.select_for_update().select_related("instrument").get(pk=survey.pk)
    if survey.state != SurveyRound.State.DRAFT:
        raise ValidationError(_("Only a round being prepared can be opened."), code="not_draft")
    if not survey.units.exists():
        raise ValidationError(_("Add at least one unit before opening."), code="no_units")
    form = selectors.survey_form(survey)
    if form.unscaled or not form.questionnaire.items:
        raise ValidationError(
            _(
                "The instrument version has no answer scale for %(codes)s: a data steward "
                "adds the scales (with their points and source) before a survey can open."
            )
            % {"codes": ", ".join(form.unscaled) or survey.instrument.code},
            code="no_scales",
        )
    pointless = [
        item.key
        for item in form.questionnaire.items
        if any(form.points.get((item.key, option.key)) is None for option in item.options)
    ]
    if pointless:
        raise ValidationError(
            _("The answer scale of %(codes)s gives no points: its answers could not be scored.")
            % {"codes": ", ".join(pointless)},
            code="no_points",
        )
    survey.state = SurveyRound.State.OPEN
    survey.save(update_fields=["state"])
    return survey


# --- one-time codes -------------------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def codes_issue(*, entry: SurveyUnit, count: int) -> list[str]:
    """Make `count` new one-time codes for a unit of a code round; return them."""
    if entry.round.access != SurveyRound.Access.CODES:
        raise ValidationError(_("This round is answered by link, not by codes."), code="link")
    if not 1 <= count <= MAX_CODES_AT_ONCE:
        raise ValidationError(
            _("Ask for 1 to %(max)s codes at a time.") % {"max": f"{MAX_CODES_AT_ONCE:,}"},
            code="count",
        )
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(_new_code())
    taken = set(AccessCode.objects.filter(code__in=codes).values_list("code", flat=True))
    while taken:  # a collision in 31**8 is rare; draw again rather than fail
        codes -= taken
        fresh = {_new_code() for _ in taken} - codes
        taken = set(AccessCode.objects.filter(code__in=fresh).values_list("code", flat=True))
        codes |= fresh
    AccessCode.objects.bulk_create(AccessCode(survey_unit=entry, code=code) for code in codes)
    return sorted(codes)


def codes_mail(*, entry: SurveyUnit, addresses: list[str], link: str) -> int:
    """Mail each address its own new code; keep no record of who got which. Return the count."""
    codes = codes_issue(entry=entry, count=len(addresses))
    survey = entry.round
    subject = _("ITA self-assessment survey (%(instrument)s): your one-time code") % {
        "instrument": survey.instrument.code
    }
    messages = []
    for address, code in zip(addresses, codes, strict=True):
        body = _(
            "You are invited to answer the %(instrument)s survey of %(agency)s.\n\n"
            "Open %(link)s and type this one-time code: %(code)s\n\n"
            "Your answers are anonymous: the code is only marked as used, never linked to them."
        ) % {
            "instrument": survey.instrument.name_th,
            "agency": survey.agency.name_th,
            "link": link,
            "code": f"{code[:4]}-{code[4:]}",
        }
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
    send_mass_mail(messages)
    return len(messages)


# --- the answer form ------------------------------------------------------------------------------


def draft_start(*, entry: SurveyUnit, channel: str, code: str = "") -> tuple[Draft, str]:
    """Start a respondent's draft; return it with the token that finds it again (a cookie)."""
    if entry.round.access == SurveyRound.Access.CODES and channel == Response.Channel.WEB:
        code = normalise_code(code)
        if not code:
            raise ValidationError(_("Type the one-time code you were given."), code="no_code")
        if not AccessCode.objects.filter(survey_unit=entry, code=code, used=False).exists():
            raise ValidationError(
                _("This code is not valid for this survey, or it has been used."), code="bad_code"
            )
    token = secrets.token_urlsafe(32)
    draft = Draft.objects.create(
        survey_unit=entry, token_hash=token_hash(token), channel=channel, access_code=code, step=1
    )
    return draft, token


def draft_save(*, draft: Draft, answers: dict[str, str], step: int) -> Draft:
    """Keep a draft's answers (already cleaned against the questionnaire) and its screen."""
    draft.answers = {**draft.answers, **answers}
    draft.step = step
    draft.save(update_fields=["answers", "step", "updated_on"])
    return draft


class AlreadySubmitted(Exception):
    """The draft was submitted already (a double click, a second tab)."""


@transaction.atomic
def response_submit(*, draft: Draft, questionnaire: Questionnaire) -> Response:
    """Turn a complete draft into a response: count it, use its code, delete the draft.

    Deleting the draft first makes a second submission of it (a double click) find nothing;
    the code is marked used by one conditional UPDATE, so a code answers once.
    """
    missing = questionnaire.missing(draft.answers)
    if missing:
        item = missing[0]
        raise ValidationError(
            _("Please answer %(code)s: %(text)s") % {"code": item.key, "text": item.text},
            code="incomplete",
        )
    entry = draft.survey_unit
    deleted, _counts = Draft.objects.filter(pk=draft.pk).delete()
    if not deleted:
        raise AlreadySubmitted
    if draft.access_code:
        used = AccessCode.objects.filter(
            survey_unit=entry, code=draft.access_code, used=False
        ).update(used=True)
        if not used:
            raise ValidationError(_("This code has been used already."), code="code_used")
    response = Response.objects.create(
        survey_unit=entry,
        channel=draft.channel,
        answers=questionnaire.clean(draft.answers),
    )
    SurveyUnit.objects.filter(pk=entry.pk).update(responses=F("responses") + 1)
    return response


def drafts_expire(*, today: date | None = None) -> int:
    """Delete drafts nobody has touched for SURVEY_DRAFT_DAYS; return how many."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.SURVEY_DRAFT_DAYS)
    deleted, _counts = Draft.objects.filter(updated_on__lt=cutoff).delete()
    return deleted


# --- closing: the round's scores ------------------------------------------------------------------


@dataclass
class Scores:
    respondents: int
    questions: dict[str, Decimal]
    indicators: dict[int, Decimal]
    instrument: Decimal | None


def _scores(
    answer_sets: list[dict], form, spec: assessment_scoring.VersionSpec, code: str
) -> Scores:
    # The method's own path from answers to figures (assessments.answers): each respondent's
    # question scores (sub-items averaged, negative items reversed), their mean per question,
    # then indicators and the instrument by the version's aggregation.
    respondents = [{key: int(option) for key, option in a.items()} for a in answer_sets]
    questions = answers.question_scores(form.scales, respondents)
    result = answers.answers_result(spec, form.scales, respondents)
    numbers = {
        indicator.number
        for instrument in spec.instruments
        if instrument.code == code
        for indicator in instrument.indicators
    }
    indicators = {
        number: figure.value
        for number, figure in result.indicators.items()
        if number in numbers and figure.value is not None
    }
    return Scores(len(answer_sets), questions, indicators, result.instruments[code].value)


def _score_rows(survey: SurveyRound, entry_id: int | None, scores: Scores) -> list[RoundScore]:
    def row(level: str, key: object, value: Decimal) -> RoundScore:
        return RoundScore(
            round=survey,
            survey_unit_id=entry_id,
            level=level,
            key=str(key),
            score=assessment_scoring.round2(value),
            respondents=scores.respondents,
        )

    rows = [row(RoundScore.Level.QUESTION, k, v) for k, v in scores.questions.items()]
    rows += [row(RoundScore.Level.INDICATOR, k, v) for k, v in scores.indicators.items()]
    if scores.instrument is not None:
        rows.append(row(RoundScore.Level.INSTRUMENT, survey.instrument.code, scores.instrument))
    return rows


def _self_assessment_store(survey: SurveyRound, scores: Scores, population: int) -> Assessment:
    """Keep the organisation's scores and sample as its self-assessment of the year.

    Question scores are what the survey gave; its indicator and instrument figures are kept as
    the reported ones beside them, so the assessment page computes from the questions by the same
    rules and shows any cent of rounding between the two as it does for an official result.
    """
    version = survey.instrument.version
    prefix = survey.instrument.code.lower()
    assessment = assessment_upsert(
        agency=survey.agency,
        fiscal_year=version.fiscal_year,
        kind=Assessment.Kind.SELF,
        framework=version.framework,
        values={
            f"{prefix}_respondents": scores.respondents,
            f"{prefix}_population": population,
            "note": _("Self-assessment from the agency's own surveys."),
        },
    )
    round2 = assessment_scoring.round2
    assessment_scores_set(
        assessment=assessment,
        questions={code: round2(value) for code, value in scores.questions.items()},
        indicators={number: round2(value) for number, value in scores.indicators.items()},
        instruments=(
            {survey.instrument.code: round2(scores.instrument)}
            if scores.instrument is not None
            else None
        ),
    )
    return assessment


@transaction.atomic
def round_close(*, survey: SurveyRound) -> SurveyRound:
    """Close an open round and score it: each unit with enough respondents, and the whole.

    A unit with fewer than SURVEY_MIN_RESPONDENTS responses gets no scores at all, nor the
    organisation below that many; the organisation's become its self-assessment of the year.
    """
    survey = (
        SurveyRound.objects.select_for_update()
        .select_related("instrument__version", "agency")
        .get(pk=survey.pk)
    )
    if survey.state != SurveyRound.State.OPEN:
        raise ValidationError(_("Only an open round can be closed."), code="not_open")
    form = selectors.survey_form(survey)
    spec = version_spec(survey.instrument.version)
    code = survey.instrument.code
    by_unit: dict[int, list[dict]] = defaultdict(list)
    responses = Response.objects.filter(survey_unit__round=survey)
    for entry_id, given in responses.values_list("survey_unit_id", "answers").iterator():
        by_unit[entry_id].append(given)
    minimum = settings.SURVEY_MIN_RESPONDENTS
    rows: list[RoundScore] = []
    for entry_id, answer_sets in by_unit.items():
        if len(answer_sets) >= minimum:
            scores = _scores(answer_sets, form, spec, code)
            rows += _score_rows(survey, entry_id, scores)
    everyone = [given for answer_sets in by_unit.values() for given in answer_sets]
    if len(everyone) >= minimum:
        scores = _scores(everyone, form, spec, code)
        rows += _score_rows(survey, None, scores)
        population = sum(survey.units.values_list("population", flat=True))
        _self_assessment_store(survey, scores, population)
    RoundScore.objects.bulk_create(rows)
    survey.state = SurveyRound.State.CLOSED
    survey.save(update_fields=["state"])
    return survey

"""Reads of the surveys app: lists, the live status and the stored results, in fixed queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from accounts.models import Agency, Unit
from assessments.instruments import Question
from surveys import distribution
from surveys.models import RoundScore, SurveyRound, SurveyUnit
from surveys.questionnaire import Group, Item, Option, Questionnaire
from surveys.sampling import minimum_sample, sample_rule_for


@dataclass
class RoundRow:
    survey: SurveyRound
    responses: int
    days_left: int


def rounds_for(agency: Agency, today: date) -> list[RoundRow]:
    """List an agency's rounds with their response counts (one query)."""
    rounds = (
        SurveyRound.objects.filter(agency=agency)
        .select_related("instrument__version")
        .annotate(total=Sum("units__responses"))
        .order_by("-instrument__version__fiscal_year", "instrument__order")
    )
    return [RoundRow(r, r.total or 0, r.days_left(today)) for r in rounds]


@dataclass
class UnitStatus:
    entry: SurveyUnit
    unit: Unit
    population: int
    responses: int
    minimum: int | None
    link: str
    qr: SafeString

    @property
    def enough(self) -> bool:
        return self.minimum is not None and self.responses >= self.minimum

    @property
    def short(self) -> int:
        return max((self.minimum or 0) - self.responses, 0)

    @property
    def percent(self) -> int:
        if not self.minimum:
            return 0
        return min(100, round(100 * self.responses / self.minimum))


@dataclass
class RoundStatus:
    state: str
    days_left: int
    closes_on: date
    rows: list[UnitStatus]
    population: int
    responses: int
    minimum: int | None
    rule_note: str

    @property
    def enough(self) -> bool:
        return self.minimum is not None and self.responses >= self.minimum


def round_status(survey: SurveyRound, today: date) -> RoundStatus:
    """Return responses against the minimum per unit and for the organisation.

    Reads the counters kept with each submission: the units (one query) and the version's
    sample rule (see surveys.sampling), whatever the number of responses.
    """
    entries = list(
        SurveyUnit.objects.filter(round=survey).select_related("unit").order_by("unit__code")
    )
    rule = sample_rule_for(survey)
    rows = [
        UnitStatus(
            entry=e,
            unit=e.unit,
            population=e.population,
            responses=e.responses,
            minimum=minimum_sample(rule, e.population),
            link=distribution.link(e),
            qr=distribution.qr_svg(e),
        )
        for e in entries
    ]
    population = sum(r.population for r in rows)
    return RoundStatus(
        state=survey.state,
        days_left=survey.days_left(today),
        closes_on=survey.closes_on,
        rows=rows,
        population=population,
        responses=sum(r.responses for r in rows),
        minimum=minimum_sample(rule, population) if rows else None,
        rule_note=survey.instrument.sample_source if rule else "",
    )


@dataclass
class ScoreSet:
    """One unit's (or the organisation's) stored scores of a closed round."""

    label: str
    respondents: int
    instrument: Decimal | None = None
    indicators: dict[str, Decimal] = field(default_factory=dict)
    questions: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class RoundResults:
    organisation: ScoreSet | None
    units: list[ScoreSet]
    hidden: list[Unit]  # units with fewer respondents than SURVEY_MIN_RESPONDENTS
    minimum: int
    indicator_keys: list[str]


def round_results(survey: SurveyRound) -> RoundResults | None:
    """Return a closed round's stored scores per unit and for the organisation (two queries)."""
    if survey.state != SurveyRound.State.CLOSED:
        return None
    entries = list(SurveyUnit.objects.filter(round=survey).select_related("unit"))
    sets: dict[int | None, ScoreSet] = {}
    for score in RoundScore.objects.filter(round=survey).order_by("level", "key"):
        if score.survey_unit_id not in sets:
            sets[score.survey_unit_id] = ScoreSet(label="", respondents=score.respondents)
        target = sets[score.survey_unit_id]
        if score.level == RoundScore.Level.INSTRUMENT:
            target.instrument = score.score
        elif score.level == RoundScore.Level.INDICATOR:
            target.indicators[score.key] = score.score
        else:
            target.questions[score.key] = score.score
    units, hidden = [], []
    for entry in sorted(entries, key=lambda e: e.unit.code):
        if entry.pk in sets:
            sets[entry.pk].label = str(entry.unit)
            units.append(sets[entry.pk])
        else:
            hidden.append(entry.unit)
    organisation = sets.get(None)
    keys = sorted({k for s in sets.values() for k in s.indicators}, key=lambda k: (len(k), k))
    return RoundResults(
        organisation=organisation,
        units=units,
        hidden=hidden,
        minimum=settings.SURVEY_MIN_RESPONDENTS,
        indicator_keys=keys,
    )


# --- the questionnaire of a round -----------------------------------------------------------------


def _label(obj, field: str) -> str:
    if (get_language() or "th").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, f"{field}_th", "")


def _questions(survey: SurveyRound):
    return (
        Question.objects.filter(indicator__instrument_id=survey.instrument_id)
        .select_related("indicator", "scale")
        .prefetch_related("scale__options", "option_labels", "sub_items__scale__options")
        .order_by("indicator__order", "indicator__number", "order", "id")
    )


def _options(scale, labels: dict[int, object]) -> tuple[Option, ...]:
    return tuple(
        Option(str(option.order), _label(labels.get(option.pk, option), "label"))
        for option in scale.options.all()
    )


def _points(scale, reverse: bool) -> dict[str, Decimal]:
    # A negative (reversed) item scores each option as its mirror on the scale does.
    options = list(scale.options.all())
    mirrored = list(reversed(options)) if reverse else options
    return {
        str(option.order): mirror.points
        for option, mirror in zip(options, mirrored, strict=True)
        if mirror.points is not None
    }


def answer_points(survey: SurveyRound) -> tuple[Questionnaire, dict[tuple[str, str], Decimal]]:
    """Return a round's questionnaire and the points of each (item, option); three queries.

    One screen per indicator; a question with sub-items asks each sub-item on its own scale
    (the question's when it names none), under the question's text. A question or sub-item
    without a scale cannot be asked: `round_open` refuses such a version.
    """
    groups: dict[int, tuple[str, list[Item]]] = {}
    points: dict[tuple[str, str], Decimal] = {}
    for question in _questions(survey):
        labels = {label.option_id: label for label in question.option_labels.all()}
        title, items = groups.setdefault(
            question.indicator_id, (_label(question.indicator, "name"), [])
        )
        subs = list(question.sub_items.all())
        if not subs:
            if question.scale is None:
                continue
            items.append(
                Item(
                    key=question.code,
                    question=question.code,
                    text=_label(question, "text"),
                    help=_label(question, "help"),
                    options=_options(question.scale, labels),
                )
            )
            for option, value in _points(question.scale, question.reversed).items():
                points[(question.code, option)] = value
            continue
        for index, sub in enumerate(subs):
            scale = sub.scale or question.scale
            if scale is None:
                continue
            items.append(
                Item(
                    key=sub.code,
                    question=question.code,
                    text=_label(sub, "text"),
                    help=_label(sub, "help"),
                    options=_options(scale, labels if sub.scale is None else {}),
                    heading=_label(question, "text") if index == 0 else "",
                )
            )
            for option, value in _points(scale, sub.reversed != question.reversed).items():
                points[(sub.code, option)] = value
    built = tuple(Group(title, tuple(items)) for title, items in groups.values() if items)
    return Questionnaire(groups=built), points


def questionnaire_for(survey: SurveyRound) -> Questionnaire:
    """Return the questionnaire a round's respondents answer."""
    return answer_points(survey)[0]


def unscaled_questions(survey: SurveyRound) -> list[str]:
    """Return the codes of the round's questions and sub-items that have no answer scale."""
    missing = []
    for question in _questions(survey):
        subs = list(question.sub_items.all())
        if not subs and question.scale is None:
            missing.append(question.code)
        missing += [s.code for s in subs if s.scale is None and question.scale is None]
    return missing

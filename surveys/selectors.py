"""Reads of the surveys app: lists, the live status and the stored results, in fixed queries."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from accounts.models import Agency, Unit
from assessments import answers, scoring
from assessments.versions import sample_rule, version_questions
from surveys import distribution
from surveys.models import RoundScore, SurveyRound, SurveyUnit
from surveys.questionnaire import Group, Item, Option, Questionnaire


def _sample_rule(survey: SurveyRound) -> scoring.SampleRule | None:
    # A rule with neither a share, a minimum nor "everyone below" asks nothing: no minimum shown.
    rule = sample_rule(survey.instrument)
    if rule.percent is None and rule.minimum is None and rule.everyone_below is None:
        return None
    return rule


def _minimum(rule: scoring.SampleRule | None, population: int) -> int | None:
    return None if rule is None else scoring.minimum_sample(rule, population)


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

    @property
    def short(self) -> int:
        return max((self.minimum or 0) - self.responses, 0)


def round_status(survey: SurveyRound, today: date) -> RoundStatus:
    """Return responses against the minimum per unit and for the organisation.

    Reads the counters kept with each submission: the units (one query) and the version's
    sample rule (on the instrument: no query), whatever the number of responses.
    """
    entries = list(
        SurveyUnit.objects.filter(round=survey).select_related("unit").order_by("unit__code")
    )
    rule = _sample_rule(survey)
    rows = [
        UnitStatus(
            entry=e,
            unit=e.unit,
            population=e.population,
            responses=e.responses,
            minimum=_minimum(rule, e.population),
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
        minimum=_minimum(rule, population) if rows else None,
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
    weak: list[
        tuple[str, Decimal]
    ]  # the organisation's questions below the pass mark, lowest first


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
    pass_mark = survey.instrument.version.pass_mark
    weak = sorted(
        (
            (code, value)
            for code, value in (organisation.questions if organisation else {}).items()
            if value < pass_mark
        ),
        key=lambda pair: (pair[1], pair[0]),
    )
    return RoundResults(
        organisation=organisation,
        units=units,
        hidden=hidden,
        minimum=settings.SURVEY_MIN_RESPONDENTS,
        indicator_keys=keys,
        weak=weak,
    )


# --- the questionnaire of a round -----------------------------------------------------------------


def _label(obj, field: str) -> str:
    if (get_language() or "th").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, f"{field}_th", "")


@dataclass(frozen=True)
class SurveyForm:
    """What a round asks and how its answers score (assessments.answers' specs)."""

    questionnaire: Questionnaire
    scales: tuple[answers.QuestionScale, ...]
    # The worth (0–100) of each (item key, option key), None where the scale has no points.
    points: dict[tuple[str, str], Decimal | None]
    unscaled: tuple[str, ...]  # questions and sub-items without an answer scale


def _worth(scale: answers.ScaleSpec, order: int, reverse: bool) -> Decimal | None:
    try:
        return scale.worth(order, reversed=reverse)
    except ValueError:  # no points (no source gives them), or all equal
        return None


def survey_form(survey: SurveyRound) -> SurveyForm:
    """Return a round's questionnaire with its scales and points (five queries).

    One screen per indicator; a question with sub-items asks each sub-item on its own scale (the
    question's when it names none), under the question's text, with the question's own wording
    of the options where the version gives one.
    """
    forms = [
        form
        for form in version_questions(survey.instrument.version)
        if form.question.indicator.instrument_id == survey.instrument_id
    ]
    forms.sort(key=lambda f: (f.question.indicator.order, f.question.indicator.number))
    groups: dict[int, tuple[str, list[Item]]] = {}
    points: dict[tuple[str, str], Decimal | None] = {}
    unscaled: list[str] = []
    for form in forms:
        question = form.question
        title, items = groups.setdefault(
            question.indicator_id, (_label(question.indicator, "name"), [])
        )
        shown = tuple(
            Option(str(option.order), label_en if _english() and label_en else label_th)
            for option, label_th, label_en in form.options
        )
        asked = form.scale.sub_items or (form.scale,)
        for index, spec in enumerate(asked):
            scale = spec.scale
            if scale is None:
                unscaled.append(spec.code)
                continue
            sub = form.sub_items[index] if form.sub_items else None
            if sub is not None and sub.scale_id and sub.scale_id != question.scale_id:
                # A sub-item on a scale of its own (rare): its options' labels, one query.
                options = tuple(
                    Option(str(o.order), _label(o, "label"))
                    for o in sub.scale.options.order_by("order")
                )
            else:
                options = shown
            items.append(
                Item(
                    key=spec.code,
                    question=question.code,
                    text=_label(sub or question, "text"),
                    help=_label(sub or question, "help"),
                    options=options,
                    heading=_label(question, "text") if sub is not None and index == 0 else "",
                )
            )
            for option in scale.options:
                points[(spec.code, str(option.order))] = _worth(scale, option.order, spec.reversed)
    built = tuple(Group(title, tuple(items)) for title, items in groups.values() if items)
    return SurveyForm(
        questionnaire=Questionnaire(groups=built),
        scales=tuple(form.scale for form in forms),
        points=points,
        unscaled=tuple(unscaled),
    )


def _english() -> bool:
    return (get_language() or "th").startswith("en")


# Each screen of the form needs the questionnaire; reading it is five queries and half a screen's
# time. It is kept in the process for a minute, keyed by the version's last save too, so a text
# a steward corrects shows within a minute. Opening and closing a round read it afresh.
FORM_SECONDS = 60
_forms: dict[tuple, tuple[float, Questionnaire]] = {}


def questionnaire_for(survey: SurveyRound) -> Questionnaire:
    """Return the questionnaire a round's respondents answer (kept a minute in the process)."""
    version = survey.instrument.version
    key = (survey.instrument_id, version.pk, version.updated_at, get_language())
    now = time.monotonic()
    kept = _forms.get(key)
    if kept is not None and now - kept[0] < FORM_SECONDS:
        return kept[1]
    questionnaire = survey_form(survey).questionnaire
    if len(_forms) > 100:  # old versions' entries, and every language: never many
        _forms.clear()
    _forms[key] = (now, questionnaire)
    return questionnaire

"""Rendered reports kept in Django's cache, keyed on the last change of the data they show.

Every model a report reads keeps django-simple-history records, and every create, change and
delete (cascades included) writes one with its `history_date`. The newest of those dates over the
rows a report shows is its data stamp: one query of scalar subqueries, each an indexed
ORDER BY history_date DESC LIMIT 1. A changed score, plan or progress report gives a new stamp
and therefore a new key; the stale entry simply expires. The cache is the shared one (database
or Redis, settings.CACHES), and a miss renders once for everyone asking (ita_portal.cache).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Model, Q, Subquery
from django.utils.translation import get_language

from accounts.models import Agency
from assessments.models import (
    Assessment,
    GradeBand,
    Indicator,
    IndicatorScore,
    Instrument,
    InstrumentScore,
    InstrumentVersion,
    ItemAnswer,
    Question,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
)
from ita_portal.cache import single_flight
from measures.models import Activity, Evidence, Measure, Plan, ProgressReport, Round, Step
from oit.models import OitRound

# Agency and unit names carry no history; a day bounds how long a renamed unit can linger.
CACHE_SECONDS = 24 * 60 * 60


def _latest(model: type[Model], condition: Q) -> Subquery:
    history = model.history.model  # type: ignore[attr-defined]
    newest = history.objects.filter(condition).order_by("-history_date").values("history_date")
    return Subquery(newest[:1])


def _stamp(agency: Agency, subqueries: dict[str, Subquery]) -> str:
    # One row of the agency table carries every subquery, so the stamp costs one query.
    row = Agency.objects.filter(pk=agency.pk).annotate(**subqueries).values_list(*subqueries)
    values = [value for value in row.get() if value is not None]
    return max(values).isoformat() if values else "never"


def _plan_subqueries(plan_field: str, value: int) -> dict[str, Subquery]:
    """Cover a plan's rows, the plan chosen by plan_field (id or agency_id) = value."""

    def scope(path: str) -> Q:
        return Q(**{f"{path}{plan_field}": value})

    return {
        "plan": _latest(Plan, scope("")),
        "round": _latest(Round, scope("plan__")),
        "measure": _latest(Measure, scope("plan__")),
        "activity": _latest(Activity, scope("measure__plan__")),
        "step": _latest(Step, scope("activity__measure__plan__")),
        "report": _latest(ProgressReport, scope("round__plan__")),
        "evidence": _latest(Evidence, scope("report__round__plan__")),
    }


def summary_stamp(assessment: Assessment) -> str:
    """Return when the data of an executive summary last changed (one query).

    The summary reads the agency's years up to its own (history chart, previous total), so the
    scope is those assessments, their scores and their versions, and the agency's plans; a later
    year entered leaves the stamp alone. The agency's self-assessment of the year is among those
    assessments (its rows are what closing a survey or approving an OIT self-check writes); the
    OIT round's approval, which names the source, is covered too.
    """
    agency_id, year = assessment.agency_id, assessment.fiscal_year
    scores = Q(assessment__agency_id=agency_id, assessment__fiscal_year__lte=year)
    shown = Assessment.objects.filter(agency_id=agency_id, fiscal_year__lte=year)
    version_ids = shown.values("version_id")
    versions = Q(version_id__in=version_ids)
    subqueries = {
        # Ranks of the year are the official assessments of the same year.
        "assessment": _latest(
            Assessment,
            Q(agency_id=agency_id, fiscal_year__lte=year)
            | Q(fiscal_year=year, kind=Assessment.Kind.OFFICIAL),
        ),
        "question_score": _latest(QuestionScore, scores),
        "item_answer": _latest(ItemAnswer, scores),
        "sub_indicator_score": _latest(SubIndicatorScore, scores),
        "indicator_score": _latest(IndicatorScore, scores),
        "instrument_score": _latest(InstrumentScore, scores),
        "version": _latest(InstrumentVersion, Q(id__in=version_ids)),
        "instrument": _latest(Instrument, versions),
        "indicator": _latest(Indicator, versions),
        "sub_indicator": _latest(SubIndicator, Q(indicator__version_id__in=version_ids)),
        "question": _latest(Question, versions),
        "grade_band": _latest(GradeBand, versions),
        "oit_round": _latest(OitRound, Q(agency_id=agency_id, fiscal_year=year)),
        **_plan_subqueries("agency_id", agency_id),
    }
    return _stamp(assessment.agency, subqueries)


def progress_stamp(plan: Plan) -> str:
    """Return when the data of a plan's progress reports last changed (one query)."""
    return _stamp(plan.agency, _plan_subqueries("id", plan.pk))


def cached_render(parts: tuple, stamp: str, render: Callable[[], bytes]) -> bytes:
    """Return the cached bytes of a rendered report, rendering them once on a miss."""
    return single_flight(report_key(parts, stamp), render, CACHE_SECONDS)


def cached_report(parts: tuple, stamp: str) -> bytes | None:
    """Return a report's bytes if the shared cache has them, else None (nothing rendered)."""
    return cache.get(report_key(parts, stamp))


def report_key(parts: tuple, stamp: str) -> str:
    """Return the cache key of a report: its parts, the language and the data stamp."""
    return ":".join(["reports", *(str(part) for part in parts), get_language() or "", stamp])


def document_stamp(plan: Plan, assessment: Assessment | None) -> str:
    """Return when the data of a plan's measures document last changed (one or two queries).

    The document reads its assessment's summary data (years up to the assessment's), the plan
    and its document rows (texts, settings, approaches).
    """
    from reports.models import DocumentSettings, DocumentText, WeaknessApproach

    own = {
        "document_text": _latest(DocumentText, Q(plan_id=plan.pk)),
        "document_settings": _latest(DocumentSettings, Q(plan_id=plan.pk)),
        "approach": _latest(WeaknessApproach, Q(measure__plan_id=plan.pk)),
        **_plan_subqueries("id", plan.pk),
    }
    stamp = _stamp(plan.agency, own)
    if assessment is None:
        return stamp
    return f"{stamp}|{summary_stamp(assessment)}"

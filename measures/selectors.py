"""Reads on the measures plan, as plain data with a fixed number of queries.

The reports app builds the executive summary and the six-month report on plan_overview()
and round_progress(); the dashboard and the public page use the same shapes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from measures.models import Activity, Evidence, Measure, Plan, ProgressReport, Round

State = ProgressReport.State
Status = ProgressReport.Status


@dataclass(frozen=True)
class UnitRef:
    pk: int
    code: str
    name_th: str
    name_en: str


@dataclass(frozen=True)
class StepRef:
    pk: int
    order: int
    text_th: str
    text_en: str


@dataclass(frozen=True)
class EvidenceRef:
    pk: int
    name: str
    url: str
    is_link: bool
    size: int


@dataclass(frozen=True)
class Progress:
    """One activity's report in one round."""

    report_pk: int | None
    round_pk: int
    round_number: int
    round_name_th: str
    round_name_en: str
    status: str
    status_label: str
    percent: int
    results: str
    obstacles: str
    next_steps: str
    state: str
    state_label: str
    evidence: list[EvidenceRef] = field(default_factory=list)


@dataclass(frozen=True)
class ActivityRow:
    pk: int
    number: str
    title_th: str
    title_en: str
    units: list[UnitRef]
    lead_unit: UnitRef
    deadline: dt.date
    cadence: str
    cadence_label: str
    steps: list[StepRef]
    questions: list[str]
    latest_approved: Progress | None


@dataclass(frozen=True)
class MeasureRow:
    pk: int
    number: int
    title_th: str
    title_en: str
    rationale_th: str
    rationale_en: str
    questions: list[str]
    indicators: list[int]
    activities: list[ActivityRow]


@dataclass(frozen=True)
class RoundRef:
    pk: int
    number: int
    name_th: str
    name_en: str
    period_start: dt.date
    period_end: dt.date
    opens_on: dt.date
    due_on: dt.date
    is_locked: bool


@dataclass(frozen=True)
class PlanOverview:
    plan: Plan
    rounds: list[RoundRef]
    measures: list[MeasureRow]

    @property
    def activity_count(self) -> int:
        return sum(len(m.activities) for m in self.measures)


@dataclass(frozen=True)
class ActivityProgress:
    pk: int
    number: str
    title_th: str
    title_en: str
    measure_number: int
    units: list[UnitRef]
    lead_unit: UnitRef
    deadline: dt.date
    progress: Progress


@dataclass(frozen=True)
class RoundProgress:
    plan: Plan
    round: RoundRef
    activities: list[ActivityProgress]


def _unit(unit) -> UnitRef:
    return UnitRef(unit.pk, unit.code, unit.name_th, unit.name_en)


def _round(round_: Round) -> RoundRef:
    return RoundRef(
        round_.pk,
        round_.number,
        round_.name_th,
        round_.name_en,
        round_.period_start,
        round_.period_end,
        round_.opens_on,
        round_.due_on,
        round_.is_locked,
    )


def _owners(activity: Activity) -> list[UnitRef]:
    """Return the activity's units, lead unit first, then by code."""
    units = sorted(activity.units.all(), key=lambda u: (u.pk != activity.lead_unit_id, u.code))
    return [_unit(u) for u in units]


def _evidence(item: Evidence) -> EvidenceRef:
    return EvidenceRef(item.pk, str(item), item.url, item.is_link, item.size)


def _progress(report: ProgressReport | None, round_: Round, with_evidence: bool) -> Progress:
    if report is None:
        return Progress(
            None,
            round_.pk,
            round_.number,
            round_.name_th,
            round_.name_en,
            Status.NOT_STARTED,
            Status.NOT_STARTED.label,
            0,
            "",
            "",
            "",
            "",
            "",
        )
    return Progress(
        report.pk,
        round_.pk,
        round_.number,
        round_.name_th,
        round_.name_en,
        report.status,
        report.get_status_display(),
        report.percent,
        report.results,
        report.obstacles,
        report.next_steps,
        report.state,
        report.get_state_display(),
        [_evidence(e) for e in report.evidence.all()] if with_evidence else [],
    )


def plan_for_assessment(assessment) -> Plan | None:
    """Return the plan built on an assessment, or the agency's plan of the following year."""
    plan = Plan.objects.filter(based_on=assessment).select_related("agency").first()
    if plan is None:
        plan = (
            Plan.objects.filter(
                agency_id=assessment.agency_id, fiscal_year=assessment.fiscal_year + 1
            )
            .select_related("agency")
            .first()
        )
    return plan


def _activities(plan: Plan):
    return (
        Activity.objects.filter(measure__plan=plan)
        .select_related("measure", "lead_unit")
        .prefetch_related("units")
        .order_by("measure__number", "number")
    )


def plan_overview(plan: Plan) -> PlanOverview:
    """Return the plan's measures, activities, owners, steps and latest approved progress.

    Queries: rounds, measures, measures' questions, activities (+lead unit), their units,
    steps and questions, approved reports (+evidence): 9 whatever the plan's size.
    """
    rounds = list(plan.rounds.all())
    rounds_by_pk = {r.pk: r for r in rounds}
    measures = list(plan.measures.prefetch_related("questions"))
    activities = list(_activities(plan).prefetch_related("steps", "questions"))
    approved: dict[int, ProgressReport] = {}
    for report in (
        ProgressReport.objects.filter(activity__measure__plan=plan, state=State.APPROVED)
        .prefetch_related("evidence")
        .order_by("round__number")
    ):
        approved[report.activity_id] = report  # later rounds overwrite earlier ones
    by_measure: dict[int, list[ActivityRow]] = defaultdict(list)
    for activity in activities:
        report = approved.get(activity.pk)
        by_measure[activity.measure_id].append(
            ActivityRow(
                activity.pk,
                activity.number,
                activity.title_th,
                activity.title_en,
                _owners(activity),
                _unit(activity.lead_unit),
                activity.deadline,
                activity.cadence,
                activity.get_cadence_display(),
                [StepRef(s.pk, s.order, s.text_th, s.text_en) for s in activity.steps.all()],
                [q.code for q in activity.questions.all()],
                _progress(report, rounds_by_pk[report.round_id], True) if report else None,
            )
        )
    rows = [
        MeasureRow(
            m.pk,
            m.number,
            m.title_th,
            m.title_en,
            m.rationale_th,
            m.rationale_en,
            [q.code for q in m.questions.all()],
            list(m.indicators),
            by_measure.get(m.pk, []),
        )
        for m in measures
    ]
    return PlanOverview(plan, [_round(r) for r in rounds], rows)


def round_progress(plan: Plan, round_: Round) -> RoundProgress:
    """Return every activity's report in one round (missing ones as not started).

    Queries: activities (+measure, lead unit), their units, the round's reports, evidence: 4.
    """
    activities = list(_activities(plan))
    reports = {
        r.activity_id: r
        for r in ProgressReport.objects.filter(round=round_).prefetch_related("evidence")
    }
    return RoundProgress(
        plan,
        _round(round_),
        [
            ActivityProgress(
                a.pk,
                a.number,
                a.title_th,
                a.title_en,
                a.measure.number,
                _owners(a),
                _unit(a.lead_unit),
                a.deadline,
                _progress(reports.get(a.pk), round_, True),
            )
            for a in activities
        ],
    )


# --- dashboard -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressSummary:
    key: str
    label: str
    activities: int
    done: int
    mean_percent: Decimal


@dataclass(frozen=True)
class OverdueActivity:
    pk: int
    number: str
    title_th: str
    deadline: dt.date
    status_label: str
    percent: int
    lead_unit: UnitRef


@dataclass(frozen=True)
class MissingReport:
    activity_pk: int
    number: str
    title_th: str
    round_pk: int
    round_name_th: str
    due_on: dt.date
    state_label: str
    is_past_due: bool
    units: list[UnitRef]


@dataclass(frozen=True)
class Dashboard:
    plan: Plan
    by_measure: list[ProgressSummary]
    by_unit: list[ProgressSummary]
    overdue: list[OverdueActivity]
    missing: list[MissingReport]


def _mean(values: list[int]) -> Decimal:
    if not values:
        return Decimal("0.00")
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def dashboard(plan: Plan, today: dt.date) -> Dashboard:
    """Summarise a plan's progress by measure and unit, overdue work and missing reports.

    Each activity's progress is its report in the latest round that has one.
    Queries: rounds, activities (+measure, lead unit), their units, reports: 4.
    """
    rounds = list(plan.rounds.all())
    activities = list(_activities(plan))
    reports: dict[tuple[int, int], ProgressReport] = {
        (r.activity_id, r.round_id): r
        for r in ProgressReport.objects.filter(activity__measure__plan=plan).only(
            "pk", "activity_id", "round_id", "status", "percent", "state"
        )
    }
    latest: dict[int, ProgressReport] = {}
    for activity in activities:
        for round_ in rounds:
            if (activity.pk, round_.pk) in reports:
                latest[activity.pk] = reports[(activity.pk, round_.pk)]
    measures: dict[int, tuple[str, list[int], int]] = {}
    units: dict[int, tuple[str, list[int], int]] = {}
    overdue, missing = [], []
    for activity in activities:
        report = latest.get(activity.pk)
        percent = report.percent if report else 0
        done = int(report is not None and report.status == Status.DONE)
        m_label, m_values, m_done = measures.get(
            activity.measure_id, (f"{activity.measure.number}. {activity.measure.title_th}", [], 0)
        )
        measures[activity.measure_id] = (m_label, [*m_values, percent], m_done + done)
        for unit in activity.units.all():
            u_label, u_values, u_done = units.get(unit.pk, (str(unit), [], 0))
            units[unit.pk] = (u_label, [*u_values, percent], u_done + done)
        if activity.deadline < today and not (
            report and report.status in (Status.DONE, Status.CANCELLED)
        ):
            overdue.append(
                OverdueActivity(
                    activity.pk,
                    activity.number,
                    activity.title_th,
                    activity.deadline,
                    report.get_status_display() if report else Status.NOT_STARTED.label,
                    percent,
                    _unit(activity.lead_unit),
                )
            )
        for round_ in rounds:
            if round_.opens_on > today:
                continue
            report = reports.get((activity.pk, round_.pk))
            if report and report.state in (State.SUBMITTED, State.APPROVED):
                continue
            missing.append(
                MissingReport(
                    activity.pk,
                    activity.number,
                    activity.title_th,
                    round_.pk,
                    round_.name_th,
                    round_.due_on,
                    report.get_state_display() if report else "",
                    round_.due_on < today,
                    _owners(activity),
                )
            )

    def summaries(groups: dict[int, tuple[str, list[int], int]]) -> list[ProgressSummary]:
        return [
            ProgressSummary(str(key), label, len(values), done, _mean(values))
            for key, (label, values, done) in groups.items()
        ]

    return Dashboard(
        plan,
        summaries(measures),
        sorted(summaries(units), key=lambda s: s.label),
        overdue,
        missing,
    )


# --- For the assessment pages -------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureLink:
    pk: int
    number: int
    title_th: str
    title_en: str
    plan_year: int


def measures_by_question(agency_id: int, version_id: int) -> dict[str, list[MeasureLink]]:
    """Map each question code of a version to the agency's measures addressing it (one query)."""
    links: dict[str, list[MeasureLink]] = defaultdict(list)
    rows = (
        Measure.objects.filter(plan__agency_id=agency_id, questions__version_id=version_id)
        .order_by("-plan__fiscal_year", "number")
        .values_list("questions__code", "pk", "number", "title_th", "title_en", "plan__fiscal_year")
    )
    for code, pk, number, title_th, title_en, year in rows:
        links[code].append(MeasureLink(pk, number, title_th, title_en, year))
    return links

"""A plan's measures, activities and progress, as plain data with a fixed number of queries."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from measures.models import Activity, Evidence, Plan, ProgressReport, Round

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

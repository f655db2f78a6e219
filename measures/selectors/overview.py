"""A plan's measures, activities and official progress, as plain data in a fixed number of queries.

The reports app builds the executive summary on plan_overview() and the progress report on
round_progress(); the plan page and the public page render plan_overview() too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from measures.models import Activity, Plan, ProgressReport, Round
from measures.selectors.progress import (
    Progress,
    counted,
    mean_percent,
    official_progress,
    standings,
)
from measures.selectors.refs import (
    IndicatorRef,
    RoundRef,
    StepRef,
    UnitRef,
    owners,
    round_ref,
    unit_ref,
)


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
    awaiting_review: int
    budget_planned: Decimal | None = None
    budget_spent: Decimal | None = None
    months: list[int] = field(default_factory=list)
    # Read with plan_overview(..., details=True) only: the plan and public pages show them.
    indicators: list[IndicatorRef] = field(default_factory=list)
    people: list[str] = field(default_factory=list)


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

    @property
    def awaiting_review(self) -> int:
        return sum(a.awaiting_review for a in self.activities)


@dataclass(frozen=True)
class PlanOverview:
    plan: Plan
    rounds: list[RoundRef]
    measures: list[MeasureRow]

    @property
    def activity_count(self) -> int:
        return sum(len(m.activities) for m in self.measures)

    @property
    def awaiting_review(self) -> int:
        return sum(m.awaiting_review for m in self.measures)


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
    mean_percent: Decimal  # over every activity, approved reports only
    approved: int  # activities whose report of the round is approved
    awaiting_review: int  # activities whose report of the round awaits review


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


def plan_activities(plan: Plan):
    """Return the plan's activities in order, with measure, lead unit and units."""
    return (
        Activity.objects.filter(measure__plan=plan)
        .select_related("measure", "lead_unit")
        .prefetch_related("units")
        .order_by("measure__number", "number")
    )


def plan_overview(plan: Plan, *, details: bool = False) -> PlanOverview:
    """Return the plan's measures, activities, owners, steps and official progress.

    Queries: rounds, measures, measures' questions, activities (+lead unit), their units,
    steps and questions, counted reports (+evidence): 9 whatever the plan's size; with details,
    also the success indicators and named owners: 11.
    """
    rounds = {r.pk: r for r in plan.rounds.all()}
    measures = list(plan.measures.prefetch_related("questions"))
    activities = plan_activities(plan).prefetch_related("steps", "questions")
    if details:
        activities = activities.prefetch_related("indicators", "owners")
    activities = list(activities)
    reports = counted(ProgressReport.objects.filter(activity__measure__plan=plan))
    standing = standings(reports.prefetch_related("evidence").order_by("round__number"))
    by_measure: dict[int, list[ActivityRow]] = defaultdict(list)
    for activity in activities:
        official = standing.get(activity.pk)
        approved = official.approved if official else None
        by_measure[activity.measure_id].append(
            ActivityRow(
                activity.pk,
                activity.number,
                activity.title_th,
                activity.title_en,
                owners(activity),
                unit_ref(activity.lead_unit),
                activity.deadline,
                activity.cadence,
                activity.get_cadence_display(),
                [StepRef(s.pk, s.order, s.text_th, s.text_en) for s in activity.steps.all()],
                [q.code for q in activity.questions.all()],
                official_progress(approved, rounds[approved.round_id]) if approved else None,
                official.awaiting_review if official else 0,
                activity.budget_planned,
                activity.budget_spent,
                list(activity.months),
                _indicators(activity) if details else [],
                [str(person) for person in activity.owners.all()] if details else [],
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
    return PlanOverview(plan, [round_ref(r) for r in rounds.values()], rows)


def _indicators(activity: Activity) -> list[IndicatorRef]:
    return [
        IndicatorRef(i.order, i.name_th, i.name_en, i.target, i.result)
        for i in activity.indicators.all()
    ]


def round_progress(plan: Plan, round_: Round) -> RoundProgress:
    """Return every activity's official progress in one round, with the round's mean.

    Queries: activities (+measure, lead unit), their units, the round's counted reports,
    their evidence: 4.
    """
    activities = list(plan_activities(plan))
    reports = {
        r.activity_id: r
        for r in counted(ProgressReport.objects.filter(round=round_)).prefetch_related("evidence")
    }
    rows = [
        ActivityProgress(
            a.pk,
            a.number,
            a.title_th,
            a.title_en,
            a.measure.number,
            owners(a),
            unit_ref(a.lead_unit),
            a.deadline,
            official_progress(reports.get(a.pk), round_),
        )
        for a in activities
    ]
    return RoundProgress(
        plan,
        round_ref(round_),
        rows,
        mean_percent([row.progress.percent for row in rows]),
        sum(row.progress.is_approved for row in rows),
        sum(row.progress.is_awaiting_approval for row in rows),
    )

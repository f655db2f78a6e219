"""The dashboard of a plan: official progress by measure and unit, overdue work, missing reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from measures.models import Activity, Plan, ProgressReport
from measures.selectors.overview import plan_activities
from measures.selectors.progress import (
    NO_APPROVED_REPORT,
    NOT_REPORTED,
    Standing,
    mean_percent,
    standings,
)
from measures.selectors.refs import UnitRef, owners, unit_ref
from notifications.owners import assigned_to

State = ProgressReport.State
Status = ProgressReport.Status


@dataclass(frozen=True)
class ProgressSummary:
    key: str
    label: str
    activities: int
    done: int  # approved as done
    mean_percent: Decimal  # approved reports only; an activity without one counts 0 %
    awaiting_review: int


@dataclass(frozen=True)
class OverdueActivity:
    pk: int
    number: str
    title_th: str
    deadline: dt.date
    status_label: str
    percent: int
    awaiting_review: int
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


# The status filter's values: a workflow state, or no report written yet.
NO_REPORT = "none"


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to; None is everything."""

    unit: object | None = None  # accounts.Unit: activities it answers for
    owner: object | None = None  # accounts.User: activities the person answers for
    round: object | None = None  # measures.Round: that round's reports only
    status: str = ""  # a report's workflow state in the rounds shown, or NO_REPORT

    def __bool__(self) -> bool:
        return any((self.unit, self.owner, self.round, self.status))


@dataclass(frozen=True)
class Dashboard:
    plan: Plan
    by_measure: list[ProgressSummary]
    by_unit: list[ProgressSummary]
    overdue: list[OverdueActivity]
    missing: list[MissingReport]
    filters: Filters = field(default_factory=Filters)

    @property
    def awaiting_review(self) -> int:
        return sum(row.awaiting_review for row in self.by_measure)


@dataclass
class _Group:
    label: str
    standings: list[Standing] = field(default_factory=list)

    def summary(self, key: int) -> ProgressSummary:
        return ProgressSummary(
            str(key),
            self.label,
            len(self.standings),
            sum(s.is_done for s in self.standings),
            mean_percent([s.percent for s in self.standings]),
            sum(s.awaiting_review for s in self.standings),
        )


def overdue_activity(
    activity: Activity, standing: Standing, today: dt.date
) -> OverdueActivity | None:
    """Return the activity as overdue when its deadline passed and no approved report ends it."""
    approved = standing.approved
    if activity.deadline >= today or (
        approved is not None and approved.status in (Status.DONE, Status.CANCELLED)
    ):
        return None
    return OverdueActivity(
        activity.pk,
        activity.number,
        activity.title_th,
        activity.deadline,
        approved.get_status_display() if approved else str(NO_APPROVED_REPORT),
        standing.percent,
        standing.awaiting_review,
        unit_ref(activity.lead_unit),
    )


def missing_reports(
    activity: Activity, rounds, by_pair: dict, today: dt.date
) -> list[MissingReport]:
    """List the activity's reports not yet submitted for rounds that have opened."""
    found = []
    for round_ in rounds:
        report = by_pair.get((activity.pk, round_.pk))
        if round_.opens_on > today or (
            report and report.state in (State.SUBMITTED, State.APPROVED)
        ):
            continue
        found.append(
            MissingReport(
                activity.pk,
                activity.number,
                activity.title_th,
                round_.pk,
                round_.name_th,
                round_.due_on,
                report.get_state_display() if report else "",
                round_.due_on < today,
                owners(activity),
            )
        )
    return found


def _has_status(activity: Activity, rounds, by_pair: dict, status: str, today) -> bool:
    """Tell whether the activity's report in one of the opened rounds is in that state."""
    for round_ in rounds:
        if round_.opens_on > today:
            continue
        report = by_pair.get((activity.pk, round_.pk))
        if (report.state if report else NO_REPORT) == status:
            return True
    return False


def dashboard(plan: Plan, today: dt.date, filters: Filters | None = None) -> Dashboard:
    """Summarise a plan's official progress by measure and unit, overdue work, missing reports.

    Each activity's progress is its latest approved report (selectors.progress); narrowed to a
    round, its approved report in that round. Filters narrow every part of the dashboard.
    Queries: rounds, activities (+measure, lead unit), their units, reports: 4.
    """
    filters = filters or Filters()
    rounds = list(plan.rounds.all())
    activities = plan_activities(plan)
    if filters.unit is not None:
        activities = activities.filter(units=filters.unit)
    if filters.owner is not None:
        activities = activities.filter(assigned_to(filters.owner)).distinct()
    reports = ProgressReport.objects.filter(activity__measure__plan=plan)
    if filters.round is not None:
        rounds = [r for r in rounds if r.pk == filters.round.pk]
        reports = reports.filter(round=filters.round)
    reports = list(
        reports.only("pk", "activity_id", "round_id", "status", "percent", "state").order_by(
            "round__number"
        )
    )
    standing = standings(reports)
    by_pair = {(r.activity_id, r.round_id): r for r in reports}
    measures: dict[int, _Group] = {}
    units: dict[int, _Group] = {}
    overdue, missing = [], []
    for activity in activities:
        if filters.status and not _has_status(activity, rounds, by_pair, filters.status, today):
            continue
        official = standing.get(activity.pk, NOT_REPORTED)
        measure = activity.measure
        measures.setdefault(measure.pk, _Group(f"{measure.number}. {measure.title_th}"))
        measures[measure.pk].standings.append(official)
        for unit in activity.units.all():
            units.setdefault(unit.pk, _Group(str(unit))).standings.append(official)
        if late := overdue_activity(activity, official, today):
            overdue.append(late)
        missing += missing_reports(activity, rounds, by_pair, today)
    return Dashboard(
        plan,
        [group.summary(key) for key, group in measures.items()],
        sorted((group.summary(key) for key, group in units.items()), key=lambda s: s.label),
        overdue,
        missing,
        filters,
    )

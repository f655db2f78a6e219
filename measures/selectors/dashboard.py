"""The dashboard of a plan: progress by measure and unit, overdue work, missing reports."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from measures.models import Plan, ProgressReport
from measures.selectors.overview import UnitRef, _activities, _owners, _unit

State = ProgressReport.State
Status = ProgressReport.Status


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

"""Which plans a user finds: the current one, and the other years one click away."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from measures.models import Activity, Plan, ProgressReport, Round

State = ProgressReport.State


def current_plan(plans: list[Plan], today: dt.date) -> Plan | None:
    """Return the plan people work on now: one with a round open today, else the latest published.

    An unpublished plan with no open round (a draft still being built) is never current.
    """
    open_now = set(
        Round.objects.filter(
            plan__in=plans, locked_at=None, opens_on__lte=today, due_on__gte=today
        ).values_list("plan_id", flat=True)
    )
    candidates = [p for p in plans if p.pk in open_now] or [p for p in plans if p.is_published]
    return max(candidates, key=lambda plan: plan.fiscal_year, default=None)


def plan_years(plan: Plan) -> list[Plan]:
    """Return every plan of the plan's agency, newest first, for the year switcher."""
    return list(
        Plan.objects.filter(agency_id=plan.agency_id)
        .select_related("agency")
        .order_by("-fiscal_year")
    )


@dataclass(frozen=True)
class PlanContents:
    """What deleting a plan takes with it, and what keeps it."""

    rounds: int
    measures: int
    activities: int
    drafts: int  # draft reports, deleted with the plan
    submitted: int  # reports ever submitted: while there are any, the plan stays

    @property
    def can_delete(self) -> bool:
        return self.submitted == 0


def plan_contents(plan: Plan) -> PlanContents:
    """Count a plan's rounds, measures, activities and reports (five counts)."""
    reports = ProgressReport.objects.filter(round__plan=plan)
    return PlanContents(
        plan.rounds.count(),
        plan.measures.count(),
        Activity.objects.filter(measure__plan=plan).count(),
        reports.filter(state=State.DRAFT).count(),
        reports.exclude(state=State.DRAFT).count(),
    )

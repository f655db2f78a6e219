"""Everyone's work on the home page: what to write, correct and submit, review, and unblock.

Staff (and anyone named or in an activity's units) see the reports of their activities due in
the open rounds, those returned to them with the reviewer's comment, and their drafts. Managers
and admins see the reports waiting for their review (not those separation of duties keeps them
from approving), overdue activities and missing reports; admins also see what is blocked:
rounds closing with reports missing, and what other apps register (notifications.blocked).
A round is open from its opening day until it is locked. The number of queries does not grow
with the number of activities or reports.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from ita_portal.templatetags.thai import thai_date
from measures.models import Activity, ProgressReport, Round
from measures.selectors.dashboard import (
    MissingReport,
    OverdueActivity,
    missing_reports,
    overdue_activity,
)
from measures.selectors.progress import NOT_REPORTED, counted, standings
from measures.templatetags.measures import local
from notifications.blocked import Blocked, blocked_elsewhere
from notifications.owners import assigned_to

State = ProgressReport.State
# How close to its due date a round with reports missing counts as closing.
CLOSING_DAYS = 7


@dataclass(frozen=True)
class WorkRow:
    """One report someone must act on: write, correct, submit or review."""

    activity_pk: int
    number: str
    title_th: str
    title_en: str
    round_pk: int
    round_name_th: str
    round_name_en: str
    due_on: dt.date
    is_past_due: bool
    state: str  # "" while no report is written
    comment: str  # the reviewer's, on a returned report
    person: str  # who returned it, or who submitted it for review

    @property
    def url(self) -> str:
        return reverse("measures:report", args=[self.activity_pk, self.round_pk])


@dataclass(frozen=True)
class Inbox:
    due: list[WorkRow] = field(default_factory=list)
    returned: list[WorkRow] = field(default_factory=list)
    drafts: list[WorkRow] = field(default_factory=list)
    to_review: list[WorkRow] = field(default_factory=list)
    overdue: list[OverdueActivity] = field(default_factory=list)
    missing: list[MissingReport] = field(default_factory=list)
    blocked: list[Blocked] = field(default_factory=list)
    is_reviewer: bool = False
    is_admin: bool = False
    year: int | None = None  # the latest fiscal year with an open round: its dashboard lists all

    @property
    def to_do(self) -> int:
        """Count what waits for the user's own action (the navigation's number)."""
        return len(self.due) + len(self.returned) + len(self.drafts) + len(self.to_review)


def open_rounds(user: User, today: dt.date) -> list[Round]:
    """Return the rounds of the user's agency open for reports today (opened, not locked)."""
    if user.agency_id is None:
        return []
    return list(
        Round.objects.filter(plan__agency_id=user.agency_id, locked_at=None, opens_on__lte=today)
        .select_related("plan__agency")
        .order_by("due_on", "pk")
    )


def _row(activity: Activity, round_: Round, today: dt.date, report=None, person="") -> WorkRow:
    return WorkRow(
        activity.pk,
        activity.number,
        activity.title_th,
        activity.title_en,
        round_.pk,
        round_.name_th,
        round_.name_en,
        round_.due_on,
        round_.due_on < today,
        report.state if report else "",
        report.review_comment if report and report.state == State.RETURNED else "",
        person,
    )


def _own_work(user: User, rounds: list[Round], today: dt.date) -> dict[str, list[WorkRow]]:
    """Sort the user's reports of the open rounds into due, returned and drafts (2 queries)."""
    found: dict[str, list[WorkRow]] = {"due": [], "returned": [], "drafts": []}
    activities = list(
        Activity.objects.filter(measure__plan__in={r.plan_id for r in rounds})
        .filter(assigned_to(user))
        .distinct()
        .select_related("measure")
        .order_by("measure__plan_id", "measure__number", "number")
    )
    if not activities:
        return found
    reports = {
        (r.activity_id, r.round_id): r
        for r in ProgressReport.objects.filter(round__in=rounds, activity__in=activities)
        .select_related("reviewed_by")
        .only("activity_id", "round_id", "state", "review_comment", "reviewed_by")
    }
    by_plan = defaultdict(list)
    for round_ in rounds:
        by_plan[round_.plan_id].append(round_)
    for activity in activities:
        for round_ in by_plan[activity.measure.plan_id]:
            report = reports.get((activity.pk, round_.pk))
            if report is None:
                found["due"].append(_row(activity, round_, today))
            elif report.state == State.RETURNED:
                reviewer = str(report.reviewed_by or "")
                found["returned"].append(_row(activity, round_, today, report, reviewer))
            elif report.state == State.DRAFT:
                found["drafts"].append(_row(activity, round_, today, report))
    return found


def _to_review(user: User, rounds: list[Round], today: dt.date) -> list[WorkRow]:
    """Return the submitted reports of the open rounds the user may approve (1 query)."""
    by_pk = {round_.pk: round_ for round_ in rounds}
    reports = (
        ProgressReport.objects.filter(round__in=rounds, state=State.SUBMITTED)
        .approvable_by(user)
        .select_related("activity", "submitted_by")
        .order_by("submitted_at", "pk")
    )
    return [
        _row(r.activity, by_pk[r.round_id], today, r, str(r.submitted_by or "")) for r in reports
    ]


def _plans_watch(rounds: list[Round], today: dt.date):
    """Return the overdue activities and missing reports of the open rounds' plans (3 queries)."""
    plan_ids = {round_.plan_id for round_ in rounds}
    activities = (
        Activity.objects.filter(measure__plan__in=plan_ids)
        .select_related("measure", "lead_unit")
        .prefetch_related("units")
        .order_by("measure__plan_id", "measure__number", "number")
    )
    reports = list(
        counted(ProgressReport.objects.filter(activity__measure__plan__in=plan_ids))
        .only("pk", "activity_id", "round_id", "status", "percent", "state")
        .order_by("round__number")
    )
    standing = standings(reports)
    by_pair = {(r.activity_id, r.round_id): r for r in reports}
    by_plan = defaultdict(list)
    for round_ in rounds:
        by_plan[round_.plan_id].append(round_)
    overdue, missing = [], []
    for activity in activities:
        if late := overdue_activity(activity, standing.get(activity.pk, NOT_REPORTED), today):
            overdue.append(late)
        missing += missing_reports(activity, by_plan[activity.measure.plan_id], by_pair, today)
    return overdue, missing


def _rounds_closing(rounds: list[Round], missing: list[MissingReport], today) -> list[Blocked]:
    """Return the rounds due within a week, or past due, that still miss reports."""
    counts: dict[int, int] = defaultdict(int)
    for row in missing:
        counts[row.round_pk] += 1
    closing = today + dt.timedelta(days=CLOSING_DAYS)
    return [
        Blocked(
            _("%(round)s of the %(year)s plan: %(count)s reports missing")
            % {"round": local(round_, "name"), "year": round_.plan.fiscal_year, "count": counts[r]},
            _("Due on %(day)s") % {"day": thai_date(round_.due_on)},
            reverse("measures:dashboard", args=[round_.plan.fiscal_year]) + f"?round={r}",
            counts[r],
        )
        for round_ in rounds
        if (r := round_.pk) in counts and round_.due_on <= closing
    ]


def inbox(user: User, today: dt.date) -> Inbox:
    """Gather the user's work for the home page.

    Queries: open rounds (+plan, agency); the user's activities, their reports (2, none without
    an activity); for reviewers the reports to review (1) and the plans' activities, units and
    counted reports (3); whatever other apps' blocked sources ask for admins.
    """
    rounds = open_rounds(user, today)
    own = _own_work(user, rounds, today) if rounds else {}
    year = max((round_.plan.fiscal_year for round_ in rounds), default=None)
    if not user.has_role(Role.MANAGER, Role.ADMIN):
        return Inbox(**own, year=year)
    overdue, missing = _plans_watch(rounds, today) if rounds else ([], [])
    is_admin = user.is_portal_admin
    blocked = _rounds_closing(rounds, missing, today) if is_admin else []
    if is_admin:
        blocked += blocked_elsewhere(user, today)
    return Inbox(
        **own,
        to_review=_to_review(user, rounds, today) if rounds else [],
        overdue=overdue,
        missing=missing,
        blocked=blocked,
        is_reviewer=True,
        is_admin=is_admin,
        year=year,
    )


def work_count(user: User, today: dt.date) -> int:
    """Count what waits for the user's own action, for the navigation (at most 4 queries)."""
    rounds = open_rounds(user, today)
    if not rounds:
        return 0
    count = sum(len(rows) for rows in _own_work(user, rounds, today).values())
    if user.has_role(Role.MANAGER, Role.ADMIN):
        waiting = ProgressReport.objects.filter(round__in=rounds, state=State.SUBMITTED)
        count += waiting.approvable_by(user).count()
    return count

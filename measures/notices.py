"""What the measures workflow tells people, and whom (through the notifications app).

A submitted report is told to the agency's reviewers who may approve it; a returned or approved
one to the people responsible for the activity (its named owners, else its units' members) and
to whoever submitted it; people named owners are told so; a round's opening and closing are told
to everyone responsible for an activity of the plan. Nobody is told of their own action.
"""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from measures.models import Activity, ProgressReport, Round
from notifications.models import Notification
from notifications.owners import responsible_people
from notifications.services import notify

Kind = Notification.Kind


def reviewers(agency) -> list[User]:
    """Return the agency's active managers and admins."""
    return list(
        User.objects.filter(
            agency=agency, is_active=True, groups__name__in=[Role.MANAGER, Role.ADMIN]
        ).distinct()
    )


def people_of(activity: Activity) -> list[User]:
    """Return who answers for an activity: its named owners, else its units' members."""
    activity = Activity.objects.prefetch_related("owners", "units__members").get(pk=activity.pk)
    return responsible_people(activity.owners.all(), activity.units.all())


def _report_params(report: ProgressReport, actor: User) -> dict:
    activity, round_ = report.activity, report.round
    return {
        "actor": str(actor),
        "activity": activity.number,
        "title_th": activity.title_th,
        "title_en": activity.title_en,
        "round_th": round_.name_th,
        "round_en": round_.name_en,
    }


def _report_link(report: ProgressReport) -> str:
    return reverse("measures:report", args=[report.activity_id, report.round_id])


def report_submitted(report: ProgressReport, actor: User) -> None:
    """Tell the reviewers who may approve the report that it waits for them."""
    refused = set() if report.round.plan.agency.allow_self_approval else report.author_ids()
    notify(
        recipients=[u for u in reviewers(report.round.plan.agency) if u.pk not in refused],
        kind=Kind.SUBMITTED,
        params=_report_params(report, actor),
        link=_report_link(report),
        actor=actor,
    )


def report_reviewed(report: ProgressReport, actor: User) -> None:
    """Tell the activity's people and the report's submitter that it was approved or returned."""
    approved = report.state == ProgressReport.State.APPROVED
    people = people_of(report.activity)
    if report.submitted_by is not None:
        people.append(report.submitted_by)
    params = _report_params(report, actor)
    if not approved:
        params["comment"] = report.review_comment
    notify(
        recipients=people,
        kind=Kind.APPROVED if approved else Kind.RETURNED,
        params=params,
        link=_report_link(report),
        actor=actor,
    )


def owners_named(activity: Activity, people: list[User], actor: User) -> None:
    """Tell people they were named owners of an activity."""
    notify(
        recipients=people,
        kind=Kind.ASSIGNED,
        params={
            "actor": str(actor),
            "activity": activity.number,
            "title_th": activity.title_th,
            "title_en": activity.title_en,
        },
        link=reverse("measures:activity", args=[activity.pk]),
        actor=actor,
    )


def _plan_people(round_: Round) -> list[User]:
    activities = Activity.objects.filter(measure__plan_id=round_.plan_id).prefetch_related(
        "owners", "units__members"
    )
    people = {
        user.pk: user
        for activity in activities
        for user in responsible_people(activity.owners.all(), activity.units.all())
    }
    return list(people.values())


def _round_params(round_: Round) -> dict:
    plan = round_.plan
    return {
        "round_th": round_.name_th,
        "round_en": round_.name_en,
        "year": plan.fiscal_year,
        "due": round_.due_on.isoformat(),
        "title_th": plan.title_th,
        "title_en": plan.title_en,
    }


def _plan_link(round_: Round) -> str:
    # The people told belong to the plan's agency, whose plan pages need no ?agency=.
    return reverse("measures:plan", args=[round_.plan.fiscal_year])


def round_opened(round_: Round) -> int:
    """Tell everyone responsible for the plan's activities that the round is open, once."""
    told = notify(
        recipients=_plan_people(round_),
        kind=Kind.ROUND_OPENED,
        params=_round_params(round_),
        link=_plan_link(round_),
        key=f"round-opened:{round_.pk}",
    )
    return len(told)


def round_closed(round_: Round, actor: User) -> None:
    """Tell everyone responsible for the plan's activities that the round's reports are final."""
    notify(
        recipients=_plan_people(round_),
        kind=Kind.ROUND_CLOSED,
        params=_round_params(round_),
        link=_plan_link(round_),
        actor=actor,
    )

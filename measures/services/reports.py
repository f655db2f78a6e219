"""The progress report's workflow: save, submit, review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from measures.models import Activity, ProgressReport, Round, Step
from measures.services.common import (
    _refuse_locked,
    _refuse_not_open,
    user_can_edit_report,
    user_can_review,
)


class EditConflict(Exception):
    """Another user saved the report since this user's form was loaded."""

    def __init__(self, current: ProgressReport | None) -> None:
        super().__init__("edit conflict")
        self.current = current


# --- progress reports ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportInput:
    status: str
    percent: int
    steps_done: list[Step]
    results: str
    obstacles: str
    next_steps: str


def _load_for_update(report_id: int) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update()
        .select_related("round", "activity__measure__plan__agency")
        .get(pk=report_id)
    )


@transaction.atomic
def report_save(
    *,
    activity: Activity,
    round_: Round,
    user: User,
    version: int,
    data: ReportInput,
    today: dt.date | None = None,
) -> ProgressReport:
    """Save a report's content if nobody saved it since `version`; raise EditConflict if so."""
    today = today or timezone.localdate()
    if round_.plan_id != activity.measure.plan_id:
        raise ValidationError(_("The round belongs to another plan."), code="round_plan")
    if not user_can_edit_report(user, activity, {u.pk for u in activity.units.all()}):
        raise PermissionDenied
    _refuse_not_open(round_, today)
    if any(step.activity_id != activity.pk for step in data.steps_done):
        raise ValidationError(_("A step belongs to another activity."), code="step_activity")
    existing = ProgressReport.objects.filter(activity=activity, round=round_).first()
    if existing is None:
        if version != 0:
            raise EditConflict(None)
        report = ProgressReport(activity=activity, round=round_)
    else:
        report = _load_for_update(existing.pk)
        if report.version != version:
            raise EditConflict(report)
        report.version += 1
    if not report.is_editable_state:
        raise ValidationError(
            _("A submitted or approved report cannot be changed."), code="report_state"
        )
    report.status = data.status
    report.percent = data.percent
    report.results = data.results
    report.obstacles = data.obstacles
    report.next_steps = data.next_steps
    report.full_clean()
    report._history_user = user
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Someone created the same (activity, round) report between our check and insert.
        raise EditConflict(ProgressReport.objects.get(activity=activity, round=round_)) from None
    report.steps_done.set(data.steps_done)
    return report


def _transition(
    report: ProgressReport, user: User, version: int, allowed: tuple[str, ...]
) -> ProgressReport:
    locked = _load_for_update(report.pk)
    _refuse_locked(locked.round)
    if locked.version != version:
        raise EditConflict(locked)
    if locked.state not in allowed:
        raise ValidationError(
            _("This action is not possible in the report's current state."), code="report_state"
        )
    locked.version += 1
    locked._history_user = user
    return locked


@transaction.atomic
def report_submit(*, report: ProgressReport, user: User, version: int) -> ProgressReport:
    """Send a draft or returned report to the managers for review."""
    activity = report.activity
    if not user_can_edit_report(user, activity, {u.pk for u in activity.units.all()}):
        raise PermissionDenied
    report = _transition(
        report, user, version, (ProgressReport.State.DRAFT, ProgressReport.State.RETURNED)
    )
    report.state = ProgressReport.State.SUBMITTED
    report.submitted_by = user
    report.submitted_at = timezone.now()
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_review(
    *, report: ProgressReport, user: User, version: int, approve: bool, comment: str
) -> ProgressReport:
    """Approve a submitted report, or return it to its units with a comment."""
    if not user_can_review(user, report.round.plan):
        raise PermissionDenied
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError(
            {
                "comment": ValidationError(
                    _("Say what must be corrected when returning a report."),
                    code="comment_required",
                )
            }
        )
    report = _transition(report, user, version, (ProgressReport.State.SUBMITTED,))
    report.state = ProgressReport.State.APPROVED if approve else ProgressReport.State.RETURNED
    report.review_comment = comment
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.full_clean()
    report.save()
    return report

"""The progress report's workflow: save, submit, review; one transaction and row locks each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, User
from measures import notices
from measures.models import Activity, ProgressReport, Round
from measures.services.common import lock_report, lock_round, save


class EditConflict(Exception):
    """Another user saved the report since this user's form was loaded."""

    def __init__(self, current: ProgressReport | None) -> None:
        super().__init__("edit conflict")
        self.current = current


def _check_version(report: ProgressReport, version: int) -> None:
    if report.version != version:
        raise EditConflict(report)


def _write(report: ProgressReport, user: User) -> ProgressReport:
    """Save a changed report: one version further, validated, with its history user."""
    report.version += 1
    return save(report, user)


@transaction.atomic
def report_save(
    *,
    activity: Activity,
    round_: Round,
    user: User,
    version: int,
    data: Mapping[str, Any],
    today: dt.date | None = None,
) -> ProgressReport:
    """Save a report's content if nobody saved it since `version`; raise EditConflict if so.

    `data` holds ProgressReport.CONTENT_FIELDS and steps_done (the form's cleaned data).
    """
    if round_.plan_id != activity.measure.plan_id:
        raise ValidationError(_("The round belongs to another plan."), code="round_plan")
    round_ = lock_round(round_.pk)
    round_.check_open(today or timezone.localdate())
    steps = list(data["steps_done"])
    if any(step.activity_id != activity.pk for step in steps):
        raise ValidationError(_("A step belongs to another activity."), code="step_activity")
    existing = ProgressReport.objects.filter(activity=activity, round=round_).first()
    if existing is None:
        if version != 0:
            raise EditConflict(None)
        report = ProgressReport(activity=activity, round=round_, version=0)
    else:
        report = lock_report(existing.pk)
        _check_version(report, version)
    report.check_editable()
    for name in ProgressReport.CONTENT_FIELDS:
        setattr(report, name, data[name])
    report._change_reason = ProgressReport.Change.SAVED
    try:
        with transaction.atomic():
            _write(report, user)
    except IntegrityError:
        # Someone created the same (activity, round) report between our check and insert.
        raise EditConflict(ProgressReport.objects.get(activity=activity, round=round_)) from None
    report.steps_done.set(steps)
    return report


@transaction.atomic
def report_submit(*, report: ProgressReport, user: User, version: int) -> ProgressReport:
    """Send a draft or returned report to the reviewers, telling those who may approve it."""
    lock_round(report.round_id).check_unlocked()
    report = lock_report(report.pk)
    _check_version(report, version)
    report.submit(user=user, at=timezone.now())
    _write(report, user)
    notices.report_submitted(report, user)
    return report


@transaction.atomic
def report_save_and_submit(
    *,
    activity: Activity,
    round_: Round,
    user: User,
    version: int,
    data: Mapping[str, Any],
    today: dt.date | None = None,
) -> ProgressReport:
    """Save a report's content and submit it, all or nothing."""
    saved = report_save(
        activity=activity, round_=round_, user=user, version=version, data=data, today=today
    )
    return report_submit(report=saved, user=user, version=saved.version)


@transaction.atomic
def report_review(
    *, report: ProgressReport, user: User, version: int, approve: bool, comment: str
) -> ProgressReport:
    """Approve a submitted report, or return it with a comment; tell its people either way."""
    lock_round(report.round_id).check_unlocked()
    report = lock_report(report.pk)
    _check_version(report, version)
    report.review(user=user, approve=approve, comment=comment, at=timezone.now())
    _write(report, user)
    notices.report_reviewed(report, user)
    return report


@transaction.atomic
def agency_set_self_approval(*, agency: Agency, allow: bool) -> Agency:
    """Let the agency's reviewers approve reports they wrote or submitted, or forbid it."""
    agency.allow_self_approval = allow
    agency.full_clean()
    agency.save(update_fields=["allow_self_approval"])
    return agency

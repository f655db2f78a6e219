"""Evidence files and links of a progress report."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from measures.models import Evidence, ProgressReport
from measures.services.common import _refuse_locked, user_can_edit_report
from measures.uploads import check_evidence_file

# --- evidence --------------------------------------------------------------------------------


def _check_evidence_editable(report: ProgressReport, user: User) -> None:
    activity = report.activity
    if not user_can_edit_report(user, activity, {u.pk for u in activity.units.all()}):
        raise PermissionDenied
    _refuse_locked(report.round)
    if not report.is_editable_state:
        raise ValidationError(
            _("A submitted or approved report cannot be changed."), code="report_state"
        )


@transaction.atomic
def evidence_add(*, report: ProgressReport, user: User, file=None, url: str = "") -> Evidence:
    """Attach an evidence file (checked by content) or a link to a report."""
    _check_evidence_editable(report, user)
    evidence = Evidence(report=report, uploaded_by=user)
    if file is not None:
        evidence.content_type, _extension = check_evidence_file(file)
        evidence.original_name = file.name
        evidence.size = file.size
        evidence.file = file
    elif url:
        evidence.url = url
    else:
        raise ValidationError(_("Choose a file or give a link."), code="evidence_empty")
    evidence.full_clean()
    evidence._history_user = user
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user: User) -> None:
    """Remove an evidence file or link from a report that can still be changed."""
    _check_evidence_editable(evidence.report, user)
    stored = evidence.file.name if evidence.file else ""
    storage = evidence.file.storage if evidence.file else None
    evidence._history_user = user
    evidence.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))

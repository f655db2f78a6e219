"""Evidence files and links of a progress report."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from measures.models import Evidence, ProgressReport, limits
from measures.services.common import lock_report, lock_round, save
from measures.uploads import check_evidence_file


def _lock_editable(report: ProgressReport) -> ProgressReport:
    lock_round(report.round_id).check_unlocked()
    report = lock_report(report.pk)
    report.check_editable()
    return report


@transaction.atomic
def evidence_add(*, report: ProgressReport, user: User, file=None, url: str = "") -> Evidence:
    """Attach an evidence file (checked by content) or a link to a report."""
    report = _lock_editable(report)
    if report.evidence.count() >= limits.EVIDENCE_PER_REPORT:
        raise ValidationError(
            _("A report can have at most %(limit)s evidence files and links.")
            % {"limit": limits.EVIDENCE_PER_REPORT},
            code="evidence_limit",
        )
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
    return save(evidence, user)


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user: User) -> None:
    """Remove an evidence file or link from a report that can still be changed."""
    _lock_editable(evidence.report)
    stored = evidence.file.name if evidence.file else ""
    storage = evidence.file.storage if evidence.file else None
    evidence._history_user = user
    evidence.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))

"""Evidence files and links of a progress report, and evidence of earlier rounds reused."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
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


def _check_room(report: ProgressReport) -> None:
    if report.evidence.count() >= limits.EVIDENCE_PER_REPORT:
        raise ValidationError(
            _("A report can have at most %(limit)s evidence files and links.")
            % {"limit": limits.EVIDENCE_PER_REPORT},
            code="evidence_limit",
        )


@transaction.atomic
def evidence_add(
    *,
    report: ProgressReport,
    user: User,
    file=None,
    url: str = "",
    effective_on: dt.date | None = None,
) -> Evidence:
    """Attach an evidence file (checked by content) or a link to a report, with its date."""
    report = _lock_editable(report)
    _check_room(report)
    evidence = Evidence(report=report, uploaded_by=user, effective_on=effective_on)
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
def evidence_reuse(*, report: ProgressReport, source: Evidence, user: User) -> Evidence:
    """Attach an earlier round's evidence of the same activity to a report, without a copy.

    The new evidence points at the same stored file (or link) and keeps the date it proves.
    """
    report = _lock_editable(report)
    earlier = source.report
    if earlier.activity_id != report.activity_id or earlier.round.number >= report.round.number:
        raise ValidationError(
            _("Only evidence of an earlier round of the same activity can be attached again."),
            code="evidence_not_earlier",
        )
    same = Q(reused_from=source)
    if source.file:
        same |= Q(file=source.file.name)
    else:
        same |= Q(url=source.url)
    if report.evidence.filter(same).exists():
        raise ValidationError(
            _("This evidence is attached to the report already."), code="evidence_attached"
        )
    _check_room(report)
    evidence = Evidence(
        report=report,
        file=source.file.name,
        original_name=source.original_name,
        content_type=source.content_type,
        size=source.size,
        url=source.url,
        uploaded_by=user,
        effective_on=source.effective_on,
        reused_from=source,
    )
    return save(evidence, user)


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user: User) -> None:
    """Remove an evidence file or link from a report that can still be changed.

    The stored file goes after commit too, unless another report's evidence still uses it
    (ita_portal/files.py).
    """
    _lock_editable(evidence.report)
    evidence._history_user = user
    evidence.delete()

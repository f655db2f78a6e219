"""Score import services: preview and commit a workbook, roll a batch back, export, template.

`scores_import` streams a workbook (imports/workbook.py) a chunk of rows at a time, checks
each chunk against the database with cached lookups, marks each row new, changed (old → new),
unchanged, skipped or an error, and, unless it is a dry run or anything is wrong, writes every
change in one transaction with bulk queries, each stored row pointing at its `ImportBatch`, sheet
and row. The audit trail (django-simple-history) receives one historical record per written row,
copied in the database from the rows just written, so `batch_rollback` can restore what a batch
replaced.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from accounts.models import Agency, User
from assessments.models import (
    Assessment,
    IndicatorScore,
    InstrumentScore,
    ItemAnswer,
    QuestionScore,
    SubIndicatorScore,
)
from assessments.standings import results_forget_batch
from imports.lookups import CHUNK, PROVENANCE, RESULT_FIELDS, SCORE_MODELS, chunks
from imports.models import ImportBatch
from imports.planner import Checked, Planner
from imports.problems import MAX_PROBLEMS, Problem, WorkbookRefused
from imports.report import ImportReport, RowReport
from imports.workbook import WorkbookReader
from imports.writer import Written, batch_reason, write_plan
from ita_portal.generations import bump_batch

logger = logging.getLogger(__name__)


def file_sha256(file: IO[bytes]) -> tuple[str, int]:
    """Return a file's SHA-256 (hex) and size, reading it a megabyte at a time."""
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    for block in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(block)
        size += len(block)
    file.seek(0)
    return digest.hexdigest(), size


def import_scope(user: User | None) -> str | None:
    """Return the agency code whose rows a user may import; None for any (stewards, the shell)."""
    if user is None or user.is_steward:
        return None
    return user.agency.code if user.agency_id else ""


def scores_import(
    *,
    file: IO[bytes],
    user: User | None,
    dry_run: bool,
    file_name: str | None = None,
    on_row: Callable[[RowReport], None] | None = None,
    as_steward: bool = False,
    on_progress: Written | None = None,
) -> ImportReport:
    """Check a score workbook row by row and, unless dry_run or refused, commit it all at once.

    The rows a user may write are their agency's (any for a steward); as_steward lifts that for
    the shell, which is trusted (the user is then only recorded as the importer).
    """
    name = Path(file_name or getattr(file, "name", "") or "upload.xlsx").name
    sha256, size = file_sha256(file)
    report = ImportReport(file_name=name, sha256=sha256, dry_run=dry_run)
    batches = ImportBatch.objects if user is None else ImportBatch.objects.for_user(user)
    report.earlier_batches = list(
        batches.filter(sha256=sha256, status=ImportBatch.Status.COMMITTED)
    )
    try:
        with WorkbookReader(file, file_name=name, size=size) as reader:
            scope = None if as_steward else import_scope(user)
            planner = Planner(reader, report, on_row, scope=scope)
            plan = planner.run()
            reader.finish()
    except WorkbookRefused as refused:
        # A file refused as a whole shows only why, not the rows read before.
        report.problems = refused.problems
        report.rows, report.counts, report.sheet_counts = [], Counter(), defaultdict(Counter)
        return report
    report.row_count = reader.row_count
    report.problems = reader.problems[:]
    report.problems += planner.problems[: max(0, MAX_PROBLEMS - len(report.problems))]
    if report.problems or not report.changes:
        return report
    report.checked = Checked(plan, planner.lookups.resolved(), planner.codes)
    if not dry_run:
        checked_store(report=report, user=user, on_progress=on_progress)
    return report


def checked_store(
    *, report: ImportReport, user: User | None, on_progress: Written | None = None
) -> None:
    """Write a checked file's plan in one transaction; if that fails, store nothing, say why.

    on_progress(done, total) hears the rows written so far (imports.writer.write_plan).
    """
    checked = report.checked
    try:
        with transaction.atomic():
            report.batch = write_plan(
                checked.plan, checked.resolved, report, user, checked.codes, on_progress
            )
    except (IntegrityError, ValidationError):
        logger.warning("import of %s failed at commit", report.file_name, exc_info=True)
        report.problems = [
            Problem(
                "changed_meanwhile",
                _(
                    "the portal's data changed while the file was being imported, or a value is "
                    "not allowed; nothing was stored. Preview the file again."
                ),
                file=report.file_name,
            )
        ]


@transaction.atomic
def batch_rollback(*, batch: ImportBatch, user: User | None) -> dict[str, int]:
    """Undo a committed batch: restore what it replaced and remove what it created."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.COMMITTED:
        raise ValidationError(_("This import has already been rolled back."), code="rolled_back")
    results_forget_batch(batch.pk)  # while the batch's rows still point at it
    bump_batch(batch.pk)
    reason = batch_reason(batch)
    now = timezone.now()
    history = {
        "default_user": user,
        "default_change_reason": f"rollback of {reason}",
        "default_date": now,
    }
    counts: dict[str, int] = {}
    for model, (target, fields) in SCORE_MODELS.items():
        counts[model._meta.model_name] = _rollback_model(
            model, batch, reason, [target, *fields], history
        )
    counts["assessment"] = _rollback_model(Assessment, batch, reason, list(RESULT_FIELDS), history)
    removable = (
        Agency.objects.filter(pk__in=batch.summary.get("created_agencies", []))
        .filter(assessments__isnull=True, users__isnull=True, units__isnull=True)
        .distinct()
    )
    counts["agency"] = removable.count()
    removable.delete()
    batch.status = ImportBatch.Status.ROLLED_BACK
    batch.rolled_back_at = now
    batch.rolled_back_by = user
    batch.full_clean()
    batch.save()
    return counts


def _rollback_model(
    model: type[models.Model],
    batch: ImportBatch,
    reason: str,
    fields: list[str],
    history: dict[str, Any],
) -> int:
    historical = model.history.model
    ids = sorted(
        set(historical.objects.filter(history_change_reason=reason).values_list("id", flat=True))
    )
    restore: list[models.Model] = []
    delete: list[int] = []
    attnames = [model._meta.get_field(name).attname for name in [*fields, *PROVENANCE]]
    for chunk in chunks(ids, 900):
        current = model.objects.in_bulk(chunk)
        before: dict[int, Any] = {}
        left: dict[int, Any] = {}
        for record in historical.objects.filter(id__in=chunk).order_by("id", "history_id"):
            if record.history_change_reason == reason:
                left[record.id] = record
            elif record.id not in left:
                before[record.id] = record
        # Only what the batch left may be undone: a later import or edit would be lost silently.
        changed = [
            pk
            for pk in chunk
            if pk not in current
            or any(getattr(current[pk], name) != getattr(left[pk], name) for name in attnames)
        ]
        if changed:
            raise ValidationError(
                _(
                    "%(count)s of the rows this import wrote were changed or removed later; undo "
                    "those changes (or roll back the later import) first."
                ),
                code="changed_later",
                params={"count": len(changed)},
            )
        for pk in chunk:
            previous = before.get(pk)
            if previous is None or previous.history_type == "-":
                delete.append(pk)
                continue
            obj = current[pk]
            for attname in attnames:
                setattr(obj, attname, getattr(previous, attname))
            restore.append(obj)
    for chunk in chunks(restore, CHUNK):
        bulk_update_with_history(chunk, model, [*fields, *PROVENANCE], batch_size=CHUNK, **history)
    if delete and model is Assessment:
        _refuse_if_used(delete)
    for chunk in chunks(delete, 900):
        for obj in model.objects.filter(pk__in=chunk):
            # Deleting one by one lets the audit trail record each removal with the reason.
            obj._change_reason = history["default_change_reason"]
            obj._history_user = history["default_user"]
            obj.delete()
    return len(ids)


def _refuse_if_used(assessment_ids: list[int]) -> None:
    for model in SCORE_MODELS:
        if model.objects.filter(assessment_id__in=assessment_ids).exists():
            raise ValidationError(
                _(
                    "Later imports or edits added scores to assessments this import created; "
                    "roll those back first."
                ),
                code="assessment_in_use",
            )


def batch_written(*, batch: ImportBatch, limit: int = 300) -> dict[str, Any]:
    """Return the rows that still point at a batch: counts, and the first few of each kind."""
    kinds = {
        "assessments": Assessment.objects.select_related("agency"),
        "indicator_scores": IndicatorScore.objects.select_related(
            "assessment__agency", "indicator"
        ),
        "sub_indicator_scores": SubIndicatorScore.objects.select_related(
            "assessment__agency", "sub_indicator"
        ),
        "instrument_scores": InstrumentScore.objects.select_related(
            "assessment__agency", "instrument"
        ),
        "question_scores": QuestionScore.objects.select_related("assessment__agency", "question"),
        "item_answers": ItemAnswer.objects.select_related("assessment__agency", "question"),
    }
    written: dict[str, Any] = {}
    for name, queryset in kinds.items():
        queryset = queryset.filter(batch=batch).order_by("source_row", "pk")
        written[name] = {"count": queryset.count(), "rows": list(queryset[:limit])}
    return written

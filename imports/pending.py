"""Uploaded workbooks waiting between their preview and their confirmation.

The upload is checked once (a dry run) and its per-row result stored in the database in pages,
all rows and each status apart, so the preview filters and pages every row of a national file
without reading it again. A user has one upload waiting at a time, and none waits longer than a
day. Confirming moves the upload from checked to confirming in one UPDATE: of two confirmations
at once (a double click, two tabs), one stores the file and the other is told so. It writes the
plan the check made (imports/plans.py) unless the data it was checked against has changed since,
when the file is checked again.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from imports.models import PendingImport, PendingPage
from imports.plans import data_stamp, plan_load, plan_save
from imports.report import STATUSES, ImportReport, RowReport
from imports.services import checked_store, file_sha256, scores_import
from imports.writer import Written

PENDING_MAX_AGE = timedelta(days=1)
# Rows on a page of the preview, and in each stored page of the dry run's result.
PAGE_ROWS = 100
# Stored pages are written this many at a time while the file is checked.
PAGES_PER_WRITE = 200
# A background check tells its progress every this many rows (about a second of checking).
PROGRESS_ROWS = 5000


def pending_path(sha256: str) -> Path:
    """Return where an uploaded workbook waits between preview and confirmation."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError("not a SHA-256 digest")
    return Path(settings.MEDIA_ROOT) / "imports" / f"{sha256}.xlsx"


def plan_path(pending: PendingImport) -> Path:
    """Return where the checked plan of a waiting upload is kept (imports/plans.py)."""
    return pending_path(pending.sha256).with_name(f"{pending.sha256}-{pending.pk}.plan.json.gz")


def _store_file(file: IO[bytes], sha256: str) -> None:
    path = pending_path(sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    file.seek(0)
    with temporary.open("wb") as target:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            target.write(block)
    temporary.replace(path)


def _discard_file(sha256: str) -> None:
    # Two users may wait with the same file: it goes when neither needs it any more.
    if not PendingImport.objects.filter(
        sha256=sha256, status=PendingImport.Status.CHECKED
    ).exists():
        pending_path(sha256).unlink(missing_ok=True)


def _sweep(user: User) -> None:
    cutoff = timezone.now() - PENDING_MAX_AGE
    stale = PendingImport.objects.filter(created_at__lt=cutoff) | PendingImport.objects.filter(
        uploaded_by=user
    )
    digests = set(stale.values_list("sha256", flat=True))
    for pending in stale:
        plan_path(pending).unlink(missing_ok=True)
    stale.delete()
    for sha256 in digests:
        _discard_file(sha256)
    folder = pending_path("0" * 64).parent
    if folder.is_dir():
        for orphan in [*folder.glob("*.xlsx"), *folder.glob("*.plan.json.gz")]:
            try:
                stale_file = orphan.stat().st_mtime < cutoff.timestamp()
            except FileNotFoundError:
                continue  # another worker's sweep or confirm removed it meanwhile
            if stale_file:
                orphan.unlink(missing_ok=True)


class _PageWriter:
    """Gather the dry run's rows into pages (all rows, and each status), written as they fill."""

    def __init__(
        self, pending: PendingImport, on_progress: Callable[[int], None] | None = None
    ) -> None:
        self.pending = pending
        self.on_progress = on_progress
        self.rows = 0
        self.buffers: defaultdict[str, list[list]] = defaultdict(list)
        self.numbers: Counter = Counter()
        self.ready: list[PendingPage] = []

    def __call__(self, row: RowReport) -> None:
        self.rows += 1
        if self.on_progress and self.rows % PROGRESS_ROWS == 0:
            self.on_progress(self.rows)
        entry = [row.sheet, row.row, row.status, row.key, row.old, row.new, row.message]
        for status in ("", row.status):
            buffer = self.buffers[status]
            buffer.append(entry)
            if len(buffer) == PAGE_ROWS:
                self._close(status)
        if len(self.ready) >= PAGES_PER_WRITE:
            self._write()

    def _close(self, status: str) -> None:
        self.numbers[status] += 1
        rows = self.buffers.pop(status)
        self.ready.append(
            PendingPage(pending=self.pending, status=status, number=self.numbers[status], rows=rows)
        )

    def _write(self) -> None:
        PendingPage.objects.bulk_create(self.ready)
        self.ready = []

    def finish(self) -> None:
        """Write the last, partly filled pages."""
        for status in [status for status, rows in self.buffers.items() if rows]:
            self._close(status)
        self._write()


def _problems(report: ImportReport) -> list[dict[str, str]]:
    return [
        {
            "code": problem.code,
            "where": problem.where,
            "reason": problem.reason,
            "row": problem.row is not None and problem.row > 1,
        }
        for problem in report.problems
    ]


def headline_problems(pending: PendingImport, rows: int = 10) -> tuple[list[dict], int]:
    """Return the problems to show above the preview, and how many row problems are left out.

    Every problem of the whole file or a header is shown, and the first few of the rows: the
    error tab lists every row's.
    """
    shown, left = [], 0
    for problem in pending.problems:
        if not problem.get("row") or rows > 0:
            shown.append(problem)
            rows -= bool(problem.get("row"))
        else:
            left += 1
    return shown, left


def pending_create(
    *,
    file: IO[bytes],
    file_name: str,
    user: User,
    on_progress: Callable[[int], None] | None = None,
) -> PendingImport:
    """Keep an upload, check it once (a dry run) and store its per-row result for the preview.

    on_progress(rows) hears how many rows have been checked, every PROGRESS_ROWS rows.
    """
    _sweep(user)
    sha256, _size = file_sha256(file)
    _store_file(file, sha256)
    # Taken before the check: a change made while the file is being checked also voids the plan.
    stamp = data_stamp()
    pending = PendingImport.objects.create(sha256=sha256, file_name=file_name, uploaded_by=user)
    writer = _PageWriter(pending, on_progress)
    report = scores_import(file=file, file_name=file_name, user=user, dry_run=True, on_row=writer)
    if sum(report.counts.values()):
        writer.finish()
    if report.checked is not None:
        plan_save(plan_path(pending), report.checked)
        pending.stamp = stamp
    pending.row_count = report.row_count
    pending.counts = dict(report.counts)
    pending.sheet_counts = [[sheet, dict(counts)] for sheet, counts in report.sheet_counts.items()]
    pending.problems = _problems(report)
    pending.save()
    if report.refused and not pending.counts:
        # Refused as a whole (not a workbook, too big, corrupt): nothing to confirm, ever.
        pending_path(sha256).unlink(missing_ok=True)
    return pending


@dataclass
class PreviewPage:
    rows: list[RowReport]
    number: int
    pages: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def pending_page(*, pending: PendingImport, status: str, number: str | int | None) -> PreviewPage:
    """Return one page of a pending import's rows: all of them, or one status's."""
    count = pending.counts.get(status, 0) if status else sum(pending.counts.values())
    pages = max(1, math.ceil(count / PAGE_ROWS))
    try:
        number = min(max(1, int(number or 1)), pages)
    except (TypeError, ValueError):
        number = 1
    stored = PendingPage.objects.filter(pending=pending, status=status, number=number).first()
    rows = [RowReport(*row) for row in stored.rows] if stored else []
    return PreviewPage(rows, number, pages, count)


def pending_confirm(
    *, pending: PendingImport, user: User, on_progress: Written | None = None
) -> ImportReport:
    """Store a checked upload once: the first confirmation claims it, any other is refused.

    on_progress(done, total) hears the rows written so far (imports.writer.write_plan).
    """
    claimed = PendingImport.objects.filter(
        pk=pending.pk, status=PendingImport.Status.CHECKED
    ).update(status=PendingImport.Status.CONFIRMING)
    if not claimed:
        raise ValidationError(
            _("This upload is already being stored, or was stored: it is stored once."),
            code="already_confirmed",
        )
    try:
        report = _store_checked_plan(pending, user, on_progress)
        if report is None:
            with pending_path(pending.sha256).open("rb") as file:
                report = scores_import(
                    file=file,
                    file_name=pending.file_name,
                    user=user,
                    dry_run=False,
                    on_progress=on_progress,
                )
    except BaseException:
        PendingImport.objects.filter(pk=pending.pk).update(status=PendingImport.Status.CHECKED)
        raise
    if report.refused:
        pending.status = PendingImport.Status.CHECKED
        pending.problems = _problems(report)
        pending.save(update_fields=["status", "problems"])
        return report
    pending.status = PendingImport.Status.STORED
    pending.batch = report.batch
    pending.save(update_fields=["status", "batch"])
    plan_path(pending).unlink(missing_ok=True)
    _discard_file(pending.sha256)
    return report


def _store_checked_plan(
    pending: PendingImport, user: User, on_progress: Written | None
) -> ImportReport | None:
    """Write the plan the preview showed, if nothing it was checked against has changed since."""
    path = plan_path(pending)
    if not pending.stamp or not path.is_file() or pending.stamp != data_stamp():
        return None
    report = ImportReport(file_name=pending.file_name, sha256=pending.sha256, dry_run=False)
    report.row_count = pending.row_count
    report.counts = Counter(pending.counts)
    report.sheet_counts = defaultdict(Counter)
    for sheet, counts in pending.sheet_counts:
        report.sheet_counts[sheet].update(counts)
    report.checked = plan_load(path)
    checked_store(report=report, user=user, on_progress=on_progress)
    return report


def count_table(pending: PendingImport) -> tuple[list, list]:
    """Return the preview's summary: per sheet the rows of each status, then the totals."""
    sheets = [
        (sheet, [counts.get(status, 0) for status in STATUSES])
        for sheet, counts in pending.sheet_counts
    ]
    totals = [(status, pending.counts.get(status, 0)) for status in STATUSES]
    return sheets, totals

"""The import's long steps as background jobs: checking an upload for its preview, storing it.

The view keeps the upload in a staging file and queues the check; the job calls the same
services the pages called (imports.pending), so parsing and checks are unchanged.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import IO

from django.conf import settings
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from imports.pending import pending_confirm, pending_create
from imports.report import CHANGED, NEW
from ita_portal.access import get_rw_pending_for_user
from jobs.models import Job
from jobs.services import JobFailed, Outcome, Progress, handler


def staging_path(name: str) -> Path:
    """Return where an upload waits for its check (under MEDIA_ROOT, shared by app servers)."""
    return Path(settings.MEDIA_ROOT) / "jobs" / "uploads" / Path(name).name


def stage_upload(file: IO[bytes]) -> str:
    """Copy an uploaded workbook to a staging file; return its name for the job's arguments."""
    name = f"{uuid.uuid4().hex}.xlsx"
    path = staging_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    file.seek(0)
    with path.open("wb") as target:
        shutil.copyfileobj(file, target)
    return name


@handler("import_preview")
def import_preview(job: Job, progress: Progress) -> Outcome:
    path = staging_path(job.arguments["staged"])
    if not path.is_file():
        raise JobFailed(_("The uploaded file is no longer there: upload it again."))
    progress(5, _("Checking every row of the workbook"))

    def checked(rows: int) -> None:
        # How many rows the workbook holds is known only at its end: the count, not a share.
        counted = number_format(rows, force_grouping=True)
        progress(
            5, _("Checking every row of the workbook: %(rows)s rows checked") % {"rows": counted}
        )

    try:
        with path.open("rb") as file:
            pending = pending_create(
                file=file, file_name=job.arguments["file_name"], user=job.owner, on_progress=checked
            )
    finally:
        path.unlink(missing_ok=True)  # refused or checked, the staged copy has done its work
    return Outcome(url=reverse("imports:preview", args=[pending.sha256]))


@handler("import_commit")
def import_commit(job: Job, progress: Progress) -> Outcome:
    # The owner's rights are checked again: they may have lost the role since asking.
    pending = get_rw_pending_for_user(job.owner, job.arguments["sha256"])
    progress(5, _("Storing the checked rows"))

    def stored(done: int, total: int) -> None:
        # In the import's one transaction: on PostgreSQL the job's page sees it at once
        # (jobs.services), on SQLite only with the result.
        counts = {
            "done": number_format(done, force_grouping=True),
            "total": number_format(total, force_grouping=True),
        }
        progress(
            5 + 90 * done // max(total, 1),
            _("Storing the checked rows: %(done)s of %(total)s") % counts,
        )

    report = pending_confirm(pending=pending, user=job.owner, on_progress=stored)
    if report.refused:
        raise JobFailed(_("Nothing was imported: the file has errors."))
    if report.batch is None:
        return Outcome(
            url=reverse("imports:index"),
            message=_("Nothing to import: every row is already stored."),
        )
    counts = {"new": report.counts[NEW], "changed": report.counts[CHANGED]}
    return Outcome(
        url=reverse("imports:batch", args=[report.batch.pk]),
        message=_("Imported %(new)s new and %(changed)s changed rows.") % counts,
    )

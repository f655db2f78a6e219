"""A backup as a background job: `manage.py backup --in-background --user NAME` queues it."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from ita_portal.backup import backup_create
from jobs.models import Job
from jobs.services import JobFailed, Outcome, Progress, handler


@handler("backup")
def backup(job: Job, progress: Progress) -> Outcome:
    if not job.owner.is_superuser:
        raise JobFailed(_("Only a superuser may take a backup."))
    progress(5, _("Dumping the database and the media files"))
    output = Path(job.arguments["output"])
    manifest = backup_create(output=output)
    rows = sum(manifest["rows"].values())
    return Outcome(
        message=_("Wrote %(file)s: %(rows)s rows, %(files)s media files.")
        % {"file": output, "rows": f"{rows:,}", "files": f"{len(manifest['files']):,}"}
    )

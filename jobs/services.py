"""Long work in the background: enqueue a job, run it with progress, retry it when it failed.

Another app's work is a handler registered by kind in its own `<app>/background.py`:

    @handler("summary_pdf")
    def summary_pdf(job: Job, progress: Progress) -> Outcome: ...

`enqueue(kind, owner=..., title=..., arguments={...})` stores a Job and hands its id to
django-tasks (with the database backend, in the caller's transaction); the worker
(`manage.py db_worker`, or at once with the immediate backend in DEBUG and tests) calls the
handler, which reports
`progress(percent, message)` as it goes and returns an Outcome (a page to go to, a file, a
message). An exception fails the job with its message; the owner can try it again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend

from accounts.models import User
from jobs.models import Job

logger = logging.getLogger(__name__)

Progress = Callable[..., None]


@dataclass(frozen=True)
class Outcome:
    """What a finished job leaves: where to go next, a file, and what to tell the owner."""

    url: str = ""
    file_name: str = ""
    content: bytes = b""
    message: str = ""


class JobFailed(Exception):
    """Raised by a handler to fail its job with a message meant for the owner."""


_HANDLERS: dict[str, Callable[[Job, Progress], Outcome]] = {}


def handler(kind: str) -> Callable:
    """Register the function that does the work of one kind of job."""

    def register(function: Callable[[Job, Progress], Outcome]) -> Callable:
        if kind in _HANDLERS and _HANDLERS[kind] is not function:
            raise ValueError(f"job kind {kind!r} is registered twice")
        _HANDLERS[kind] = function
        return function

    return register


def enqueue(kind: str, *, owner: User, title: str, arguments: dict | None = None) -> Job:
    """Store a job for owner and queue it for the worker once the transaction commits."""
    if kind not in _HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    job = Job(
        owner=owner,
        agency_id=owner.agency_id,
        kind=kind,
        title=title[:300],
        arguments={"language": translation.get_language() or "th", **(arguments or {})},
    )
    job.full_clean()
    job.save()
    _queue(job.pk)
    job.refresh_from_db()  # the immediate backend has run it already
    return job


def _queue(job_id: int) -> None:
    from jobs.tasks import run_job

    backend = run_job.get_backend()
    if isinstance(backend, ImmediateBackend | DatabaseBackend):
        # The database backend's task row commits (or rolls back) with the job's; the
        # immediate one runs it here, in the caller's transaction.
        run_job.enqueue(job_id)
    else:
        # A broker (Celery, RQ) could hand the id to a worker before the job row is committed.
        transaction.on_commit(lambda: run_job.enqueue(job_id), robust=True)


def job_run(*, job_id: int) -> str:
    """Run a queued job's handler, recording its progress, result or failure; return the status."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), progress=0, message=""
    )
    job = Job.objects.select_related("owner").get(pk=job_id)
    if not claimed:
        return job.status  # already run, or being run by another worker

    progress = _Progress(job_id)
    with translation.override(job.arguments.get("language", "th")), progress:
        try:
            outcome = _HANDLERS[job.kind](job, progress)
        except (JobFailed, ValidationError) as error:
            reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            return _finish(job, Job.Status.FAILED, reason)
        except Exception as error:  # the owner is told, the log keeps the traceback
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            reason = _(
                "The work stopped with an error (%(error)s). Try again, or tell the administrator."
            )
            return _finish(job, Job.Status.FAILED, reason % {"error": type(error).__name__})
    if outcome.content:
        job.result_file.save(outcome.file_name, ContentFile(outcome.content), save=False)
    job.result_url = outcome.url
    return _finish(job, Job.Status.DONE, outcome.message)


def _depth() -> int:
    # How many atomic blocks the connection is in: the outermost sets in_atomic_block, each
    # one inside it adds to savepoint_ids.
    return connection.in_atomic_block + len(connection.savepoint_ids)


class _Progress:
    """A running job's progress(percent, message), written where the job's page can read it.

    A handler's writes inside a transaction it opened (an import's one commit) show to others
    only at its end; on PostgreSQL the progress then goes through a connection of its own, which
    commits each report at once (the job's row is not locked by the handler's transaction: the
    worker claimed it before). SQLite lets one writer in at a time, so there the report waits
    for the transaction like the rest.
    """

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.depth = _depth()
        self.side = None

    def __call__(self, percent: int, message: str = "") -> None:
        percent = max(0, min(100, int(percent)))
        if _depth() > self.depth and connection.vendor == "postgresql":
            if self.side is None:
                self.side = connections.create_connection(DEFAULT_DB_ALIAS)
            table = self.side.ops.quote_name(Job._meta.db_table)  # the model's, not input
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET progress = %s, message = %s WHERE id = %s",  # noqa: S608
                    [percent, message, self.job_id],
                )
        else:
            Job.objects.filter(pk=self.job_id).update(progress=percent, message=message)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc) -> None:
        if self.side is not None:
            self.side.close()


def _finish(job: Job, status: str, message: str) -> str:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    if status == Job.Status.DONE:
        job.progress = 100
    fields = ["status", "message", "progress", "finished_at", "result_url", "result_file"]
    job.save(update_fields=fields)
    return status


@transaction.atomic
def job_retry(*, job: Job) -> Job:
    """Queue a failed job again, as it was first asked for."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status != Job.Status.FAILED:
        raise ValidationError(_("Only a failed job can be tried again."), code="not_failed")
    job.status, job.progress, job.message = Job.Status.QUEUED, 0, ""
    job.attempts += 1
    job.started_at = job.finished_at = None
    job.save()
    _queue(job.pk)
    job.refresh_from_db()
    return job

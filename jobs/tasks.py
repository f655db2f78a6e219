"""The one django-tasks task of the jobs app: run a job by its id (the worker calls it)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    """Run one job; return its status afterwards."""
    from jobs.services import job_run

    return job_run(job_id=job_id)

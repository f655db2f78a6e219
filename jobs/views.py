"""The user's background jobs: the list, one job's progress (page and JSON), retry, its file."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ita_portal.access import get_job_for_user
from jobs import services
from jobs.models import Job

# Seconds between refreshes of a running job's page without JavaScript.
REFRESH_SECONDS = 2


@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """List the user's own jobs, newest first, so they can come back to one."""
    jobs = Job.objects.for_user(request.user).defer("arguments")
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page, "jobs": page.object_list})


@never_cache
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one job's progress; the page refreshes itself until the job has finished."""
    job = get_job_for_user(request.user, pk)
    context = {"job": job, "refresh": REFRESH_SECONDS if job.is_active else 0}
    return render(request, "jobs/detail.html", context)


@never_cache
@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Answer a job's state as JSON, for the page's polling script."""
    job = get_job_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "message": job.message,
            "active": job.is_active,
            "result_url": job.result_url,
        }
    )


@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed job again."""
    job = get_job_for_user(request.user, pk)
    try:
        services.job_retry(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The job is queued again."))
    return redirect("jobs:detail", pk=job.pk)


@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    """Send the file a finished job made."""
    job = get_job_for_user(request.user, pk)
    if job.status != Job.Status.DONE or not job.result_file:
        raise Http404("no file")
    name = PurePath(job.result_file.name).name
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=name)

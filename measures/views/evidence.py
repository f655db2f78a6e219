"""Evidence of a progress report: adding, removing, downloading."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ita_portal.access import can_see_agency
from measures import services
from measures.forms import (
    EvidenceForm,
)
from measures.models import Evidence
from measures.views.lookups import _can_edit, _errors, _get_report_for_user, _report_url


@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach an evidence file or link to a report."""
    report = _get_report_for_user(request, pk)
    if not _can_edit(request, report.activity):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_report_url(report))
    try:
        services.evidence_add(
            report=report,
            user=request.user,
            file=form.cleaned_data["file"],
            url=form.cleaned_data["url"],
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The evidence was added."))
    return redirect(_report_url(report))


@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an evidence file or link."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("report__round__plan__agency", "report__activity"), pk=pk
    )
    report = evidence.report
    if not can_see_agency(request.user, report.round.plan.agency):
        raise Http404
    if not _can_edit(request, report.activity):
        raise PermissionDenied
    try:
        services.evidence_delete(evidence=evidence, user=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The evidence was removed."))
    return redirect(_report_url(report))


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an evidence file, as an attachment, to a signed-in user of its agency."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("report__round__plan__agency"), pk=pk
    )
    if not can_see_agency(request.user, evidence.report.round.plan.agency) or not evidence.file:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name or evidence.file.name.rsplit("/", 1)[-1],
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response

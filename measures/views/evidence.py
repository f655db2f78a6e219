"""Evidence of a progress report: adding, removing, downloading."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ita_portal.access import (
    get_evidence_for_user,
    get_rw_evidence_for_user,
    get_rw_report_for_user,
)
from measures import services
from measures.forms.reports import EvidenceForm
from measures.views.common import error_messages, form_messages, report_url


@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach an evidence file or link to a report."""
    report = get_rw_report_for_user(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        form_messages(request, form)
        return redirect(report_url(report))
    try:
        services.evidence_add(
            report=report,
            user=request.user,
            file=form.cleaned_data["file"],
            url=form.cleaned_data["url"],
            effective_on=form.cleaned_data["effective_on"],
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The evidence was added."))
    return redirect(report_url(report))


@require_POST
def evidence_reuse(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """Attach evidence of an earlier round of the same activity, without uploading it again."""
    report = get_rw_report_for_user(request.user, pk)
    source = get_evidence_for_user(request.user, evidence_pk)
    try:
        services.evidence_reuse(report=report, source=source, user=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The evidence of the earlier round was attached."))
    return redirect(report_url(report))


@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an evidence file or link."""
    evidence = get_rw_evidence_for_user(request.user, pk)
    try:
        services.evidence_delete(evidence=evidence, user=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The evidence was removed."))
    return redirect(report_url(evidence.report))


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an evidence file, as an attachment, to a reader of its report."""
    evidence = get_evidence_for_user(request.user, pk)
    if not evidence.file:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name or evidence.file.name.rsplit("/", 1)[-1],
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response

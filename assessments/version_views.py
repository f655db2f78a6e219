"""Instrument version pages: every role reads them; changing one is a data steward's work.

A version is portal-wide reference data (every agency's assessments of that year are computed
against it), so copying a year and editing weights, pass mark, grade bands or texts need the
steward role (superusers pass), never an agency's admin.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import Role
from assessments import scoring
from assessments.models import InstrumentVersion
from assessments.services import instrument_version_copy
from assessments.version_forms import VersionCopyForm, VersionEditForms, VersionTextForms
from assessments.versions import version_data
from assessments.views import READERS
from ita_portal.access import role_required
from ita_portal.feedback import add_service_errors

# Every role reads the versions; stewards, who keep them, too.
VERSION_READERS = (*READERS, Role.STEWARD)


@require_GET
@role_required(*VERSION_READERS)
def version_list(request: HttpRequest) -> HttpResponse:
    """List the instrument versions; data stewards may copy one to a new year."""
    versions = InstrumentVersion.objects.nacc().select_related("copied_from")
    return render(request, "assessments/version_list.html", {"versions": versions})


@require_GET
@role_required(*VERSION_READERS)
def version_detail(request: HttpRequest, year: int) -> HttpResponse:
    """Show a version's instruments, indicators, sub-indicators, questions and grade bands."""
    version = get_object_or_404(InstrumentVersion.objects.nacc(), fiscal_year=year)
    data = version_data(version)
    spec = data.spec
    weights = {}
    for question in data.questions:
        weights[question.code] = scoring.question_weight(spec, question.code)
    return render(
        request,
        "assessments/version_detail.html",
        {"version": version, "data": data, "weights": weights},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.STEWARD)
def version_copy(request: HttpRequest, year: int) -> HttpResponse:
    """Create another fiscal year's version as a copy of this one, to be edited after."""
    source = get_object_or_404(InstrumentVersion.objects.nacc(), fiscal_year=year)
    form = VersionCopyForm(request.POST or None, initial=VersionCopyForm.initial_for(source))
    if request.method == "POST" and form.is_valid():
        try:
            copy = instrument_version_copy(source=source, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Version copied. Now edit what changed this year."))
            return redirect(_after_copy(request, copy))
    return render(request, "assessments/version_copy.html", {"form": form, "source": source})


def _after_copy(request: HttpRequest, copy: InstrumentVersion) -> str:
    # From the new-assessment page the steward goes back there, with the new year chosen.
    if request.POST.get("next") == "create":
        return f"{reverse('assessments:create')}?year={copy.fiscal_year}"
    return reverse("assessments:version_edit", args=[copy.fiscal_year])


@require_http_methods(["GET", "POST"])
@role_required(Role.STEWARD)
def version_edit(request: HttpRequest, year: int) -> HttpResponse:
    """Edit a version's names, pass mark, instrument weights and grade bands."""
    version = get_object_or_404(InstrumentVersion.objects.nacc(), fiscal_year=year)
    forms = VersionEditForms(request.POST or None, version=version)
    if request.method == "POST" and forms.is_valid():
        forms.save()
        messages.success(request, _("Instrument version saved."))
        return redirect("assessments:version_detail", year)
    context = {"version": version, **forms.context()}
    return render(request, "assessments/version_form.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.STEWARD)
def version_texts(request: HttpRequest, year: int) -> HttpResponse:
    """Edit the names of indicators and sub-indicators and the texts of questions and items."""
    version = get_object_or_404(InstrumentVersion.objects.nacc(), fiscal_year=year)
    forms = VersionTextForms(request.POST or None, version=version)
    if request.method == "POST" and forms.is_valid():
        forms.save()
        messages.success(request, _("Texts saved."))
        return redirect("assessments:version_detail", year)
    context = {"version": version, **forms.context()}
    return render(request, "assessments/version_texts.html", context)

"""Instrument version pages: every role reads them; changing one is a data steward's work.

A version is portal-wide reference data (every agency's assessments of that year are computed
against it), so copying a year and editing weights, pass mark, grade bands or texts need the
steward role (superusers pass), never an agency's admin.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import Role
from assessments import scoring
from assessments.models import InstrumentVersion, SubIndicator
from assessments.services import instrument_version_copy
from assessments.version_forms import (
    GradeBandFormSet,
    IndicatorFormSet,
    InstrumentFormSet,
    QuestionFormSet,
    SubIndicatorFormSet,
    VersionCopyForm,
    VersionForm,
)
from assessments.versions import version_data
from assessments.views import READERS, _apply_errors
from ita_portal.access import role_required


@require_GET
@role_required(*READERS)
def version_list(request: HttpRequest) -> HttpResponse:
    """List the instrument versions; admins may copy one to a new year."""
    versions = InstrumentVersion.objects.select_related("copied_from")
    return render(request, "assessments/version_list.html", {"versions": versions})


@require_GET
@role_required(*READERS)
def version_detail(request: HttpRequest, year: int) -> HttpResponse:
    """Show a version's instruments, indicators, sub-indicators, questions and grade bands."""
    version = get_object_or_404(InstrumentVersion, fiscal_year=year)
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
@role_required(Role.ADMIN)
def version_copy(request: HttpRequest, year: int) -> HttpResponse:
    """Create the next fiscal year's version as a copy of this one, to be edited after."""
    source = get_object_or_404(InstrumentVersion, fiscal_year=year)
    form = VersionCopyForm(
        request.POST or None,
        initial={"fiscal_year": year + 1, "name_th": "", "name_en": f"ITA {year + 1}"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = instrument_version_copy(source=source, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Version copied. Now edit what changed this year."))
            return redirect("assessments:version_edit", copy.fiscal_year)
    return render(request, "assessments/version_copy.html", {"form": form, "source": source})


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def version_edit(request: HttpRequest, year: int) -> HttpResponse:
    """Edit a version's names, pass mark, instrument weights and grade bands."""
    version = get_object_or_404(InstrumentVersion, fiscal_year=year)
    post = request.POST or None
    form = VersionForm(post, instance=version, prefix="version")
    instruments = InstrumentFormSet(
        post, queryset=version.instruments.order_by("order"), prefix="instruments"
    )
    bands = GradeBandFormSet(post, queryset=version.grade_bands.all(), prefix="bands")
    if request.method == "POST" and all(
        [form.is_valid(), instruments.is_valid(), bands.is_valid()]
    ):
        with transaction.atomic():
            form.save()
            instruments.save()
            for band in bands.save(commit=False):
                band.version = version
                band.save()
            for band in bands.deleted_objects:
                band.delete()
        messages.success(request, _("Instrument version saved."))
        return redirect("assessments:version_detail", year)
    return render(
        request,
        "assessments/version_form.html",
        {"version": version, "form": form, "instruments": instruments, "bands": bands},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def version_texts(request: HttpRequest, year: int) -> HttpResponse:
    """Edit the names of indicators and sub-indicators and the texts of questions and items."""
    version = get_object_or_404(InstrumentVersion, fiscal_year=year)
    post = request.POST or None
    indicators = IndicatorFormSet(
        post, queryset=version.indicators.order_by("order", "number"), prefix="indicators"
    )
    subs = SubIndicatorFormSet(
        post,
        queryset=SubIndicator.objects.filter(indicator__version=version).order_by(
            "indicator__order", "order"
        ),
        prefix="subs",
    )
    questions = QuestionFormSet(
        post, queryset=version.questions.order_by("order", "id"), prefix="questions"
    )
    formsets = [indicators, subs, questions]
    # Validate every formset (no short-circuit) so that all errors show at once.
    valid = [formset.is_valid() for formset in formsets]
    if request.method == "POST" and all(valid):
        with transaction.atomic():
            for formset in formsets:
                formset.save()
        messages.success(request, _("Texts saved."))
        return redirect("assessments:version_detail", year)
    return render(
        request,
        "assessments/version_texts.html",
        {"version": version, "indicators": indicators, "subs": subs, "questions": questions},
    )

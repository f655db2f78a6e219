"""Building the plan (admins): plans, measures, activities, rounds."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.models import Assessment
from ita_portal.access import can_see_agency
from measures import services
from measures.forms import (
    ActivityForm,
    MeasureForm,
    PlanForm,
    RoundForm,
)
from measures.models import Activity, Measure, Plan, Round
from measures.views.lookups import _errors, _get_plan_for_user, _require_manage


def _form_page(request, template_title: str, form, plan: Plan, back: str) -> HttpResponse:
    return render(
        request,
        "measures/form.html",
        {"form": form, "title": template_title, "plan": plan, "back": back},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    """Start a new plan with the default rounds."""
    agency = request.user.agency
    if agency is None:
        raise Http404
    _require_manage(request, agency)
    form = PlanForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(plan=form.instance, user=request.user)
        messages.success(request, _("The plan was created."))
        return redirect("measures:plan", year=plan.fiscal_year)
    return _form_page(request, _("New plan"), form, None, reverse("measures:index") + "?all")


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, year: int) -> HttpResponse:
    """Edit a plan's year, titles and assessment."""
    plan = _get_plan_for_user(request, year)
    _require_manage(request, plan)
    form = PlanForm(request.POST or None, instance=plan, agency=plan.agency)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_save(plan=form.instance, user=request.user)
        messages.success(request, _("The plan was saved."))
        return redirect("measures:plan", year=plan.fiscal_year)
    back = reverse("measures:plan", args=[year])
    return _form_page(request, _("Edit plan"), form, plan, back)


@require_POST
def plan_publish(request: HttpRequest, year: int, action: str) -> HttpResponse:
    """Publish the plan on the public page, or withdraw it."""
    plan = _get_plan_for_user(request, year)
    _require_manage(request, plan)
    services.plan_publish(plan=plan, user=request.user, publish=action == "publish")
    if plan.is_published:
        messages.success(request, _("The plan is published."))
    else:
        messages.success(request, _("The plan is no longer public."))
    return redirect("measures:plan", year=year)


@require_POST
def plan_draft(request: HttpRequest) -> HttpResponse:
    """Draft next year's plan from one of the agency's assessments' weak questions."""
    agency = request.user.agency
    if agency is None:
        raise Http404
    _require_manage(request, agency)
    assessment_id = request.POST.get("assessment", "")
    if not assessment_id.isdigit():
        return HttpResponse(status=400)
    assessment = get_object_or_404(
        Assessment.objects.select_related("version"), pk=assessment_id, agency=agency
    )
    try:
        plan = services.plan_draft_from_assessment(assessment=assessment, user=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect(reverse("measures:index") + "?all")
    messages.success(request, _("A draft plan was made from the assessment's weak questions."))
    return redirect("measures:plan", year=plan.fiscal_year)


@require_POST
def plan_copy(request: HttpRequest, year: int) -> HttpResponse:
    """Copy the plan into the next fiscal year, with no reports."""
    plan = _get_plan_for_user(request, year)
    _require_manage(request, plan)
    try:
        new = services.plan_copy(plan=plan, user=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect("measures:plan", year=year)
    messages.success(request, _("The plan was copied into the next fiscal year."))
    return redirect("measures:plan", year=new.fiscal_year)


@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, year: int, pk: int | None = None) -> HttpResponse:
    """Add or edit a measure."""
    plan = _get_plan_for_user(request, year)
    _require_manage(request, plan)
    measure = get_object_or_404(Measure, pk=pk, plan=plan) if pk else None
    form = MeasureForm(request.POST or None, instance=measure, plan=plan)
    if request.method == "POST" and form.is_valid():
        services.measure_save(
            measure=form.instance, user=request.user, questions=form.cleaned_data["questions"]
        )
        messages.success(request, _("The measure was saved."))
        return redirect("measures:plan", year=year)
    title = _("Edit measure") if measure else _("New measure")
    return _form_page(request, title, form, plan, reverse("measures:plan", args=[year]))


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, measure_pk: int, pk: int | None = None) -> HttpResponse:
    """Add or edit an activity with its steps, units, lead unit and deadline."""
    measure = get_object_or_404(Measure.objects.select_related("plan__agency"), pk=measure_pk)
    if not can_see_agency(request.user, measure.plan.agency):
        raise Http404
    _require_manage(request, measure.plan)
    activity = get_object_or_404(Activity, pk=pk, measure=measure) if pk else None
    form = ActivityForm(request.POST or None, instance=activity, measure=measure)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.activity_save(
                activity=form.instance,
                user=request.user,
                units=list(form.cleaned_data["units"]),
                steps_th=form.cleaned_data["steps_text"],
                questions=form.cleaned_data["questions"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("measures:activity", pk=saved.pk)
    title = _("Edit activity") if activity else _("New activity")
    back = reverse("measures:plan", args=[measure.plan.fiscal_year])
    return _form_page(request, title, form, measure.plan, back)


@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, year: int, pk: int | None = None) -> HttpResponse:
    """Add or edit a reporting round."""
    plan = _get_plan_for_user(request, year)
    _require_manage(request, plan)
    round_ = get_object_or_404(Round, pk=pk, plan=plan) if pk else None
    form = RoundForm(request.POST or None, instance=round_, plan=plan)
    if request.method == "POST" and form.is_valid():
        services.round_save(round_=form.instance, user=request.user)
        messages.success(request, _("The round was saved."))
        return redirect("measures:plan", year=year)
    title = _("Edit round") if round_ else _("New round")
    return _form_page(request, title, form, plan, reverse("measures:plan", args=[year]))


@require_POST
def round_lock(request: HttpRequest, year: int, pk: int, action: str) -> HttpResponse:
    """Lock a reviewed round against changes, or unlock it."""
    plan = _get_plan_for_user(request, year)
    _require_manage(request, plan)
    round_ = get_object_or_404(Round, pk=pk, plan=plan)
    services.round_lock(round_=round_, user=request.user, lock=action == "lock")
    if round_.is_locked:
        messages.success(request, _("The round is locked."))
    else:
        messages.success(request, _("The round is unlocked."))
    return redirect("measures:plan", year=year)

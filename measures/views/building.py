"""Building the plan (admins): plans, measures, activities, rounds, and the review rule."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.models import Assessment
from ita_portal.access import (
    get_rw_measure_for_user,
    get_rw_plan_for_user,
    get_rw_plans_agency_for_user,
)
from measures import selectors, services
from measures.forms.plans import ActivityForm, MeasureForm, PlanForm, ReviewSettingsForm, RoundForm
from measures.links import plan_url
from measures.models import Activity, Measure, Round
from measures.views.common import error_messages, form_page

ALL_PLANS = "measures:index"


def _all_plans() -> str:
    return reverse(ALL_PLANS) + "?all"


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    """Start a new plan with the default rounds."""
    agency = get_rw_plans_agency_for_user(request.user)
    form = PlanForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(plan=form.instance, user=request.user)
        messages.success(request, _("The plan was created."))
        return redirect(plan_url("measures:plan", plan, request.user))
    return form_page(request, _("New plan"), form, None, _all_plans())


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, year: int) -> HttpResponse:
    """Edit a plan's year, titles and assessment."""
    plan = get_rw_plan_for_user(request.user, year, request.GET.get("agency"))
    back = plan_url("measures:plan", plan, request.user)
    form = PlanForm(request.POST or None, instance=plan, agency=plan.agency)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_save(plan=form.instance, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(plan_url("measures:plan", plan, request.user))
    return form_page(request, _("Edit plan"), form, plan, back)


@require_POST
def plan_publish(request: HttpRequest, year: int, action: str) -> HttpResponse:
    """Publish the plan on the public page, or withdraw it."""
    plan = get_rw_plan_for_user(request.user, year, request.GET.get("agency"))
    services.plan_publish(plan=plan, user=request.user, publish=action == "publish")
    if plan.is_published:
        messages.success(request, _("The plan is published."))
    else:
        messages.success(request, _("The plan is no longer public."))
    return redirect(plan_url("measures:plan", plan, request.user))


@require_http_methods(["GET", "POST"])
def plan_delete(request: HttpRequest, year: int) -> HttpResponse:
    """Delete a plan none of whose reports was submitted, after a confirmation page."""
    plan = get_rw_plan_for_user(request.user, year, request.GET.get("agency"))
    if request.method == "GET":
        context = {"plan": plan, "contents": selectors.plan_contents(plan)}
        return render(request, "measures/plan_delete.html", context)
    try:
        services.plan_delete(plan=plan, user=request.user)
    except ValidationError as error:
        error_messages(request, error)
        return redirect(plan_url("measures:plan", plan, request.user))
    messages.success(request, _("The plan of fiscal year %(year)s was deleted.") % {"year": year})
    return redirect(_all_plans())


@require_POST
def plan_draft(request: HttpRequest) -> HttpResponse:
    """Draft next year's plan from one of the agency's assessments' weak questions."""
    agency = get_rw_plans_agency_for_user(request.user)
    assessment_id = request.POST.get("assessment", "")
    if not assessment_id.isdigit():
        return HttpResponse(status=400)
    assessments = Assessment.objects.select_related("version")
    assessment = get_object_or_404(assessments, pk=assessment_id, agency=agency)
    try:
        plan = services.plan_draft_from_assessment(assessment=assessment, user=request.user)
    except ValidationError as error:
        error_messages(request, error)
        return redirect(_all_plans())
    messages.success(request, _("A draft plan was made from the assessment's weak questions."))
    return redirect(plan_url("measures:plan", plan, request.user))


@require_POST
def plan_copy(request: HttpRequest, year: int) -> HttpResponse:
    """Copy the plan into the next fiscal year, with no reports."""
    plan = get_rw_plan_for_user(request.user, year, request.GET.get("agency"))
    try:
        new = services.plan_copy(plan=plan, user=request.user)
    except ValidationError as error:
        error_messages(request, error)
        return redirect(plan_url("measures:plan", plan, request.user))
    messages.success(request, _("The plan was copied into the next fiscal year."))
    return redirect(plan_url("measures:plan", new, request.user))


@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, year: int, pk: int | None = None) -> HttpResponse:
    """Add or edit a measure."""
    plan = get_rw_plan_for_user(request.user, year, request.GET.get("agency"))
    measure = get_object_or_404(Measure, pk=pk, plan=plan) if pk else None
    form = MeasureForm(request.POST or None, instance=measure, plan=plan)
    back = plan_url("measures:plan", plan, request.user)
    if request.method == "POST" and form.is_valid():
        questions = form.cleaned_data["questions"]
        services.measure_save(measure=form.instance, user=request.user, questions=questions)
        messages.success(request, _("The measure was saved."))
        return redirect(back)
    title = _("Edit measure") if measure else _("New measure")
    return form_page(request, title, form, plan, back)


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, measure_pk: int, pk: int | None = None) -> HttpResponse:
    """Add or edit an activity with its steps, units, lead unit and deadline."""
    measure = get_rw_measure_for_user(request.user, measure_pk)
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
                owners=list(form.cleaned_data["owners"]),
                indicators=form.cleaned_indicators,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("measures:activity", pk=saved.pk)
    title = _("Edit activity") if activity else _("New activity")
    back = plan_url("measures:plan", measure.plan, request.user)
    return form_page(request, title, form, measure.plan, back, "measures/activity_form.html")


@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, year: int, pk: int | None = None) -> HttpResponse:
    """Add or edit a reporting round."""
    plan = get_rw_plan_for_user(request.user, year, request.GET.get("agency"))
    round_ = get_object_or_404(Round, pk=pk, plan=plan) if pk else None
    form = RoundForm(request.POST or None, instance=round_, plan=plan)
    back = plan_url("measures:plan", plan, request.user)
    if request.method == "POST" and form.is_valid():
        services.round_save(round_=form.instance, user=request.user)
        messages.success(request, _("The round was saved."))
        return redirect(back)
    title = _("Edit round") if round_ else _("New round")
    return form_page(request, title, form, plan, back)


@require_POST
def round_lock(request: HttpRequest, year: int, pk: int, action: str) -> HttpResponse:
    """Lock a reviewed round against changes, or unlock it."""
    plan = get_rw_plan_for_user(request.user, year, request.GET.get("agency"))
    round_ = get_object_or_404(Round, pk=pk, plan=plan)
    round_ = services.round_lock(round_=round_, user=request.user, lock=action == "lock")
    if round_.is_locked:
        messages.success(request, _("The round is locked."))
    else:
        messages.success(request, _("The round is unlocked."))
    return redirect(plan_url("measures:plan", plan, request.user))


@require_http_methods(["GET", "POST"])
def review_settings(request: HttpRequest) -> HttpResponse:
    """Let the agency's admin decide whether a reviewer may approve a report of their own."""
    agency = get_rw_plans_agency_for_user(request.user)
    data = request.POST if request.method == "POST" else None  # an unticked box sends nothing
    form = ReviewSettingsForm(data, instance=agency)
    if request.method == "POST" and form.is_valid():
        allow = form.cleaned_data["allow_self_approval"]
        services.agency_set_self_approval(agency=agency, allow=allow)
        messages.success(request, _("The review rule was saved."))
        return redirect("measures:review_settings")
    status = 400 if form.is_bound else 200
    return render(request, "measures/review_settings.html", {"form": form}, status=status)

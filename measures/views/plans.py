"""Reading a plan: the index, the plan page, the dashboard and the public page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from assessments.models import Assessment
from measures import selectors, services
from measures.models import Plan
from measures.views.lookups import _get_plan_for_user


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Show the latest plan of the user's agency, or the list of none."""
    plans = list(Plan.objects.filter(agency_id=request.user.agency_id).order_by("-fiscal_year"))
    if plans and "all" not in request.GET:
        return redirect("measures:plan", year=plans[0].fiscal_year)
    can_manage = request.user.is_portal_admin and request.user.agency_id is not None
    planned = {plan.fiscal_year for plan in plans}
    assessments = [
        a
        for a in Assessment.objects.filter(agency_id=request.user.agency_id).order_by(
            "-fiscal_year"
        )
        if a.fiscal_year + 1 not in planned
    ]
    return render(
        request,
        "measures/index.html",
        {"plans": plans, "can_manage": can_manage, "assessments": assessments},
    )


@require_GET
def plan_detail(request: HttpRequest, year: int) -> HttpResponse:
    """Show a plan: its measures, activities, owners, deadlines and approved progress."""
    plan = _get_plan_for_user(request, year)
    return render(
        request,
        "measures/plan.html",
        {
            "overview": selectors.plan_overview(plan),
            "plan": plan,
            "other_years": Plan.objects.filter(agency=plan.agency).values_list(
                "fiscal_year", flat=True
            ),
            "can_manage": services.user_can_manage(request.user, plan.agency),
        },
    )


@require_GET
def dashboard(request: HttpRequest, year: int) -> HttpResponse:
    """Show progress by measure and unit, overdue activities and missing reports."""
    plan = _get_plan_for_user(request, year)
    return render(
        request,
        "measures/dashboard.html",
        {"plan": plan, "dashboard": selectors.dashboard(plan, timezone.localdate())},
    )


@login_not_required
@require_GET
def public_plan(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Show a published plan with approved progress only; 404 when not published."""
    plan = get_object_or_404(
        Plan.objects.select_related("agency"), agency__code=agency, fiscal_year=year
    )
    if not plan.is_published:
        raise Http404
    return render(request, "measures/public.html", {"overview": selectors.plan_overview(plan)})

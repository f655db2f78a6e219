"""Reading a plan: the index (the current plan), the plan page, the dashboard, the public page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import User
from assessments.models import Assessment
from ita_portal.access import can_manage_plans, get_plan_for_user
from ita_portal.pages import cached_page, dashboard_scopes, status_fragment
from measures import selectors
from measures.forms.plans import DashboardFilterForm
from measures.links import plan_url
from measures.models import Plan
from measures.views.common import paged


def _index_context(user: User, plans: list[Plan]) -> dict:
    agency = user.agency
    can_manage = agency is not None and can_manage_plans(user, agency)
    planned = {plan.fiscal_year for plan in plans if plan.agency_id == user.agency_id}
    # Official results and self-assessments (surveys) alike seed a plan with their weak questions.
    assessments = Assessment.objects.filter(agency=agency).order_by("-fiscal_year", "kind")
    return {
        "plans": plans,
        "can_manage": can_manage,
        "assessments": [a for a in assessments if a.fiscal_year + 1 not in planned]
        if can_manage
        else [],
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Open the current plan of the user's agency; list the plans when none is current (?all)."""
    plans = list(
        Plan.objects.for_user(request.user)
        .select_related("agency")
        .order_by("agency__name_th", "-fiscal_year")
    )
    own = [plan for plan in plans if plan.agency_id == request.user.agency_id]
    current = None if "all" in request.GET else selectors.current_plan(own, timezone.localdate())
    if current is not None:
        return redirect(plan_url("measures:plan", current, request.user))
    context = {**_index_context(request.user, plans), "plans": paged(request, plans)}
    return render(request, "measures/index.html", context)


@require_GET
def plan_detail(request: HttpRequest, year: int) -> HttpResponse:
    """Show a plan: its rounds, measures, activities, owners, deadlines and approved progress."""
    plan = get_plan_for_user(request.user, year, request.GET.get("agency"))
    context = {
        "plan": plan,
        "overview": selectors.plan_overview(plan, details=True),
        "years": selectors.plan_years(plan),
        "can_manage": can_manage_plans(request.user, plan.agency),
    }
    return render(request, "measures/plan.html", context)


@require_GET
@cached_page(dashboard_scopes)
def dashboard(request: HttpRequest, year: int) -> HttpResponse:
    """Show approved progress by measure and unit, overdue activities and missing reports.

    Filters (unit, responsible person, round, report state) narrow it; lists come in pages.
    """
    plan = get_plan_for_user(request.user, year, request.GET.get("agency"))

    def build() -> dict:
        form = DashboardFilterForm(request.GET or None, plan=plan)
        board = selectors.dashboard(plan, timezone.localdate(), form.filters())
        return {
            "plan": plan,
            "dashboard": board,
            "form": form,
            "overdue": paged(request, board.overdue, "overdue_page"),
            "missing": paged(request, board.missing, "missing_page"),
            "years": selectors.plan_years(plan),
            "status": 400 if form.errors else 200,
        }

    # A filter the form refused: the page says why, with 400 (never stored as a page).
    status, content = status_fragment(
        request, "measures/_dashboard_content.html", dashboard_scopes(request), build
    )
    return render(
        request, "measures/dashboard.html", {"plan": plan, "content": content}, status=status
    )


@login_not_required
@require_GET
def public_plan(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Show a published plan with approved progress only; 404 when not published."""
    plans = Plan.objects.filter(is_published=True).select_related("agency")
    plan = get_object_or_404(plans, agency__code=agency, fiscal_year=year)
    overview = selectors.plan_overview(plan, details=True)
    return render(request, "measures/public.html", {"overview": overview})

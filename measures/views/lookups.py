"""Lookups of the measures pages that answer 404 for other agencies and 403 for the wrong role."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from ita_portal.access import can_see_agency
from measures import services
from measures.models import Activity, Plan, ProgressReport


def _get_plan_for_user(request: HttpRequest, year: int) -> Plan:
    if request.user.agency_id is None:
        raise Http404
    return get_object_or_404(
        Plan.objects.select_related("agency"), agency_id=request.user.agency_id, fiscal_year=year
    )


def _get_activity_for_user(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404(
        Activity.objects.select_related("measure__plan__agency", "lead_unit").prefetch_related(
            "units", "steps", "questions"
        ),
        pk=pk,
    )
    if not can_see_agency(request.user, activity.measure.plan.agency):
        raise Http404
    return activity


def _get_report_for_user(request: HttpRequest, pk: int) -> ProgressReport:
    report = get_object_or_404(
        ProgressReport.objects.select_related(
            "round__plan__agency", "activity__measure__plan__agency"
        ),
        pk=pk,
    )
    if not can_see_agency(request.user, report.round.plan.agency):
        raise Http404
    return report


def _require_manage(request: HttpRequest, plan_or_agency) -> None:
    agency = getattr(plan_or_agency, "agency", plan_or_agency)
    if not services.user_can_manage(request.user, agency):
        raise PermissionDenied


def _can_edit(request: HttpRequest, activity: Activity) -> bool:
    return services.user_can_edit_report(
        request.user, activity, {u.pk for u in activity.units.all()}
    )


def _report_url(report_or_activity, round_pk: int | None = None) -> str:
    if isinstance(report_or_activity, ProgressReport):
        activity_pk, round_pk = report_or_activity.activity_id, report_or_activity.round_id
    else:
        activity_pk = report_or_activity.pk
    return reverse("measures:report", args=[activity_pk, round_pk])


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)

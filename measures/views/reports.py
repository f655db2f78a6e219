"""An activity and its progress reports: writing, history, review."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from measures import services
from measures.forms import (
    EvidenceForm,
    ReportForm,
    ReviewForm,
)
from measures.models import Evidence, ProgressReport, Round
from measures.views.lookups import (
    _can_edit,
    _errors,
    _get_activity_for_user,
    _get_report_for_user,
    _report_url,
)


@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an activity: steps, owners, and its report in each round."""
    activity = _get_activity_for_user(request, pk)
    plan = activity.measure.plan
    rounds = list(plan.rounds.all())
    reports = {r.round_id: r for r in activity.reports.all()}
    return render(
        request,
        "measures/activity.html",
        {
            "activity": activity,
            "plan": plan,
            "rounds": [(r, reports.get(r.pk)) for r in rounds],
            "can_edit": _can_edit(request, activity),
            "can_manage": services.user_can_manage(request.user, plan.agency),
        },
    )


HISTORY_HIDDEN = ["version", "updated_at", "submitted_at", "reviewed_at"]
SAME_SAVE = dt.timedelta(seconds=2)


def _history_value(field, value, users: dict[int, User], orders: dict[int, int]) -> str:
    if value in (None, ""):
        return ""
    if field.many_to_many:
        return ", ".join(str(orders.get(row["step"], "?")) for row in value) if orders else ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return str(users.get(value, value))
    return str(value)


def _history(report: ProgressReport | None) -> list[dict]:
    """Return each saved version of the report: who, when, and which fields changed."""
    if report is None:
        return []
    records = list(report.history.select_related("history_user").order_by("history_id"))
    user_ids = {r.submitted_by_id for r in records} | {r.reviewed_by_id for r in records}
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids - {None})}
    orders = dict(report.activity.steps.values_list("pk", "order"))
    rows = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=HISTORY_HIDDEN)
            for change in delta.changes:
                field = ProgressReport._meta.get_field(change.field)
                changes.append(
                    {
                        "field": field.verbose_name,
                        "old": _history_value(field, change.old, users, orders),
                        "new": _history_value(field, change.new, users, orders),
                    }
                )
        last = rows[-1] if rows else None
        if (
            last is not None
            and last["user"] == record.history_user
            and record.history_date - last["date"] < SAME_SAVE
        ):
            # Saving a report writes its fields, then its ticked steps: show one change.
            last["changes"] += changes
        else:
            rows.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "changes": changes,
                    "created": previous is None,
                }
            )
        previous = record
    for record in Evidence.history.filter(report_id=report.pk).select_related("history_user"):
        if record.history_type in ("+", "-"):
            rows.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "evidence": record.original_name or record.url,
                    "added": record.history_type == "+",
                }
            )
    rows.sort(key=lambda row: row["date"], reverse=True)
    return rows


def _report_context(request, activity, round_, report, form=None, conflict=None) -> dict:
    can_edit = _can_edit(request, activity)
    open_today = round_.is_open_on(timezone.localdate())
    editable = can_edit and open_today and (report is None or report.is_editable_state)
    if form is None and editable:
        initial = {"version": 0, "status": ProgressReport.Status.NOT_STARTED, "percent": 0}
        if report is not None:
            initial = {
                "version": report.version,
                "status": report.status,
                "percent": report.percent,
                "steps_done": list(report.steps_done.all()),
                "results": report.results,
                "obstacles": report.obstacles,
                "next_steps": report.next_steps,
            }
        form = ReportForm(initial=initial, activity=activity)
    plan = activity.measure.plan
    return {
        "activity": activity,
        "plan": plan,
        "round": round_,
        "report": report,
        "form": form if editable else None,
        "conflict": conflict,
        "can_edit": can_edit,
        "editable": editable,
        "can_review": report is not None
        and report.state == ProgressReport.State.SUBMITTED
        and not round_.is_locked
        and services.user_can_review(request.user, plan),
        "evidence": list(report.evidence.select_related("uploaded_by")) if report else [],
        "evidence_form": EvidenceForm() if editable and report else None,
        "history": _history(report),
        "steps_done": set(report.steps_done.values_list("pk", flat=True)) if report else set(),
    }


@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, activity_pk: int, round_pk: int) -> HttpResponse:
    """Show an activity's report in a round; its units' staff edit it here."""
    activity = _get_activity_for_user(request, activity_pk)
    round_ = get_object_or_404(Round, pk=round_pk, plan_id=activity.measure.plan_id)
    report = ProgressReport.objects.filter(activity=activity, round=round_).first()
    if request.method == "GET":
        context = _report_context(request, activity, round_, report)
        return render(request, "measures/report.html", context)
    if not _can_edit(request, activity):
        raise PermissionDenied
    form = ReportForm(request.POST, activity=activity)
    status = 200
    conflict = None
    if form.is_valid():
        data = services.ReportInput(
            status=form.cleaned_data["status"],
            percent=form.cleaned_data["percent"],
            steps_done=list(form.cleaned_data["steps_done"]),
            results=form.cleaned_data["results"],
            obstacles=form.cleaned_data["obstacles"],
            next_steps=form.cleaned_data["next_steps"],
        )
        try:
            saved = services.report_save(
                activity=activity,
                round_=round_,
                user=request.user,
                version=form.cleaned_data["version"],
                data=data,
            )
            if "and_submit" in request.POST:
                services.report_submit(report=saved, user=request.user, version=saved.version)
        except services.EditConflict as error:
            conflict = error.current
            status = 409
            messages.error(
                request,
                _(
                    "Someone else saved this report while you were editing. Your text is kept "
                    "below; compare it with their version, then save again."
                ),
            )
        except ValidationError as error:
            _errors(request, error)
            return redirect(_report_url(activity, round_.pk))
        else:
            if "and_submit" in request.POST:
                messages.success(request, _("The report was submitted for review."))
            else:
                messages.success(request, _("The report was saved."))
            return redirect(_report_url(activity, round_.pk))
    else:
        status = 400
    if conflict is not None:
        # The next save is based on what is stored now; the user's own text stays in the form.
        form.data = form.data.copy()
        form.data["version"] = conflict.version
        report = conflict
    context = _report_context(request, activity, round_, report, form=form, conflict=conflict)
    if context["form"] is None:
        return redirect(_report_url(activity, round_.pk))
    return render(request, "measures/report.html", context, status=status)


@require_POST
def report_review(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """Approve the report, or return it with a comment (managers)."""
    report = _get_report_for_user(request, pk)
    if not services.user_can_review(request.user, report.round.plan):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_report_url(report))
    try:
        services.report_review(
            report=report,
            user=request.user,
            version=form.cleaned_data["version"],
            approve=decision == "approve",
            comment=form.cleaned_data["comment"],
        )
    except services.EditConflict:
        messages.error(request, _("The report changed since you loaded it; check it again."))
    except ValidationError as error:
        _errors(request, error)
    else:
        if decision == "approve":
            messages.success(request, _("The report was approved."))
        else:
            messages.success(request, _("The report was returned to its units."))
    return redirect(_report_url(report))

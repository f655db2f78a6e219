"""An activity and its progress reports: reading, writing, submitting, reviewing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ita_portal.access import (
    can_manage_plans,
    can_read_report,
    can_review_reports,
    can_write_reports,
    get_activity_for_user,
    get_report_to_review_for_user,
    get_rw_activity_for_user,
)
from measures import selectors, services
from measures.forms.reports import EvidenceForm, ReportForm, ReviewForm
from measures.models import Activity, ProgressReport, Round, limits
from measures.views.common import error_messages, form_messages, report_url

CONFLICT = gettext_lazy(
    "Someone else saved this report while you were editing. Your text is kept below; "
    "compare it with their version, then save again."
)


@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an activity: steps, owners, and its report in each round (drafts to few)."""
    activity = get_activity_for_user(request.user, pk)
    plan = activity.measure.plan
    reports = {r.round_id: r for r in activity.reports.all() if can_read_report(request.user, r)}
    context = {
        "activity": activity,
        "plan": plan,
        "rounds": [(r, reports.get(r.pk)) for r in plan.rounds.all()],
        "can_edit": can_write_reports(request.user, activity),
        "can_manage": can_manage_plans(request.user, plan.agency),
        "owners": [str(person) for person in activity.owners.all()],
        "indicators": list(activity.indicators.all()),
    }
    return render(request, "measures/activity.html", context)


def _can_review(user, report: ProgressReport | None, round_: Round) -> bool:
    """Tell whether the user may approve or return the report now."""
    return (
        report is not None
        and report.state == ProgressReport.State.SUBMITTED
        and not round_.is_locked
        and can_review_reports(user, round_.plan.agency)
    )


def _report_context(request, activity, round_, report, form=None, conflict=None) -> dict:
    user = request.user
    shown = report if report is None or can_read_report(user, report) else None
    can_edit = can_write_reports(user, activity)
    open_today = round_.is_open_on(timezone.localdate())
    editable = can_edit and open_today and (report is None or report.is_editable_state)
    if form is None and editable:
        instance = report or ProgressReport(activity=activity, round=round_)
        form = ReportForm(instance=instance, activity=activity)
    can_review = _can_review(user, report, round_)
    reads = ("uploaded_by", "reused_from__report__round")
    evidence = list(shown.evidence.select_related(*reads)) if shown else []
    return {
        "activity": activity,
        "plan": activity.measure.plan,
        "round": round_,
        "report": shown,
        "hidden_draft": shown is None and report is not None,
        "form": form if editable else None,
        "conflict": conflict,
        "editable": editable,
        "can_review": can_review,
        "approval_refused": can_review and report.approval_refused_to(user),
        "comment_limit": limits.REVIEW_COMMENT,
        "evidence": evidence,
        "evidence_form": EvidenceForm() if editable and report else None,
        "earlier_evidence": selectors.reusable_evidence(report, evidence)
        if editable and report
        else [],
        "history": selectors.report_history(shown),
        "steps_done": set(shown.steps_done.values_list("pk", flat=True)) if shown else set(),
    }


def _save(request: HttpRequest, form: ReportForm, activity: Activity, round_: Round) -> None:
    """Save the form's report, and submit it when asked, as one service call."""
    submit = "and_submit" in request.POST
    service = services.report_save_and_submit if submit else services.report_save
    version = form.cleaned_data["version"]
    service(
        activity=activity, round_=round_, user=request.user, version=version, data=form.cleaned_data
    )
    if submit:
        messages.success(request, _("The report was submitted for review."))
    else:
        messages.success(request, _("The report was saved."))


def _form_again(request, activity, round_, report, form, conflict=None) -> HttpResponse:
    """Show the refused form with the user's text: 409 after a conflict, 400 when invalid."""
    if conflict is not None:
        # The next save is based on what is stored now; the user's own text stays in the form.
        form.data = form.data.copy()
        form.data["version"] = conflict.version
        report = conflict
    context = _report_context(request, activity, round_, report, form=form, conflict=conflict)
    if context["form"] is None:
        return redirect("measures:report", activity.pk, round_.pk)
    status = 400 if form.errors else 409
    return render(request, "measures/report.html", context, status=status)


def _report_of(activity: Activity, round_: Round) -> ProgressReport | None:
    report = ProgressReport.objects.filter(activity=activity, round=round_).first()
    if report is not None:
        report.activity, report.round = activity, round_
    return report


@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, activity_pk: int, round_pk: int) -> HttpResponse:
    """Show an activity's report in a round; its units' members write and submit it here."""
    lookup = get_rw_activity_for_user if request.method == "POST" else get_activity_for_user
    activity = lookup(request.user, activity_pk)
    rounds = Round.objects.select_related("plan__agency")
    round_ = get_object_or_404(rounds, pk=round_pk, plan_id=activity.measure.plan_id)
    report = _report_of(activity, round_)
    if request.method == "GET":
        context = _report_context(request, activity, round_, report)
        return render(request, "measures/report.html", context)
    blank = ProgressReport(activity=activity, round=round_)  # validates the form, nothing more
    form = ReportForm(request.POST, instance=blank, activity=activity)
    if not form.is_valid():
        return _form_again(request, activity, round_, report, form)
    try:
        _save(request, form, activity, round_)
    except services.EditConflict as conflict:
        messages.error(request, CONFLICT)
        return _form_again(request, activity, round_, report, form, conflict.current)
    except ValidationError as error:
        error_messages(request, error)
    return redirect("measures:report", activity.pk, round_.pk)


@require_POST
def report_review(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """Approve the report, or return it with a comment (managers and admins)."""
    report = get_report_to_review_for_user(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        form_messages(request, form)
        return redirect(report_url(report))
    approve = decision == "approve"
    try:
        services.report_review(
            report=report,
            user=request.user,
            version=form.cleaned_data["version"],
            approve=approve,
            comment=form.cleaned_data["comment"],
        )
    except services.EditConflict:
        messages.error(request, _("The report changed since you loaded it; check it again."))
    except ValidationError as error:
        error_messages(request, error)
    else:
        done = (
            _("The report was approved.") if approve else _("The report was returned to its units.")
        )
        messages.success(request, done)
    return redirect(report_url(report))

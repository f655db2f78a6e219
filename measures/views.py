"""Pages of the measures plan: plan, activities, progress reports, evidence, dashboard, building."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from assessments.models import Assessment
from ita_portal.access import can_see_agency
from measures import selectors, services
from measures.forms import (
    ActivityForm,
    EvidenceForm,
    MeasureForm,
    PlanForm,
    ReportForm,
    ReviewForm,
    RoundForm,
)
from measures.models import Activity, Evidence, Measure, Plan, ProgressReport, Round

# --- lookups that answer 404 for other agencies and 403 for the wrong role -----------------


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


# --- reading ----------------------------------------------------------------------------


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


@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach an evidence file or link to a report."""
    report = _get_report_for_user(request, pk)
    if not _can_edit(request, report.activity):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_report_url(report))
    try:
        services.evidence_add(
            report=report,
            user=request.user,
            file=form.cleaned_data["file"],
            url=form.cleaned_data["url"],
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The evidence was added."))
    return redirect(_report_url(report))


@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an evidence file or link."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("report__round__plan__agency", "report__activity"), pk=pk
    )
    report = evidence.report
    if not can_see_agency(request.user, report.round.plan.agency):
        raise Http404
    if not _can_edit(request, report.activity):
        raise PermissionDenied
    try:
        services.evidence_delete(evidence=evidence, user=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The evidence was removed."))
    return redirect(_report_url(report))


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an evidence file, as an attachment, to a signed-in user of its agency."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("report__round__plan__agency"), pk=pk
    )
    if not can_see_agency(request.user, evidence.report.round.plan.agency) or not evidence.file:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name or evidence.file.name.rsplit("/", 1)[-1],
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def dashboard(request: HttpRequest, year: int) -> HttpResponse:
    """Show progress by measure and unit, overdue activities and missing reports."""
    plan = _get_plan_for_user(request, year)
    return render(
        request,
        "measures/dashboard.html",
        {"plan": plan, "dashboard": selectors.dashboard(plan, timezone.localdate())},
    )


# --- building the plan (admins) ----------------------------------------------------------


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


# --- public disclosure ------------------------------------------------------------------


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

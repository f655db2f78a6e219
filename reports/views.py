"""The reports: executive summary and six-month progress report, each as HTML, PDF and xlsx.

Managers and admins read everything; staff read the progress report only (403 on the summary);
another agency's reports answer 404. PDF and xlsx downloads come from the cache while the
data they show is unchanged (reports.cache).
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.roles import Role
from assessments.models import Assessment
from ita_portal.access import get_assessment_for_user, get_round_for_user, role_required
from ita_portal.pages import agency_scopes, cached_page, fragment
from jobs.models import Job
from jobs.services import enqueue
from measures.models import Round
from reports import builders, exports
from reports.cache import cached_render, cached_report, progress_stamp, summary_stamp
from reports.pdf import render_pdf
from reports.templatetags.reports import localized

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVERY_ROLE = (Role.STAFF, Role.MANAGER, Role.ADMIN)


def _digits(request: HttpRequest) -> str:
    """Read ?digits=thai|arabic; anything else is a bad request."""
    value = request.GET.get("digits", "arabic") or "arabic"
    if value not in ("thai", "arabic"):
        raise BadRequest("digits must be thai or arabic")
    return "thai" if value == "thai" else ""


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


def _summary_context(assessment: Assessment, digits: str) -> dict:
    summary = builders.executive_summary(assessment)
    return {
        "s": summary,
        "agency": summary["agency"],
        "title": _("Executive summary"),
        "subtitle": _("ITA results, fiscal year %(year)s") % {"year": assessment.fiscal_year},
        "grade": summary["grade"],
        "generated_on": summary["generated_on"],
        "d": digits,
    }


def _progress_context(round_: Round, digits: str) -> dict:
    report = builders.progress_report(round_.plan, round_)
    return {
        "r": report,
        "agency": report["agency"],
        "title": _("Report on the integrity measures"),
        "subtitle": _("%(round)s, fiscal year %(year)s")
        % {"round": localized(round_, "name"), "year": round_.plan.fiscal_year},
        "generated_on": report["generated_on"],
        "d": digits,
    }


@require_GET
@cached_page(agency_scopes)
@role_required(Role.MANAGER, Role.ADMIN)
def summary(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Show the executive summary of an agency's assessment."""
    assessment = get_assessment_for_user(request.user, agency, year)
    digits = _digits(request)

    def build() -> dict:
        return {
            **_summary_context(assessment, digits),
            "pdf_url": reverse("reports:summary_pdf", args=[agency, year]),
            "xlsx_url": reverse("reports:summary_xlsx", args=[agency, year]),
        }

    content = fragment(
        request, "reports/_summary_content.html", agency_scopes(request, agency), build
    )
    context = {"assessment": assessment, "title": _("Executive summary"), "d": digits}
    return render(request, "reports/summary.html", {**context, "content": content})


def summary_pdf_bytes(assessment: Assessment, digits: str, request=None, stamp=None) -> bytes:
    """Return the executive summary's PDF, from the shared cache or rendered once.

    stamp is the data stamp when the caller has it (the view hands its own to the job).
    """
    return cached_render(
        ("summary", assessment.pk, "pdf", digits),
        stamp or summary_stamp(assessment),
        lambda: render_pdf(
            "reports/pdf/summary.html", _summary_context(assessment, digits), request=request
        ),
    )


def progress_pdf_bytes(round_: Round, digits: str, request=None, stamp=None) -> bytes:
    """Return a round's progress report PDF, from the shared cache or rendered once."""
    return cached_render(
        ("progress", round_.pk, "pdf", digits),
        stamp or progress_stamp(round_.plan),
        lambda: render_pdf(
            "reports/pdf/progress.html", _progress_context(round_, digits), request=request
        ),
    )


def _cached_or_job(request, parts: tuple, stamp: str, kind: str, title: str, arguments: dict, make):
    """Return the cached file (PDF, Word), or queue its render and answer with the job's page.

    With the immediate backend (DEBUG, tests) the job has run when enqueue returns, so the
    file is served at once; in production the user follows the render's progress (a redirect).
    The job stores the render under this stamp rather than work it out again: data changed in
    the meantime is rendered all the same, under a key that later requests no longer ask for.
    make(stamp) renders in the request, for a cache that refused to store the job's file.
    """
    data = cached_report(parts, stamp)
    if data is not None:
        return data
    job = enqueue(kind, owner=request.user, title=title, arguments={**arguments, "stamp": stamp})
    if job.status != Job.Status.DONE:
        return redirect("jobs:detail", pk=job.pk)
    # Done already: the cache has it, unless the cache refused to store it.
    return cached_report(parts, stamp) or make(stamp)


@require_GET
@role_required(Role.MANAGER, Role.ADMIN)
def summary_pdf(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Download the executive summary as an A4 PDF (rendered in the background on a miss)."""
    assessment = get_assessment_for_user(request.user, agency, year)
    digits = _digits(request)
    data = _cached_or_job(
        request,
        ("summary", assessment.pk, "pdf", digits),
        summary_stamp(assessment),
        "summary_pdf",
        _("Executive summary PDF, %(agency)s, fiscal year %(year)s")
        % {"agency": assessment.agency.abbreviation or agency, "year": year},
        {"assessment": assessment.pk, "digits": digits, "url": request.get_full_path()},
        lambda stamp: summary_pdf_bytes(assessment, digits, request, stamp),
    )
    if isinstance(data, HttpResponse):
        return data
    return _download(data, PDF, f"ita-summary-{agency}-{year}.pdf")


@require_GET
@role_required(Role.MANAGER, Role.ADMIN)
def summary_xlsx(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Download the executive summary's tables as a workbook."""
    assessment = get_assessment_for_user(request.user, agency, year)
    data = cached_render(
        ("summary", assessment.pk, "xlsx"),
        summary_stamp(assessment),
        lambda: exports.summary_workbook(builders.executive_summary(assessment)),
    )
    return _download(data, XLSX, f"ita-summary-{agency}-{year}.xlsx")


@require_GET
@role_required(*EVERY_ROLE)
def progress(request: HttpRequest, agency: str, year: int, number: int) -> HttpResponse:
    """Show the progress report of every activity of a plan in one round."""
    round_ = get_round_for_user(request.user, agency, year, number)
    context = _progress_context(round_, _digits(request))
    context["pdf_url"] = reverse("reports:progress_pdf", args=[agency, year, number])
    context["xlsx_url"] = reverse("reports:progress_xlsx", args=[agency, year, number])
    return render(request, "reports/progress.html", context)


@require_GET
@role_required(*EVERY_ROLE)
def progress_pdf(request: HttpRequest, agency: str, year: int, number: int) -> HttpResponse:
    """Download a round's progress report as an A4 PDF (rendered in the background on a miss)."""
    round_ = get_round_for_user(request.user, agency, year, number)
    digits = _digits(request)
    data = _cached_or_job(
        request,
        ("progress", round_.pk, "pdf", digits),
        progress_stamp(round_.plan),
        "progress_pdf",
        _("Progress report PDF, %(round)s, fiscal year %(year)s")
        % {"round": localized(round_, "name"), "year": year},
        {"round": round_.pk, "digits": digits, "url": request.get_full_path()},
        lambda stamp: progress_pdf_bytes(round_, digits, request, stamp),
    )
    if isinstance(data, HttpResponse):
        return data
    return _download(data, PDF, f"ita-progress-{agency}-{year}-{number}.pdf")


@require_GET
@role_required(*EVERY_ROLE)
def progress_xlsx(request: HttpRequest, agency: str, year: int, number: int) -> HttpResponse:
    """Download a round's progress report as a workbook."""
    round_ = get_round_for_user(request.user, agency, year, number)
    data = cached_render(
        ("progress", round_.pk, "xlsx"),
        progress_stamp(round_.plan),
        lambda: exports.progress_workbook(builders.progress_report(round_.plan, round_)),
    )
    return _download(data, XLSX, f"ita-progress-{agency}-{year}-{number}.xlsx")


@require_GET
@role_required(*EVERY_ROLE)
def index(request: HttpRequest) -> HttpResponse:
    """List the reports of the user's agency that the user may download."""
    user = request.user
    assessments = Assessment.objects.none()
    rounds = Round.objects.none()
    if user.agency_id is not None:
        if user.has_role(Role.MANAGER, Role.ADMIN):
            assessments = (
                Assessment.objects.official()
                .filter(agency_id=user.agency_id)
                .order_by("-fiscal_year")
            )
        rounds = (
            Round.objects.filter(plan__agency_id=user.agency_id)
            .select_related("plan")
            .order_by("-plan__fiscal_year", "number")
        )
    context = {
        "agency": user.agency,
        "assessments": list(assessments.only("pk", "fiscal_year")),
        "rounds": list(rounds),
    }
    # The measures document of each plan year (every plan has its rounds; no further query).
    if user.has_role(Role.MANAGER, Role.ADMIN):
        context["plan_years"] = sorted(
            {r.plan.fiscal_year for r in context["rounds"]}, reverse=True
        )
    return render(request, "reports/index.html", context)

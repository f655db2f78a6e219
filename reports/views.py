"""The reports: executive summary and six-month progress report, each as HTML, PDF and xlsx.

Managers and admins read everything; staff read the progress report only (403 on the summary);
another agency's reports answer 404. PDF and xlsx downloads come from the cache while the
data they show is unchanged (reports.cache).
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.roles import Role
from assessments.models import Assessment
from ita_portal.access import get_assessment_for_user, get_round_for_user, role_required
from measures.models import Round
from reports import builders, exports
from reports.cache import cached_render, progress_stamp, summary_stamp
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
@role_required(Role.MANAGER, Role.ADMIN)
def summary(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Show the executive summary of an agency's assessment."""
    assessment = get_assessment_for_user(request.user, agency, year)
    context = _summary_context(assessment, _digits(request))
    context["pdf_url"] = reverse("reports:summary_pdf", args=[agency, year])
    context["xlsx_url"] = reverse("reports:summary_xlsx", args=[agency, year])
    return render(request, "reports/summary.html", context)


@require_GET
@role_required(Role.MANAGER, Role.ADMIN)
def summary_pdf(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Download the executive summary as an A4 PDF."""
    assessment = get_assessment_for_user(request.user, agency, year)
    digits = _digits(request)
    data = cached_render(
        ("summary", assessment.pk, "pdf", digits),
        summary_stamp(assessment),
        lambda: render_pdf(
            "reports/pdf/summary.html", _summary_context(assessment, digits), request=request
        ),
    )
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
    """Download a round's progress report as an A4 PDF."""
    round_ = get_round_for_user(request.user, agency, year, number)
    digits = _digits(request)
    data = cached_render(
        ("progress", round_.pk, "pdf", digits),
        progress_stamp(round_.plan),
        lambda: render_pdf(
            "reports/pdf/progress.html", _progress_context(round_, digits), request=request
        ),
    )
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
    return render(request, "reports/index.html", context)

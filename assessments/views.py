"""Assessment pages: results, history, peers and score entry (instrument versions: version_views).

Staff, managers and admins read their own agency's assessments; only admins change anything.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import Role
from assessments.comparisons import (
    Ranking,
    agency_history,
    assessment_rows,
    indicator_changes,
    question_trend,
    total_changes,
)
from assessments.facts import assessment_facts
from assessments.forms import AssessmentCreateForm, AssessmentForm, ItemAnswersForm, ScoresForm
from assessments.models import Assessment, InstrumentVersion
from assessments.selectors import assessment_report
from assessments.services import (
    assessment_scores_set,
    assessment_upsert,
    item_answers_set,
)
from assessments.version_forms import VersionCopyForm
from assessments.versions import data_stewards, question_codes, version_data
from ita_portal.access import get_agency_for_user, get_assessment_for_user, role_required
from ita_portal.feedback import add_service_errors
from ita_portal.pages import (
    agency_scopes,
    cached_page,
    fragment,
    ministry_scopes,
    results_scopes,
)
from measures.selectors import measures_by_question

READERS = (Role.STAFF, Role.MANAGER, Role.ADMIN)
# A ministry ranking shows this many agencies a page (a ministry may have thousands).
PEERS_PER_PAGE = 50


# --- Reading --------------------------------------------------------------------------------------


@require_GET
@role_required(*READERS)
def index(request: HttpRequest) -> HttpResponse:
    """List the assessments of the user's agency, newest first."""
    rows = assessment_rows(
        Assessment.objects.for_user(request.user)
        .official()
        .order_by("agency__name_th", "-fiscal_year")
    )
    return render(request, "assessments/index.html", {"rows": rows})


@require_GET
@cached_page(agency_scopes)
@role_required(*READERS)
def detail(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Show one assessment: the official result, tables 1 and 2, weights, sample and gaps."""
    assessment = get_assessment_for_user(request.user, agency, year)

    def build() -> dict:
        report = assessment_report(assessment)
        measures = measures_by_question(assessment.agency_id, assessment.version_id)
        return {
            "assessment": assessment,
            "report": report,
            "s": assessment_facts(report, measures=measures),
            "d": "",
        }

    content = fragment(
        request, "assessments/_detail_content.html", agency_scopes(request, agency), build
    )
    return render(
        request, "assessments/detail.html", {"assessment": assessment, "content": content}
    )


@require_GET
@cached_page(results_scopes)
@role_required(*READERS)
def history(request: HttpRequest, agency: str) -> HttpResponse:
    """Show an agency's totals, grades and ranks across years, and indicator changes."""
    agency_obj = get_agency_for_user(request.user, agency)
    content = fragment(
        request,
        "assessments/_history_content.html",
        results_scopes(request, agency),
        lambda: _history_context(request, agency_obj),
    )
    return render(request, "assessments/history.html", {"agency": agency_obj, "content": content})


def _history_context(request: HttpRequest, agency_obj) -> dict:
    rows = agency_history(agency_obj)
    years = [row.fiscal_year for row in rows]
    year_from = _year_param(request, "from", years, default=years[-2] if len(years) > 1 else None)
    year_to = _year_param(request, "to", years, default=years[-1] if years else None)
    return {
        "agency": agency_obj,
        "rows": rows,
        "latest": rows[-1] if rows else None,
        "points": [(row.fiscal_year, row.total) for row in rows],
        "table": total_changes(rows),
        "computed_years": [row.fiscal_year for row in rows if row.total_source == "computed"],
        "years": years,
        "year_from": year_from,
        "year_to": year_to,
        "changes": indicator_changes(rows, year_from, year_to) if year_from and year_to else [],
        **_question_trend(request, agency_obj, rows, years),
    }


def _question_trend(request: HttpRequest, agency, rows, years: list[int]) -> dict:
    # One question across the years, followed through the crosswalk (?question=I14&qyear=2563).
    year = _year_param(request, "qyear", years, default=years[-1] if years else None)
    row = next((r for r in rows if r.fiscal_year == year), None)
    codes = [] if row is None else question_codes(row.assessment.version)
    code = request.GET.get("question", "").strip().upper()
    found = code in codes
    return {
        "question_year": year,
        "question_codes": codes,
        "question": code if found else "",
        "question_unknown": code if code and not found else "",
        "trend": question_trend(agency, year, code) if found else [],
    }


def _year_param(request: HttpRequest, name: str, years: list[int], default: int | None):
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return default
    return value if value in years else default


@require_GET
@cached_page(ministry_scopes)
@role_required(*READERS)
def peers(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Rank the agencies of the user's ministry by their total in a year."""
    assessment = get_assessment_for_user(request.user, agency, year)
    content = fragment(
        request,
        "assessments/_peers_content.html",
        lambda: ministry_scopes(request, agency),
        lambda: {"assessment": assessment, "page": _peers_page(request, assessment, year)},
    )
    return render(request, "assessments/peers.html", {"assessment": assessment, "content": content})


def _peers_page(request: HttpRequest, assessment: Assessment, year: int):
    """Return the page of the ranking asked for, else the one holding the user's agency."""
    ranking = Ranking(assessment.agency, year)
    number = request.GET.get("page")
    if number is None:
        number = ranking.home_index() // PEERS_PER_PAGE + 1
    return Paginator(ranking, PEERS_PER_PAGE).get_page(number)


# --- Writing (admins) -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def create(request: HttpRequest) -> HttpResponse:
    """Create an assessment of the admin's agency, or say how to get a new year's instrument."""
    agency = request.user.agency
    if agency is None:
        return render(request, "assessments/no_agency.html", status=403)
    initial = {"fiscal_year": request.GET.get("year")}
    form = AssessmentCreateForm(request.POST or None, agency=agency, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "fiscal_year"}
        try:
            assessment = assessment_upsert(
                agency=agency, fiscal_year=form.cleaned_data["fiscal_year"], values=values
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Assessment created."))
            return redirect("assessments:scores", agency.code, assessment.fiscal_year)
    context = {"form": form, "agency": agency, **_instrument_offer(request.user)}
    return render(request, "assessments/assessment_form.html", context)


def _instrument_offer(user) -> dict:
    # A year without an instrument cannot be assessed: a steward may copy the latest one here;
    # anyone else is told who can.
    latest = InstrumentVersion.objects.nacc().order_by("-fiscal_year").first()
    if latest is None:
        return {}
    if user.is_steward:
        return {
            "source": latest,
            "copy_form": VersionCopyForm(initial=VersionCopyForm.initial_for(latest)),
        }
    return {"source": latest, "stewards": data_stewards()}


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def edit(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Correct an assessment's reported figures and sample sizes."""
    assessment = get_assessment_for_user(request.user, agency, year)
    form = AssessmentForm(request.POST or None, instance=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_upsert(agency=assessment.agency, fiscal_year=year, values=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Assessment saved."))
            return redirect("assessments:detail", agency, year)
    return render(
        request,
        "assessments/assessment_form.html",
        {"form": form, "agency": assessment.agency, "assessment": assessment},
    )


def _initial_scores(assessment: Assessment) -> dict:
    initial = {}
    for row in assessment.question_scores.select_related("question"):
        initial[f"q_{row.question.code}"] = row.score
    for row in assessment.sub_indicator_scores.select_related("sub_indicator"):
        initial[f"s_{row.sub_indicator.key}"] = row.score
    for row in assessment.indicator_scores.select_related("indicator"):
        initial[f"i_{row.indicator.number}"] = row.score
    for row in assessment.instrument_scores.select_related("instrument"):
        initial[f"n_{row.instrument.code}"] = row.score
    return initial


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def scores(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Enter or correct the scores of an assessment at every level; empty means unknown."""
    assessment = get_assessment_for_user(request.user, agency, year)
    form = ScoresForm(
        request.POST or None,
        data_rows=version_data(assessment.version),
        initial_scores=_initial_scores(assessment),
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment_scores_set(assessment=assessment, **form.scores())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Scores saved."))
            return redirect("assessments:detail", agency, year)
    return render(request, "assessments/scores_form.html", {"form": form, "assessment": assessment})


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def items(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Record which OIT items the agency's website shows, with evidence."""
    assessment = get_assessment_for_user(request.user, agency, year)
    answers = {a.question.code: a for a in assessment.item_answers.select_related("question")}
    form = ItemAnswersForm(
        request.POST or None, data_rows=version_data(assessment.version), answers=answers
    )
    if request.method == "POST" and form.is_valid():
        try:
            item_answers_set(assessment=assessment, answers=form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("OIT item answers saved."))
            return redirect("assessments:detail", agency, year)
    return render(request, "assessments/items_form.html", {"form": form, "assessment": assessment})

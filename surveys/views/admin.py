"""The agency's survey rounds under /surveys/: prepare, open and close them, hand out links
and codes, follow the live status, read and export the results, and take telephone interviews.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Role
from ita_portal.access import (
    get_rw_survey_for_user,
    get_survey_for_user,
    get_survey_unit_for_user,
    role_required,
)
from ita_portal.feedback import add_service_errors, message_errors
from surveys import distribution, exports, selectors, services
from surveys.forms import CodesForm, DatesForm, MailCodesForm, RoundForm, UnitForm
from surveys.models import Response
from surveys.views import flow

READERS = (Role.STAFF, Role.MANAGER, Role.ADMIN)


# --- the agency's rounds --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*READERS)
def index(request: HttpRequest) -> HttpResponse:
    """List the agency's rounds; admins start a new one here."""
    agency = request.user.agency
    if agency is None:
        raise Http404
    form = None
    if request.user.is_portal_admin:
        form = RoundForm(request.POST or None, agency=agency)
        if request.method == "POST" and form.is_valid():
            try:
                survey = services.round_create(
                    agency=agency, run_by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The round is created: add its units."))
                return redirect("surveys:detail", pk=survey.pk)
    elif request.method == "POST":
        return HttpResponse(status=403)
    rounds = selectors.rounds_for(agency, timezone.localdate())
    status = 400 if form is not None and form.errors else 200
    return render(request, "surveys/index.html", {"rounds": rounds, "form": form}, status=status)


@require_GET
@role_required(*READERS)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a round: its units, links and codes, the live status and, once closed, results."""
    survey = get_survey_for_user(request.user, pk)
    today = timezone.localdate()
    context = {
        "survey": survey,
        "status": selectors.round_status(survey, today),
        "results": selectors.round_results(survey),
        "may_run": request.user.is_portal_admin,
        "unit_form": UnitForm(agency=survey.agency),
        "dates_form": DatesForm(
            initial={"opens_on": survey.opens_on, "closes_on": survey.closes_on}
        ),
        "codes_form": CodesForm(),
        "mail_form": MailCodesForm(),
    }
    return render(request, "surveys/detail.html", context)


@require_GET
@role_required(*READERS)
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """The live status alone: responses against the minimum per unit, days left."""
    survey = get_survey_for_user(request.user, pk)
    context = {"survey": survey, "status": selectors.round_status(survey, timezone.localdate())}
    return render(request, "surveys/status.html", context)


def _done(request: HttpRequest, pk: int, write, success: str, form=None) -> HttpResponse:
    """Run a change on the round (after its form, if any); say how it went on the round's page."""
    if form is not None and not form.is_valid():
        message_errors(request, form)
        return redirect("surveys:detail", pk=pk)
    try:
        result = write(**(form.cleaned_data if form is not None else {}))
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, success % {"count": result})  # a mapping: no %(count)s is fine
    return redirect("surveys:detail", pk=pk)


@require_POST
@role_required(Role.ADMIN)
def dates(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_rw_survey_for_user(request.user, pk)
    write = partial(services.round_dates_set, survey=survey)
    return _done(request, pk, write, _("The dates are saved."), DatesForm(request.POST))


@require_POST
@role_required(Role.ADMIN)
def unit_set(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a unit with its population, or change the population of a unit in the round."""
    survey = get_rw_survey_for_user(request.user, pk)
    form = UnitForm(request.POST, agency=survey.agency)
    write = partial(services.round_unit_set, survey=survey)
    return _done(request, pk, write, _("The unit's population is saved."), form)


@require_POST
@role_required(Role.ADMIN)
def unit_remove(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    entry = get_survey_unit_for_user(request.user, pk, unit_pk, write=True)
    write = partial(services.round_unit_remove, entry=entry)
    return _done(request, pk, write, _("The unit is taken out of the round."))


@require_POST
@role_required(Role.ADMIN)
def open_round(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_rw_survey_for_user(request.user, pk)
    write = partial(services.round_open, survey=survey)
    return _done(request, pk, write, _("The round is open: print the posters or hand out codes."))


@require_POST
@role_required(Role.ADMIN)
def close_round(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_rw_survey_for_user(request.user, pk)
    write = partial(services.round_close, survey=survey)
    return _done(request, pk, write, _("The round is closed and its scores are computed."))


# --- distribution ---------------------------------------------------------------------------------


@require_GET
@role_required(*READERS)
def poster(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """A unit's A4 poster: the QR code and link of its form, in Thai, with the closing date."""
    entry = get_survey_unit_for_user(request.user, pk, unit_pk)
    pdf = distribution.poster_pdf(entry)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"poster-{entry.round.instrument.code}-{entry.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_GET
@role_required(*READERS)
def qr(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    entry = get_survey_unit_for_user(request.user, pk, unit_pk)
    return HttpResponse(distribution.qr_svg(entry, document=True), content_type="image/svg+xml")


@require_POST
@role_required(Role.ADMIN)
def codes(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """Make one-time codes for a unit and show them once, to print on slips."""
    entry = get_survey_unit_for_user(request.user, pk, unit_pk, write=True)
    form = CodesForm(request.POST)
    if not form.is_valid():
        message_errors(request, form)
        return redirect("surveys:detail", pk=pk)
    try:
        issued = services.codes_issue(entry=entry, count=form.cleaned_data["count"])
    except ValidationError as error:
        message_errors(request, error)
        return redirect("surveys:detail", pk=pk)
    context = {
        "entry": entry,
        "survey": entry.round,
        "codes": issued,
        "link": distribution.link(entry),
    }
    return render(request, "surveys/codes.html", context)


@require_POST
@role_required(Role.ADMIN)
def codes_mail(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """Mail each address its own code (the addresses are not kept)."""
    entry = get_survey_unit_for_user(request.user, pk, unit_pk, write=True)
    write = partial(services.codes_mail, entry=entry, link=distribution.link(entry))
    return _done(request, pk, write, _("%(count)s codes were mailed."), MailCodesForm(request.POST))


# --- exports --------------------------------------------------------------------------------------


@require_GET
@role_required(Role.MANAGER, Role.ADMIN)
def export_answers(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The anonymised answers, one row per response (units under the minimum left out)."""
    survey = get_survey_for_user(request.user, pk)
    content, content_type = exports.answers(survey, fmt)
    return _download(content, content_type, f"answers-{survey.instrument.code}.{fmt}")


@require_GET
@role_required(Role.MANAGER, Role.ADMIN)
def export_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request.user, pk)
    return _download(
        exports.results(survey), exports.XLSX, f"results-{survey.instrument.code}.xlsx"
    )


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- interviewer mode -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*READERS)
def interview(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """Interviewer mode: staff type in the answers given by telephone (recorded as such)."""
    entry = get_survey_unit_for_user(request.user, pk, unit_pk)
    if entry.round.instrument.code != "EIT":
        raise Http404
    path = reverse("surveys:interview", args=[pk, unit_pk])
    return flow.serve(request, entry, channel=Response.Channel.TELEPHONE, path=path)

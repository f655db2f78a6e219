"""Survey pages: the agency's rounds (/surveys/) and the respondents' form (/s/<code>/).

The form keeps a respondent's answers in a server-side draft found by a random token in a
cookie scoped to the link's path: it survives a closed tab, needs no login and no session, and
says nothing about who answers. Every screen is a plain form (no JavaScript needed).
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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
from ita_portal.security import client_ip
from surveys import distribution, exports, selectors, services
from surveys.forms import CodesForm, DatesForm, MailCodesForm, RoundForm, UnitForm
from surveys.models import Draft, Response, SurveyRound, SurveyUnit
from surveys.throttle import start_allowed

READERS = (Role.STAFF, Role.MANAGER, Role.ADMIN)
COOKIE = "ita_survey"


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


# --- the answer form ------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, code: str) -> HttpResponse:
    """A respondent's form: no login; an unknown link is 404, a closed one says so."""
    entry = get_object_or_404(
        SurveyUnit.objects.select_related("round__instrument__version", "round__agency", "unit"),
        code=code,
    )
    return _form(
        request, entry, channel=Response.Channel.WEB, path=reverse("s:answer", args=[code])
    )


@login_not_required
@require_GET
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    get_object_or_404(SurveyUnit, code=code)
    return render(request, "surveys/thanks.html")


@require_http_methods(["GET", "POST"])
@role_required(*READERS)
def interview(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """Interviewer mode: staff type in the answers given by telephone (recorded as such)."""
    entry = get_survey_unit_for_user(request.user, pk, unit_pk)
    if entry.round.instrument.code != "EIT":
        raise Http404
    path = reverse("surveys:interview", args=[pk, unit_pk])
    return _form(request, entry, channel=Response.Channel.TELEPHONE, path=path)


def _form(request: HttpRequest, entry: SurveyUnit, *, channel: str, path: str) -> HttpResponse:
    survey = entry.round
    today = timezone.localdate()
    if not survey.accepts_answers(today):
        not_yet = survey.state == SurveyRound.State.DRAFT or (
            survey.state == SurveyRound.State.OPEN and today < survey.opens_on
        )
        context = {"survey": survey, "not_yet": not_yet, "before": today < survey.opens_on}
        return render(request, "surveys/closed.html", context, status=410)
    questionnaire = selectors.questionnaire_for(survey)
    if not questionnaire.groups:  # its version lost its scales after opening: nothing to ask
        return render(request, "surveys/closed.html", {"survey": survey}, status=410)
    draft = _draft(request, entry)
    base = {
        "entry": entry,
        "survey": survey,
        "channel": channel,
        "path": path,
        "groups": len(questionnaire.groups),
        "interview": channel != Response.Channel.WEB,
        "min_shown": settings.SURVEY_MIN_RESPONDENTS,
    }
    if draft is None:
        return _start(request, entry, channel=channel, path=path, base=base)
    last = len(questionnaire.groups)
    if request.method == "POST" and request.POST.get("action") == "start":
        return redirect(f"{path}?step={draft.step}")  # started already: back where they were
    if request.method == "GET":
        step = _step(request.GET.get("step"), default=draft.step, last=last)
        return _screen(request, questionnaire, draft.answers, step, base)
    step = _step(request.POST.get("step"), default=draft.step, last=last)
    posted = questionnaire.clean(request.POST, group=step - 1)
    action = request.POST.get("action", "next")
    if action == "back":
        services.draft_save(draft=draft, answers=posted, step=max(step - 1, 1))
        return redirect(f"{path}?step={max(step - 1, 1)}")
    merged = {**draft.answers, **posted}
    missing = questionnaire.missing(merged, group=step - 1)
    if missing:
        return _screen(request, questionnaire, merged, step, base, missing=missing, status=400)
    if step < last:
        services.draft_save(draft=draft, answers=posted, step=step + 1)
        return redirect(f"{path}?step={step + 1}")
    services.draft_save(draft=draft, answers=posted, step=step)
    try:
        services.response_submit(draft=draft, questionnaire=questionnaire)
    except services.AlreadySubmitted:
        pass
    except ValidationError as error:
        if error.code != "incomplete":
            return _start(request, entry, channel=channel, path=path, base=base, error=error)
        item = questionnaire.missing(merged)[0]
        return _screen(
            request,
            questionnaire,
            merged,
            questionnaire.group_of(item) + 1,
            base,
            missing=[item],
            status=400,
        )
    if channel == Response.Channel.WEB:
        response = redirect("s:thanks", code=entry.code)
    else:
        messages.success(request, _("The interview's answers are recorded."))
        response = redirect(path)
    response.delete_cookie(COOKIE, path=path)
    return response


def _draft(request: HttpRequest, entry: SurveyUnit) -> Draft | None:
    token = request.COOKIES.get(COOKIE, "")
    if not token or len(token) > 100:
        return None
    return Draft.objects.filter(survey_unit=entry, token_hash=services.token_hash(token)).first()


def _step(value: str | None, *, default: int, last: int) -> int:
    try:
        step = int(value) if value else default
    except ValueError:
        step = default
    return min(max(step, 1), last)


def _start(request, entry, *, channel, path, base, error: ValidationError | None = None):
    """The first screen (who asks, the PDPA notice, a code field); its button starts a draft."""
    errors = list(error.messages) if error else []
    if request.method == "POST" and request.POST.get("action") == "start" and not errors:
        if channel == Response.Channel.WEB and not start_allowed(
            link=entry.code, client=client_ip(request)
        ):
            errors = [_("Too many forms were started on this link just now. Try again soon.")]
            return render(request, "surveys/start.html", {**base, "errors": errors}, status=429)
        try:
            _draft_row, token = services.draft_start(
                entry=entry, channel=channel, code=request.POST.get("code", "")
            )
        except ValidationError as refused:
            errors = list(refused.messages)
        else:
            response = redirect(f"{path}?step=1")
            response.set_cookie(
                COOKIE,
                token,
                max_age=settings.SURVEY_DRAFT_DAYS * 86400,
                path=path,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return response
    elif request.method == "POST" and not errors:
        errors = [
            _("Your answers were not found (they are kept for %(days)s days). Please start again.")
            % {"days": settings.SURVEY_DRAFT_DAYS}
        ]
    status = 400 if errors else 200
    return render(request, "surveys/start.html", {**base, "errors": errors}, status=status)


def _screen(request, questionnaire, answers, step, base, *, missing=(), status=200):
    group = questionnaire.groups[step - 1]
    missing_keys = {item.key for item in missing}
    rows = [
        {"item": item, "chosen": answers.get(item.key, ""), "missing": item.key in missing_keys}
        for item in group.items
    ]
    context = {
        **base,
        "group": group,
        "rows": rows,
        "step": step,
        "missing": list(missing),
        "last": step == len(questionnaire.groups),
        "percent": round(100 * (step - 1) / len(questionnaire.groups)),
    }
    return render(request, "surveys/screen.html", context, status=status)

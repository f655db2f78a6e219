"""The steps of a unit's answer form, shared by the respondents' link and interviewer mode.

The form keeps a respondent's answers in a server-side draft found by a random token in a
cookie scoped to the link's path: it survives a closed tab, needs no login and no session, and
says nothing about who answers. Every screen is a plain form (no JavaScript needed).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.security import client_ip
from surveys import selectors, services
from surveys.models import Draft, Response, SurveyRound, SurveyUnit
from surveys.questionnaire import Questionnaire
from surveys.throttle import start_allowed

COOKIE = "ita_survey"


@dataclass(frozen=True)
class _Page:
    """One request to a unit's form: where it is served, through which channel, what it asks."""

    request: HttpRequest
    entry: SurveyUnit
    channel: str
    path: str
    questionnaire: Questionnaire

    @property
    def last(self) -> int:
        return len(self.questionnaire.groups)

    @property
    def base(self) -> dict:
        return {
            "entry": self.entry,
            "survey": self.entry.round,
            "channel": self.channel,
            "path": self.path,
            "groups": self.last,
            "interview": self.channel != Response.Channel.WEB,
            "min_shown": settings.SURVEY_MIN_RESPONDENTS,
        }


def serve(request: HttpRequest, entry: SurveyUnit, *, channel: str, path: str) -> HttpResponse:
    """Answer one request to a unit's form: closed, the first screen, or a screen of questions."""
    survey = entry.round
    today = timezone.localdate()
    if not survey.accepts_answers(today):
        return _closed(request, survey, today)
    questionnaire = selectors.questionnaire_for(survey)
    if not questionnaire.groups:  # its version lost its scales after opening: nothing to ask
        return render(request, "surveys/closed.html", {"survey": survey}, status=410)
    page = _Page(request, entry, channel, path, questionnaire)
    draft = _draft(request, entry)
    if draft is None:
        return _start(page)
    if request.method == "POST" and request.POST.get("action") == "start":
        return redirect(f"{path}?step={draft.step}")  # started already: back where they were
    if request.method == "GET":
        step = _step(request.GET.get("step"), default=draft.step, last=page.last)
        return _screen(page, draft.answers, step)
    return _posted(page, draft)


def _closed(request: HttpRequest, survey: SurveyRound, today: datetime.date) -> HttpResponse:
    not_yet = survey.state == SurveyRound.State.DRAFT or (
        survey.state == SurveyRound.State.OPEN and today < survey.opens_on
    )
    context = {"survey": survey, "not_yet": not_yet, "before": today < survey.opens_on}
    return render(request, "surveys/closed.html", context, status=410)


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


def _posted(page: _Page, draft: Draft) -> HttpResponse:
    """Keep a screen's answers, then go back, forward, or submit the form from its last screen."""
    request, questionnaire, path = page.request, page.questionnaire, page.path
    step = _step(request.POST.get("step"), default=draft.step, last=page.last)
    posted = questionnaire.clean(request.POST, group=step - 1)
    if request.POST.get("action", "next") == "back":
        services.draft_save(draft=draft, answers=posted, step=max(step - 1, 1))
        return redirect(f"{path}?step={max(step - 1, 1)}")
    merged = {**draft.answers, **posted}
    missing = questionnaire.missing(merged, group=step - 1)
    if missing:
        return _screen(page, merged, step, missing=missing, status=400)
    if step < page.last:
        services.draft_save(draft=draft, answers=posted, step=step + 1)
        return redirect(f"{path}?step={step + 1}")
    services.draft_save(draft=draft, answers=posted, step=step)
    return _submit(page, draft, merged)


def _submit(page: _Page, draft: Draft, merged: dict) -> HttpResponse:
    """Turn the draft into a response; send the respondent on, and forget the draft's cookie."""
    try:
        services.response_submit(draft=draft, questionnaire=page.questionnaire)
    except services.AlreadySubmitted:
        pass
    except ValidationError as error:
        if error.code != "incomplete":
            return _start(page, error=error)
        item = page.questionnaire.missing(merged)[0]
        step = page.questionnaire.group_of(item) + 1
        return _screen(page, merged, step, missing=[item], status=400)
    if page.channel == Response.Channel.WEB:
        response = redirect("s:thanks", code=page.entry.code)
    else:
        messages.success(page.request, _("The interview's answers are recorded."))
        response = redirect(page.path)
    response.delete_cookie(COOKIE, path=page.path)
    return response


def _start(page: _Page, error: ValidationError | None = None) -> HttpResponse:
    """The first screen (who asks, the PDPA notice, a code field); its button starts a draft."""
    request = page.request
    errors = list(error.messages) if error else []
    if request.method == "POST" and request.POST.get("action") == "start" and not errors:
        if page.channel == Response.Channel.WEB and not start_allowed(
            link=page.entry.code, client=client_ip(request)
        ):
            errors = [_("Too many forms were started on this link just now. Try again soon.")]
            context = {**page.base, "errors": errors}
            return render(request, "surveys/start.html", context, status=429)
        try:
            _draft_row, token = services.draft_start(
                entry=page.entry, channel=page.channel, code=request.POST.get("code", "")
            )
        except ValidationError as refused:
            errors = list(refused.messages)
        else:
            return _started(page, token)
    elif request.method == "POST" and not errors:
        errors = [
            _("Your answers were not found (they are kept for %(days)s days). Please start again.")
            % {"days": settings.SURVEY_DRAFT_DAYS}
        ]
    status = 400 if errors else 200
    return render(request, "surveys/start.html", {**page.base, "errors": errors}, status=status)


def _started(page: _Page, token: str) -> HttpResponse:
    """Go to the first screen with the new draft's token in a cookie for this form's path only."""
    response = redirect(f"{page.path}?step=1")
    response.set_cookie(
        COOKIE,
        token,
        max_age=settings.SURVEY_DRAFT_DAYS * 86400,
        path=page.path,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _screen(
    page: _Page, answers: dict, step: int, *, missing=(), status: int = 200
) -> HttpResponse:
    group = page.questionnaire.groups[step - 1]
    missing_keys = {item.key for item in missing}
    rows = [
        {"item": item, "chosen": answers.get(item.key, ""), "missing": item.key in missing_keys}
        for item in group.items
    ]
    context = {
        **page.base,
        "group": group,
        "rows": rows,
        "step": step,
        "missing": list(missing),
        "last": step == page.last,
        "percent": round(100 * (step - 1) / page.last),
    }
    return render(page.request, "surveys/screen.html", context, status=status)

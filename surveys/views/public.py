"""The respondents' form at /s/<code>/: no login; the link's code is the permission."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from surveys.models import Response, SurveyUnit
from surveys.views import flow


@login_not_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, code: str) -> HttpResponse:
    """A respondent's form: no login; an unknown link is 404, a closed one says so."""
    entry = get_object_or_404(
        SurveyUnit.objects.select_related("round__instrument__version", "round__agency", "unit"),
        code=code,
    )
    return flow.serve(
        request, entry, channel=Response.Channel.WEB, path=reverse("s:answer", args=[code])
    )


@login_not_required
@require_GET
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    get_object_or_404(SurveyUnit, code=code)
    return render(request, "surveys/thanks.html")

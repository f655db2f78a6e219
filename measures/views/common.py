"""What the measures pages share: messages from errors, links to report pages, form pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from measures.models import Plan, ProgressReport


def error_messages(request: HttpRequest, error: ValidationError) -> None:
    """Show each message of a refusal at the top of the next page."""
    for message in error.messages:
        messages.error(request, message)


def form_messages(request: HttpRequest, form: Form) -> None:
    """Show each error of an invalid form at the top of the next page."""
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


def report_url(report: ProgressReport) -> str:
    """Link to the page of a report: its activity in its round."""
    return reverse("measures:report", args=[report.activity_id, report.round_id])


def form_page(
    request: HttpRequest,
    title: str,
    form,
    plan: Plan | None,
    back: str,
    template: str = "measures/form.html",
) -> HttpResponse:
    """Render a building form: 200 when fresh, 400 when sent back with errors."""
    return render(
        request,
        template,
        {"form": form, "title": title, "plan": plan, "back": back},
        status=400 if form.is_bound else 200,
    )


PER_PAGE = 20


def paged(request: HttpRequest, rows: list, param: str = "page") -> Page:
    """Return the page of rows the request asks for in `param` (the last one past the end)."""
    return Paginator(rows, PER_PAGE).get_page(request.GET.get(param))

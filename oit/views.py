"""Pages of the OIT self-check under /oit/: rounds, items, review, approval, dashboard, exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ita_portal.access import (
    can_answer_oit_item,
    can_approve_oit,
    can_manage_oit,
    can_review_oit,
    get_oit_file_for_user,
    get_oit_item_for_user,
    get_oit_round_for_user,
    get_rw_oit_agency_for_user,
    get_rw_oit_file_for_user,
    get_rw_oit_item_for_user,
)
from measures.views.common import error_messages, form_messages
from oit import exports, selectors, services, tasks
from oit.forms import AnswerForm, AssignForm, FileForm, ReviewForm, RoundForm
from oit.models import OitRound


def _round_url(round_: OitRound) -> str:
    return reverse("oit:round", args=[round_.fiscal_year])


def _item_url(item) -> str:
    return reverse("oit:item", args=[item.pk])


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """List the agency's OIT rounds; admins start a new one."""
    rounds = OitRound.objects.for_user(request.user).filter(agency_id=request.user.agency_id)
    agency = request.user.agency
    can_create = agency is not None and can_manage_oit(request.user, agency)
    return render(
        request,
        "oit/index.html",
        {"rounds": rounds, "form": RoundForm() if can_create else None},
    )


@require_POST
def round_create(request: HttpRequest) -> HttpResponse:
    """Start the OIT round of a year from the year's instrument version."""
    agency = get_rw_oit_agency_for_user(request.user)
    form = RoundForm(request.POST)
    if not form.is_valid():
        form_messages(request, form)
        return redirect("oit:index")
    try:
        round_ = services.round_create(
            agency=agency, fiscal_year=form.cleaned_data["fiscal_year"], user=request.user
        )
    except ValidationError as error:
        error_messages(request, error)
        return redirect("oit:index")
    messages.success(request, _("The OIT round was started."))
    return redirect(_round_url(round_))


@require_GET
def round_detail(request: HttpRequest, year: int) -> HttpResponse:
    """Show a round's items with their unit, status, workflow state and links."""
    round_ = get_oit_round_for_user(request.user, year)
    items = list(selectors.round_items(round_))
    today = timezone.localdate()
    for item in items:
        item.overdue = item.is_overdue(today)
    user, agency = request.user, round_.agency
    return render(
        request,
        "oit/round.html",
        {
            "round": round_,
            "items": items,
            "can_manage": can_manage_oit(user, agency),
            "can_review": can_review_oit(user, agency),
            "can_approve": can_approve_oit(user, agency) and not round_.is_approved,
        },
    )


@require_GET
def dashboard(request: HttpRequest, year: int) -> HttpResponse:
    """Show items by status, sub-indicator and unit, overdue items and the predicted score."""
    round_ = get_oit_round_for_user(request.user, year)
    board = selectors.dashboard(round_, timezone.localdate())
    return render(request, "oit/dashboard.html", {"round": round_, "board": board})


@require_POST
def round_approve(request: HttpRequest, year: int) -> HttpResponse:
    """The head approves the whole self-check."""
    round_ = get_oit_round_for_user(request.user, year)
    if not can_approve_oit(request.user, round_.agency):
        raise PermissionDenied
    try:
        services.round_approve(round_=round_, user=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The OIT self-check was approved."))
    return redirect(_round_url(round_))


@require_POST
def round_check_links(request: HttpRequest, year: int) -> HttpResponse:
    """Check every link of the round now (in the background where a worker runs)."""
    round_ = get_oit_round_for_user(request.user, year)
    if not can_review_oit(request.user, round_.agency):
        raise PermissionDenied
    result = tasks.check_links.enqueue(round_.pk)
    if result.is_finished:
        messages.success(request, _("The links were checked."))
    else:
        messages.success(request, _("The links are being checked; reload the page shortly."))
    return redirect(_round_url(round_))


@require_GET
def export_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    """Download the items with their links in the shape agencies copy into ITAS."""
    round_ = get_oit_round_for_user(request.user, year)
    response = HttpResponse(
        exports.items_workbook(round_),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="oit-{round_.fiscal_year}.xlsx"'
    return response


@require_GET
def portfolio_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """Download the OIT portfolio: each item, its requirement, links, explanation and verdict."""
    round_ = get_oit_round_for_user(request.user, year)
    response = HttpResponse(exports.portfolio_pdf(round_, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="oit-{round_.fiscal_year}.pdf"'
    return response


@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an item: requirement, assignment, answer, files, links, review and history."""
    item = get_oit_item_for_user(request.user, pk)
    user, round_ = request.user, item.round
    agency = round_.agency
    editable = not round_.is_approved
    may_answer = editable and item.is_editable_state and can_answer_oit_item(user, item)
    may_review = editable and item.state == item.State.SUBMITTED and can_review_oit(user, agency)
    links = list(item.links.all())
    suggested = selectors.suggested_urls(round_, [item.question.code]).get(item.question.code)
    context = {
        "item": item,
        "round": round_,
        "links": links,
        "files": list(item.files.all()),
        "suggested": suggested,
        "history": _history(item),
        "assign_form": _assign_form(item) if editable and can_manage_oit(user, agency) else None,
        "elements": list(item.question.sub_items.order_by("order", "code")),
        "elements_done": {element.pk for element in item.elements_done.all()},
        "answer_form": _answer_form(item, links, suggested) if may_answer else None,
        "file_form": FileForm() if may_answer else None,
        "review_form": _review_form(round_) if may_review else None,
        "acceptance_refused": may_review and item.acceptance_refused_to(user),
    }
    return render(request, "oit/item.html", context)


def _assign_form(item) -> AssignForm:
    """The assignment form, filled in with the item's unit, people, due date and requirement."""
    return AssignForm(
        agency=item.round.agency,
        initial={
            "unit": item.unit,
            "owners": list(item.owners.all()),
            "due_on": item.due_on,
            "requirement": item.requirement,
        },
    )


def _answer_form(item, links: list, suggested: str | None) -> AnswerForm:
    """The answer form, filled in with the item's answer (its links, else the suggested ones)."""
    return AnswerForm(
        item=item,
        initial={
            "elements": list(item.elements_done.all()),
            "status": item.status or None,
            "urls": "\n".join(link.url for link in links) or suggested or "",
            "explanation": item.explanation,
        },
    )


def _review_form(round_: OitRound) -> ReviewForm:
    return ReviewForm(allowed=selectors.allowed_values(round_.version))


def _history(item) -> list:
    """Return the item's last 50 changes, each with its reason in the reader's language."""
    labels = dict(item.Change.choices)
    records = list(item.history.select_related("history_user").order_by("-history_date")[:50])
    for record in records:
        record.change_label = labels.get(record.history_change_reason, "")
    return records


@require_POST
def item_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign an item to a unit and people, with a due date and its requirement."""
    item = get_oit_item_for_user(request.user, pk)
    if not can_manage_oit(request.user, item.round.agency):
        raise PermissionDenied
    form = AssignForm(request.POST, agency=item.round.agency)
    if not form.is_valid():
        form_messages(request, form)
        return redirect(_item_url(item))
    try:
        services.item_assign(item=item, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The item was assigned."))
    return redirect(_item_url(item))


@require_POST
def item_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the unit's answer, and send it to the working group when asked to."""
    item = get_rw_oit_item_for_user(request.user, pk)
    form = AnswerForm(request.POST, item=item)
    if not form.is_valid():
        form_messages(request, form)
        return redirect(_item_url(item))
    try:
        services.item_answer(item=item, user=request.user, **form.cleaned_data)
        if request.POST.get("and_submit"):
            services.item_submit(item=item, user=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        if request.POST.get("and_submit"):
            messages.success(request, _("The item was sent to the working group."))
        else:
            messages.success(request, _("The answer was saved."))
    return redirect(_item_url(item))


@require_POST
def item_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Score a submitted item and accept it, or return it for fixes."""
    item = get_oit_item_for_user(request.user, pk)
    if not can_review_oit(request.user, item.round.agency):
        raise PermissionDenied
    form = ReviewForm(request.POST, allowed=selectors.allowed_values(item.round.version))
    if not form.is_valid():
        form_messages(request, form)
        return redirect(_item_url(item))
    accept = request.POST.get("decision") == "accept"
    try:
        services.item_review(item=item, user=request.user, accept=accept, **form.cleaned_data)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(
            request, _("The item was accepted.") if accept else _("The item was returned.")
        )
    return redirect(_item_url(item))


@require_POST
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a file to an item's answer."""
    item = get_rw_oit_item_for_user(request.user, pk)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        form_messages(request, form)
        return redirect(_item_url(item))
    try:
        services.item_file_add(item=item, user=request.user, file=form.cleaned_data["file"])
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The file was attached."))
    return redirect(_item_url(item))


@require_POST
def file_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a file from an item's answer."""
    attachment = get_rw_oit_file_for_user(request.user, pk)
    try:
        services.item_file_delete(attachment=attachment, user=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The file was removed."))
    return redirect(_item_url(attachment.item))


@require_GET
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an item's file, as an attachment, to a user of its agency."""
    attachment = get_oit_file_for_user(request.user, pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response

"""The measures document's pages: the document (HTML, PDF, Word), its reports, the forms that
feed it, and its issued versions. Managers and admins of the plan's agency only (staff: 403;
another agency: 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Role
from assessments.models import Question
from ita_portal.access import (
    get_document_measure_for_user,
    get_document_plan_for_user,
    get_issued_document_for_user,
    role_required,
)
from reports import services
from reports.cache import cached_render, document_stamp
from reports.document import assessment_for_plan, document_facts
from reports.document_blocks.drafts import draft_for, narrative_keys
from reports.document_blocks.measures import measures_document
from reports.document_render import KINDS, render_document
from reports.forms import DocumentSettingsForm, DocumentTextForm, IssueForm, WeaknessApproachForm
from reports.models import (
    DocumentSettings,
    DocumentText,
    IssuedDocument,
    WeaknessApproach,
    check_key,
)
from reports.views import _cached_or_job, _digits, _download

READERS = (Role.MANAGER, Role.ADMIN)
TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _parts(plan, kind: str, fmt: str, digits: str) -> tuple:
    return ("document", plan.pk, kind, fmt, digits)


def _stamp(plan) -> str:
    return document_stamp(plan, assessment_for_plan(plan))


def _cache_entry(plan, kind: str, fmt: str, digits: str) -> tuple[tuple, str]:
    """Return the cache key parts of one of a plan's documents and the stamp of its data."""
    return _parts(plan, kind, fmt, digits), _stamp(plan)


def document_bytes(plan, kind: str, fmt: str, digits: str, stamp=None) -> bytes:
    """Return one of a plan's documents, from the shared cache or rendered once.

    stamp is the data stamp when the caller has it (the view hands its own to the job).
    """
    return cached_render(
        _parts(plan, kind, fmt, digits),
        stamp or _stamp(plan),
        lambda: render_document(plan, kind, fmt, digits),
    )


@require_GET
@role_required(*READERS)
def document(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Show a plan's measures document with its downloads, forms and issued versions."""
    plan = get_document_plan_for_user(request.user, agency, year)
    digits = _digits(request)
    data = document_facts(plan)
    blocks = measures_document(data, digits)
    context = {
        "plan": plan,
        "agency": data["agency"],
        "blocks": blocks,
        "d": digits,
        "narratives": [
            {"key": key, "label": _narrative_label(data, key), "saved": key in data["texts"]}
            for key in narrative_keys(data)
        ],
        "links": _weak_links(plan, data),
        "issued": list(plan.issued_documents.select_related("issued_by")),
        "issue_form": IssueForm(),
        "kinds": KINDS,
    }
    return render(request, "reports/measures.html", context)


def _narrative_label(data: dict, key: str) -> str:
    if key.startswith("indicator-"):
        return _("Analysis of indicator %(number)s") % {"number": key.split("-", 1)[1]}
    return {
        "foreword": _("Foreword"),
        "summary": _("Executive summary"),
        "suggestions_internal": _("Suggestions from the internal stakeholders (IIT)"),
        "suggestions_external": _("Suggestions from the external stakeholders (EIT)"),
        "suggestions_nacc": _("Suggestions from NACC"),
    }[key]


def _weak_links(plan, data: dict) -> list[dict]:
    """Each weak question a measure of the plan answers, with its approach if entered."""
    result = data["result"]
    if not result:
        return []
    weak = {q["code"]: q for q in result["weak_questions"]}
    entered = {(a["measure_number"], a["code"]) for a in data["approaches"]}
    links = []
    for m in data["measures"]:
        codes = list(
            dict.fromkeys(m["questions"] + [c for a in m["activities"] for c in a["questions"]])
        )
        for code in sorted((c for c in codes if c in weak), key=lambda c: weak[c]["score"]):
            links.append(
                {
                    "measure_pk": m["pk"],
                    "measure_number": m["number"],
                    "code": code,
                    "score": weak[code]["score"],
                    "entered": (m["number"], code) in entered,
                }
            )
    return links


# The job's title in the user's list of background jobs.
TITLES = {
    "measures": gettext_lazy("Measures document %(format)s, %(agency)s, fiscal year %(year)s"),
    "twelve-month": gettext_lazy(
        "Twelve-month report %(format)s, %(agency)s, fiscal year %(year)s"
    ),
    "o25": gettext_lazy("O25 report %(format)s, %(agency)s, fiscal year %(year)s"),
}


def _document_download(request, agency: str, year: int, kind: str, fmt: str) -> HttpResponse:
    """Serve the document from the cache, or render it in the background (the job's page)."""
    plan = get_document_plan_for_user(request.user, agency, year)
    digits = _digits(request)
    title = TITLES[kind] % {
        "format": "PDF" if fmt == "pdf" else "Word",
        "agency": plan.agency.abbreviation or agency,
        "year": year,
    }
    data = _cached_or_job(
        request,
        *_cache_entry(plan, kind, fmt, digits),
        "document",
        title,
        {
            "plan": plan.pk,
            "kind": kind,
            "format": fmt,
            "digits": digits,
            "url": request.get_full_path(),
        },
        lambda stamp: document_bytes(plan, kind, fmt, digits, stamp),
    )
    if isinstance(data, HttpResponse):
        return data
    return _download(data, TYPES[fmt], f"ita-{kind}-{agency}-{year}.{fmt}")


@require_GET
@role_required(*READERS)
def measures_pdf(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Download the measures document as PDF."""
    return _document_download(request, agency, year, "measures", "pdf")


@require_GET
@role_required(*READERS)
def measures_docx(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Download the measures document as Word."""
    return _document_download(request, agency, year, "measures", "docx")


@require_GET
@role_required(*READERS)
def report_download(request: HttpRequest, agency: str, year: int, kind: str, fmt: str):
    """Download the twelve-month or the O25 report as PDF or Word."""
    if kind not in ("twelve-month", "o25") or fmt not in TYPES:
        raise Http404
    return _document_download(request, agency, year, kind, fmt)


def _form_page(request: HttpRequest, agency: str, year: int, **context) -> HttpResponse:
    """One of the document's forms, with the way back to the document."""
    back = reverse("reports:measures", args=[agency, year])
    return render(request, "reports/measures_form.html", {**context, "back": back})


@require_http_methods(["GET", "POST"])
@role_required(*READERS)
def text_edit(request: HttpRequest, agency: str, year: int, key: str) -> HttpResponse:
    """Edit one narrative of the document, starting from the saved text or the draft."""
    plan = get_document_plan_for_user(request.user, agency, year)
    try:
        check_key(key)
    except ValidationError:
        raise Http404 from None
    data = document_facts(plan)
    if key not in narrative_keys(data):
        raise Http404
    saved = DocumentText.objects.filter(plan=plan, key=key).first()
    draft = draft_for(data, key)
    form = DocumentTextForm(request.POST or None, initial={"text": saved.text if saved else draft})
    if request.method == "POST" and form.is_valid():
        services.document_text_set(
            plan=plan, key=key, text=form.cleaned_data["text"], user=request.user
        )
        messages.success(request, _("The text was saved."))
        return redirect("reports:measures", agency, year)
    title = _narrative_label(data, key)
    return _form_page(
        request, agency, year, plan=plan, form=form, title=title, draft=draft, saved=saved
    )


@require_http_methods(["GET", "POST"])
@role_required(*READERS)
def settings_edit(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Edit the issuing unit, the date, the signer and the cover memo."""
    plan = get_document_plan_for_user(request.user, agency, year)
    row = DocumentSettings.objects.filter(plan=plan).first() or DocumentSettings(plan=plan)
    form = DocumentSettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        services.document_settings_set(settings=form.save(commit=False), user=request.user)
        messages.success(request, _("The document's details were saved."))
        return redirect("reports:measures", agency, year)
    title = _("Issuing unit, date and memo")
    return _form_page(request, agency, year, plan=plan, form=form, title=title)


@require_http_methods(["GET", "POST"])
@role_required(*READERS)
def approach_edit(
    request: HttpRequest, agency: str, year: int, measure_pk: int, code: str
) -> HttpResponse:
    """Edit the approach and the responsible units of one weakness a measure answers."""
    plan = get_document_plan_for_user(request.user, agency, year)
    measure = get_document_measure_for_user(request.user, plan, measure_pk)
    links = {(link["measure_pk"], link["code"]) for link in _weak_links(plan, document_facts(plan))}
    if (measure.pk, code) not in links:
        raise Http404
    assessment = assessment_for_plan(plan)
    question = Question.objects.get(version_id=assessment.version_id, code=code)
    row = WeaknessApproach.objects.filter(measure=measure, question=question).first()
    initial = {"approach": row.approach, "responsible": row.responsible} if row else {}
    form = WeaknessApproachForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.weakness_approach_set(
            measure=measure, question=question, user=request.user, **form.cleaned_data
        )
        messages.success(request, _("The approach was saved."))
        return redirect("reports:measures", agency, year)
    title = _("Approach to %(code)s, measure %(number)s") % {"code": code, "number": measure.number}
    return _form_page(request, agency, year, plan=plan, form=form, title=title, question=question)


@require_POST
@role_required(*READERS)
def issue(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Store the live document as an issued version (file, date, who issued it)."""
    plan = get_document_plan_for_user(request.user, agency, year)
    form = IssueForm(request.POST)
    if not form.is_valid():
        raise BadRequest("bad issue form")
    kind, fmt = form.cleaned_data["kind"], form.cleaned_data["format"]
    digits = "thai" if form.cleaned_data["thai_digits"] else ""
    data = render_document(plan, kind, fmt, digits)
    services.document_issue(
        plan=plan, kind=kind, fmt=fmt, thai_digits=bool(digits), data=data, user=request.user
    )
    messages.success(request, _("The document was issued and stored."))
    return redirect("reports:measures", agency, year)


@require_GET
@role_required(*READERS)
def issued(request: HttpRequest, agency: str, year: int, pk: int) -> FileResponse:
    """Download an issued version as it was stored."""
    plan = get_document_plan_for_user(request.user, agency, year)
    row: IssuedDocument = get_issued_document_for_user(request.user, plan, pk)
    response = FileResponse(
        row.file.open("rb"),
        as_attachment=True,
        filename=f"ita-{row.kind}-{agency}-{year}-{row.issued_at:%Y%m%d}.{row.format}",
        content_type=TYPES[row.format],
    )
    response["Cache-Control"] = "private, no-cache"
    return response

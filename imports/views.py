"""Score import pages: upload → preview → confirm, batches, rollback, downloads, the format.

Every page is an agency admin's or a data steward's; each sees and changes only what
`ita_portal/access.py` lets them (an admin: their agency's batches and uploads).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Role
from imports.background import stage_upload
from imports.cleaning import FALSE_WORDS, MAX_NUMBER_CHARS, MAX_YEAR, MIN_YEAR, TRUE_WORDS
from imports.exports import scores_export, template_build
from imports.format import SHEETS
from imports.forms import ExportForm, TemplateForm, UploadForm
from imports.limits import limits
from imports.models import ImportBatch
from imports.pending import count_table, headline_problems, pending_page
from imports.report import STATUSES
from imports.services import batch_rollback, batch_written, scores_import
from ita_portal.access import (
    get_batch_for_user,
    get_pending_for_user,
    get_rw_batch_for_user,
    get_rw_pending_for_user,
    role_required,
)
from jobs.models import Job
from jobs.services import enqueue

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORTERS = (Role.ADMIN, Role.STEWARD)


def _lang() -> str:
    return "en" if (get_language() or "th").startswith("en") else "th"


def _index(request: HttpRequest, *, status: int = 200, report=None, **forms) -> HttpResponse:
    batches = ImportBatch.objects.for_user(request.user).select_related(
        "agency", "uploaded_by", "rolled_back_by"
    )
    context = {
        "upload_form": forms.get("upload_form") or UploadForm(),
        "template_form": forms.get("template_form") or TemplateForm(),
        "export_form": forms.get("export_form") or ExportForm(user=request.user),
        "batches": Paginator(batches, 50).get_page(request.GET.get("page")),
        "report": report,
    }
    return render(request, "imports/index.html", context, status=status)


def _file_name(raw: str) -> str:
    name = "".join(ch for ch in raw.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable())
    return name.strip()[:255] or "upload.xlsx"


@require_GET
@role_required(*IMPORTERS)
def index(request: HttpRequest) -> HttpResponse:
    """List the user's import batches and offer upload, template and export."""
    return _index(request)


@require_GET
@role_required(*IMPORTERS)
def workbook_format(request: HttpRequest) -> HttpResponse:
    """Explain the workbook format from the definitions the reader itself uses."""
    context = {
        "sheets": SHEETS,
        "limits": limits(),
        "years": (MIN_YEAR, MAX_YEAR),
        "true_words": sorted(TRUE_WORDS),
        "false_words": sorted(FALSE_WORDS),
        "max_number_chars": MAX_NUMBER_CHARS,
        "lang": _lang(),
    }
    return render(request, "imports/format.html", context)


@require_POST
@role_required(*IMPORTERS)
def upload(request: HttpRequest) -> HttpResponse:
    """Keep the uploaded workbook, check it once and show its preview; refuse a big file at once."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, upload_form=form, status=400)
    file = form.cleaned_data["file"]
    name = _file_name(file.name)
    if file.size > settings.IMPORT_MAX_BYTES:
        report = scores_import(file=file, file_name=name, user=request.user, dry_run=True)
        return _index(request, upload_form=form, report=report, status=400)
    job = enqueue(
        "import_preview",
        owner=request.user,
        title=_("Checking the workbook %(name)s") % {"name": name},
        arguments={"staged": stage_upload(file), "file_name": name},
    )
    if job.status == Job.Status.DONE:
        return redirect(job.result_url)
    if job.status == Job.Status.FAILED:
        messages.error(request, job.message)
        return _index(request, upload_form=form, status=400)
    return redirect("jobs:detail", pk=job.pk)


@require_GET
@role_required(*IMPORTERS)
def preview(request: HttpRequest, sha256: str) -> HttpResponse:
    """Show a page of the stored check: every row, or those of one status, new to error."""
    pending = get_pending_for_user(request.user, sha256)
    shown = request.GET.get("status", "")
    shown = shown if shown in STATUSES else ""
    sheet_counts, total_counts = count_table(pending)
    problems, more_problems = headline_problems(pending)
    context = {
        "report": pending,
        "problems": problems,
        "more_problems": more_problems,
        "page": pending_page(pending=pending, status=shown, number=request.GET.get("page")),
        "shown": shown,
        "statuses": STATUSES,
        "sheet_counts": sheet_counts,
        "total_counts": total_counts,
        "earlier_batches": ImportBatch.objects.for_user(request.user).filter(
            sha256=sha256, status=ImportBatch.Status.COMMITTED
        ),
    }
    return render(request, "imports/preview.html", context)


@require_POST
@role_required(*IMPORTERS)
def confirm(request: HttpRequest, sha256: str) -> HttpResponse:
    """Store the checked workbook once, all of it or nothing, against today's data."""
    pending = get_rw_pending_for_user(request.user, sha256)
    job = enqueue(
        "import_commit",
        owner=request.user,
        title=_("Importing the workbook %(name)s") % {"name": pending.file_name},
        arguments={"sha256": sha256},
    )
    if job.is_active:
        return redirect("jobs:detail", pk=job.pk)
    if job.status == Job.Status.FAILED:
        messages.error(request, job.message)
        pending.refresh_from_db()
        if pending.batch_id:
            return redirect("imports:batch", pk=pending.batch_id)
        return redirect("imports:preview", sha256=sha256)
    messages.success(request, job.message)
    return redirect(job.result_url)


@require_GET
@role_required(*IMPORTERS)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show what a batch wrote and offer its rollback."""
    batch = get_batch_for_user(request.user, pk)
    context = {"batch": batch, "written": batch_written(batch=batch)}
    return render(request, "imports/batch.html", context)


@require_POST
@role_required(*IMPORTERS)
def rollback(request: HttpRequest, pk: int) -> HttpResponse:
    """Roll a batch back, restoring what it replaced."""
    batch = get_rw_batch_for_user(request.user, pk)
    try:
        batch_rollback(batch=batch, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The import was rolled back."))
    return redirect("imports:batch", pk=pk)


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@role_required(*IMPORTERS)
def template(request: HttpRequest) -> HttpResponse:
    """Download an empty workbook for a year's instrument version, rows for the admin's agency."""
    form = TemplateForm(request.GET)
    if not form.is_valid():
        return _index(request, template_form=form, status=400)
    version = form.cleaned_data["version"]
    agencies = [request.user.agency] if request.user.agency else []
    content = template_build(version=version, agencies=agencies, lang=_lang())
    return _xlsx(content, f"ita-{version.fiscal_year}-template.xlsx")


@require_GET
@role_required(*IMPORTERS)
def export(request: HttpRequest) -> HttpResponse:
    """Download a year's scores or an agency's history in the import format (own agency only)."""
    form = ExportForm(request.GET, user=request.user)
    if not form.is_valid():
        return _index(request, export_form=form, status=400)
    year, agency = form.cleaned_data["year"], form.cleaned_data["agency"]
    content = scores_export(fiscal_year=year, agency=agency, lang=_lang())
    parts = ["ita", agency.code if agency else "", str(year or "")]
    return _xlsx(content, "-".join(part for part in parts if part) + ".xlsx")

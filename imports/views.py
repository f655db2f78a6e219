"""Admin pages for score imports: upload → preview → confirm, batches, rollback, downloads."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Role
from imports.exports import scores_export, template_build
from imports.forms import ExportForm, TemplateForm, UploadForm
from imports.models import ImportBatch
from imports.pending import pending_discard, pending_path, pending_store
from imports.report import CHANGED, NEW, STATUSES, ImportReport
from imports.services import batch_rollback, batch_written, scores_import
from ita_portal.access import role_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _lang() -> str:
    return "en" if (get_language() or "th").startswith("en") else "th"


def _index(
    request: HttpRequest, *, status: int = 200, report: ImportReport | None = None, **forms
) -> HttpResponse:
    batches = Paginator(
        ImportBatch.objects.select_related("uploaded_by", "rolled_back_by"), 50
    ).get_page(request.GET.get("page"))
    context = {
        "upload_form": forms.get("upload_form") or UploadForm(),
        "template_form": forms.get("template_form") or TemplateForm(),
        "export_form": forms.get("export_form") or ExportForm(),
        "batches": batches,
        "report": report,
    }
    return render(request, "imports/index.html", context, status=status)


def _file_name(raw: str) -> str:
    name = "".join(ch for ch in raw.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable())
    return name.strip()[:255] or "upload.xlsx"


@require_GET
@role_required(Role.ADMIN)
def index(request: HttpRequest) -> HttpResponse:
    """List the import batches and offer upload, template and export."""
    return _index(request)


@require_POST
@role_required(Role.ADMIN)
def upload(request: HttpRequest) -> HttpResponse:
    """Keep the uploaded workbook and show its preview; refuse an oversized file at once."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, upload_form=form, status=400)
    file = form.cleaned_data["file"]
    name = _file_name(file.name)
    if file.size > settings.IMPORT_MAX_BYTES:
        report = scores_import(file=file, file_name=name, user=request.user, dry_run=True)
        return _index(request, upload_form=form, report=report, status=400)
    sha256 = pending_store(file=file)
    url = reverse("imports:preview", args=[sha256])
    return redirect(f"{url}?{urlencode({'name': name})}")


@require_GET
@role_required(Role.ADMIN)
def preview(request: HttpRequest, sha256: str) -> HttpResponse:
    """Show each row of the waiting workbook as new, changed, unchanged, skipped or an error."""
    path = _pending(sha256)
    name = _file_name(request.GET.get("name", ""))
    with path.open("rb") as file:
        report = scores_import(file=file, file_name=name, user=request.user, dry_run=True)
    if report.refused and not report.rows:
        pending_discard(sha256=sha256)
    shown = request.GET.get("status", "")
    rows = [row for row in report.rows if row.status == shown] if shown in STATUSES else report.rows
    context = {
        "report": report,
        "sha256": sha256,
        "rows": rows[:1000],
        "shown": shown,
        "statuses": STATUSES,
        "sheet_counts": [
            (sheet, [counts[status] for status in STATUSES])
            for sheet, counts in report.sheet_counts.items()
        ],
        "total_counts": [(status, report.counts[status]) for status in STATUSES],
    }
    return render(request, "imports/preview.html", context)


def _pending(sha256: str):
    try:
        path = pending_path(sha256)
    except ValueError:
        raise Http404 from None
    if not path.is_file():
        raise Http404
    return path


@require_POST
@role_required(Role.ADMIN)
def confirm(request: HttpRequest, sha256: str) -> HttpResponse:
    """Commit the waiting workbook all at once, checking it again against today's data."""
    path = _pending(sha256)
    name = _file_name(request.POST.get("file_name", ""))
    with path.open("rb") as file:
        report = scores_import(file=file, file_name=name, user=request.user, dry_run=False)
    if report.refused:
        messages.error(request, _("Nothing was imported: the file has errors."))
        url = reverse("imports:preview", args=[sha256])
        return redirect(f"{url}?{urlencode({'name': name})}")
    pending_discard(sha256=sha256)
    if report.batch is None:
        messages.info(request, _("Nothing to import: every row is already stored."))
        return redirect("imports:index")
    messages.success(
        request,
        _("Imported %(new)s new and %(changed)s changed rows.")
        % {"new": report.counts[NEW], "changed": report.counts[CHANGED]},
    )
    return redirect("imports:batch", pk=report.batch.pk)


@require_GET
@role_required(Role.ADMIN)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show what a batch wrote and offer its rollback."""
    batch = get_object_or_404(
        ImportBatch.objects.select_related("uploaded_by", "rolled_back_by"), pk=pk
    )
    context = {"batch": batch, "written": batch_written(batch=batch)}
    return render(request, "imports/batch.html", context)


@require_POST
@role_required(Role.ADMIN)
def rollback(request: HttpRequest, pk: int) -> HttpResponse:
    """Roll a batch back, restoring what it replaced."""
    batch = get_object_or_404(ImportBatch, pk=pk)
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
@role_required(Role.ADMIN)
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
@role_required(Role.ADMIN)
def export(request: HttpRequest) -> HttpResponse:
    """Download a year's scores or an agency's history in the import format."""
    form = ExportForm(request.GET)
    if not form.is_valid():
        return _index(request, export_form=form, status=400)
    year, agency = form.cleaned_data["year"], form.cleaned_data["agency"]
    content = scores_export(fiscal_year=year, agency=agency, lang=_lang())
    parts = ["ita", agency.code if agency else "", str(year or "")]
    return _xlsx(content, "-".join(part for part in parts if part) + ".xlsx")

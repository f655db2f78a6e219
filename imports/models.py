"""The import's own rows: each committed batch, which every row it wrote points back to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Agency, User
from assessments.models import YEAR_VALIDATORS


class ImportBatchQuerySet(models.QuerySet):
    def for_user(self, user: User) -> ImportBatchQuerySet:
        """Return the batches a user may see: their agency's; every batch for a data steward."""
        if user.is_steward:
            return self
        if user.agency_id is None:
            return self.none()
        return self.filter(agency_id=user.agency_id)


class ImportBatch(models.Model):
    """One committed spreadsheet import; every row it wrote points back here."""

    class Status(models.TextChoices):
        COMMITTED = "committed", _("Committed")
        ROLLED_BACK = "rolled_back", _("Rolled back")

    # The agency whose rows the batch wrote; empty for a data steward's batch of several agencies
    # (portal-wide reference data, seen by stewards only).
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_batches",
        verbose_name=_("agency"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_batches",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    fiscal_year = models.PositiveIntegerField(
        _("fiscal year (B.E.)"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.COMMITTED)
    rolled_back_at = models.DateTimeField(_("rolled back at"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rolled_back_batches",
        verbose_name=_("rolled back by"),
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    # The tables keep the names they had when the model lived in assessments: moving the model
    # moved no data (migrations imports/0001 and assessments/0002 change only Django's state).
    history = HistoricalRecords(table_name="assessments_historicalimportbatch")

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        db_table = "assessments_importbatch"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.sha256[:12]})"


class PendingImportQuerySet(models.QuerySet):
    def for_user(self, user: User) -> PendingImportQuerySet:
        """Return the uploads a user may preview and confirm: their own, and only theirs."""
        return self.filter(uploaded_by_id=user.pk)


class PendingImport(models.Model):
    """An uploaded workbook waiting for its confirmation, with its dry run's result stored once.

    The per-row result is kept in pages (PendingPage), so the preview shows, filters and pages
    every row of a national file without checking it again; the status is the confirmation's
    lock: only one request moves it from checked to confirming.
    """

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked")
        CONFIRMING = "confirming", _("Being stored")
        STORED = "stored", _("Stored")

    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pending_imports",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.CHECKED)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    # status → rows; [[sheet title, {status: rows}], …] in the file's order; [{code, where,
    # reason}, …] in the language of the upload
    counts = models.JSONField(_("counts"), default=dict)
    sheet_counts = models.JSONField(_("counts by sheet"), default=list)
    problems = models.JSONField(_("problems"), default=list)
    # imports.plans.data_stamp() when the file was checked: confirming reuses the checked plan
    # only while it is unchanged
    stamp = models.CharField(_("data stamp"), max_length=200, blank=True)
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import batch"),
    )

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")
        constraints = [
            models.UniqueConstraint(fields=["sha256", "uploaded_by"], name="pending_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.sha256[:12]})"

    @property
    def refused(self) -> bool:
        """Tell whether the file was refused (confirming it would change nothing)."""
        return bool(self.problems)

    @property
    def changes(self) -> int:
        """Return how many rows would add or change something."""
        return self.counts.get("new", 0) + self.counts.get("changed", 0)


class PendingPage(models.Model):
    """One page of a pending import's per-row result: all rows (status "") or one status's."""

    pending = models.ForeignKey(
        PendingImport, on_delete=models.CASCADE, related_name="pages", verbose_name=_("upload")
    )
    status = models.CharField(_("status"), max_length=20, blank=True)
    number = models.PositiveIntegerField(_("page"))
    # [[sheet, row, status, key, old, new, message], …]
    rows = models.JSONField(_("rows"), default=list)

    class Meta:
        ordering = ["pending", "status", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pending", "status", "number"], name="pending_page")
        ]

    def __str__(self) -> str:
        return f"{self.pending_id} {self.status or 'all'} {self.number}"

"""The import's own rows: each committed batch, which every row it wrote points back to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import YEAR_VALIDATORS


class ImportBatch(models.Model):
    """One committed spreadsheet import; every row it wrote points back here."""

    class Status(models.TextChoices):
        COMMITTED = "committed", _("Committed")
        ROLLED_BACK = "rolled_back", _("Rolled back")

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

    class Meta:
        db_table = "assessments_importbatch"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.sha256[:12]})"

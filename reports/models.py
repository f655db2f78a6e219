"""What the measures document needs that the portal did not hold: its texts, its approach per
weakness, who issues it and when, and the versions issued.

Each row belongs to one plan (the plan year of the document), so a later year's data never
changes an earlier document. Every change is kept (django-simple-history).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.models import Measure, Plan
from measures.models.limits import TextLimit

TEXT_LIMIT = 10000
APPROACH_LIMIT = 3000

# The document's editable narratives: fixed ones, and one per indicator ("indicator-3").
KEY_PATTERN = re.compile(
    r"(?:foreword|summary|suggestions_(?:internal|external|nacc)|indicator-\d{1,2})"
)


def check_key(key: str) -> None:
    """Refuse a text key that names no narrative of the document."""
    if not KEY_PATTERN.fullmatch(key or ""):
        raise ValidationError(_("No narrative of the document has this name."), code="bad_key")


class DocumentSettings(models.Model):
    """Who issues a plan's measures document, when, who signs, and the optional cover memo."""

    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, related_name="document_settings", verbose_name=_("plan")
    )
    issuing_unit = models.CharField(
        _("issuing unit"),
        max_length=300,
        blank=True,
        help_text=_(
            "As printed under the foreword and at the end, e.g. กลุ่มพัฒนาระบบบริหาร (กพบ.) สศอ."
        ),
    )
    issued_on = models.DateField(_("date of the document"), null=True, blank=True)
    signer_name = models.CharField(_("signed by (name)"), max_length=200, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=300, blank=True)
    memo = models.BooleanField(_("add a cover memo to the head of the agency"), default=False)
    memo_to = models.CharField(_("memo addressed to"), max_length=300, blank=True)
    memo_reference = models.CharField(_("memo reference number"), max_length=100, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id"]
        verbose_name = _("measures document settings")
        verbose_name_plural = _("measures document settings")

    def __str__(self) -> str:
        return f"{self.plan}"

    def clean(self) -> None:
        if self.memo and not self.memo_to.strip():
            raise ValidationError(
                {
                    "memo_to": ValidationError(
                        _("Say to whom the memo is addressed."), code="memo_to"
                    )
                }
            )


class DocumentText(models.Model):
    """A narrative of a plan's measures document as its agency wrote (or kept) it.

    Without a row the document shows the portal's generated draft; a row, once saved, is what
    the document shows, and no regeneration replaces it.
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="document_texts", verbose_name=_("plan")
    )
    key = models.CharField(_("narrative"), max_length=40, validators=[check_key])
    text = models.TextField(_("text"), validators=[TextLimit(TEXT_LIMIT, _("text"))])
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "key"]
        verbose_name = _("document text")
        verbose_name_plural = _("document texts")
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="document_text_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.key}"


class WeaknessApproach(models.Model):
    """How a measure answers one of the weak questions it addresses, and who is responsible (§4)."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="approaches", verbose_name=_("measure")
    )
    question = models.ForeignKey(
        "assessments.Question",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("weak question"),
    )
    approach = models.TextField(
        _("approach"), validators=[TextLimit(APPROACH_LIMIT, _("approach"))]
    )
    responsible = models.CharField(_("responsible units"), max_length=300)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure_id", "question_id"]
        verbose_name = _("approach to a weakness")
        verbose_name_plural = _("approaches to weaknesses")
        constraints = [
            models.UniqueConstraint(fields=["measure", "question"], name="approach_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.question.code}"


def issued_upload_to(instance: IssuedDocument, filename: str) -> str:
    return f"issued/{instance.plan.agency.code}/{instance.plan.fiscal_year}/{filename}"


class IssuedDocument(models.Model):
    """A version of a document as issued: the file as it was that day, with who issued it."""

    class Kind(models.TextChoices):
        MEASURES = "measures", _("Measures document")
        TWELVE_MONTH = "twelve-month", _("Twelve-month report")
        O25 = "o25", _("Report on using the ITA result (O25)")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (.docx)"

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="issued_documents", verbose_name=_("plan")
    )
    kind = models.CharField(_("document"), max_length=20, choices=Kind)
    format = models.CharField(_("format"), max_length=10, choices=Format)
    thai_digits = models.BooleanField(_("Thai digits"), default=False)
    file = models.FileField(_("file"), upload_to=issued_upload_to, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("issued by"),
    )

    class Meta:
        ordering = ["plan_id", "-issued_at", "-pk"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")

    def __str__(self) -> str:
        return f"{self.plan} {self.kind} {self.format} {self.issued_at:%Y-%m-%d}"

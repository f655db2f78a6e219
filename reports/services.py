"""Writes of the measures document's own data: its texts, settings, approaches, issued versions."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from assessments.models import Question
from measures.models import Measure, Plan
from reports.models import DocumentSettings, DocumentText, IssuedDocument, WeaknessApproach


@transaction.atomic
def document_text_set(*, plan: Plan, key: str, text: str, user) -> DocumentText | None:
    """Keep the agency's text of a narrative; an empty text goes back to the portal's draft."""
    if not text.strip():
        for row in DocumentText.objects.filter(plan=plan, key=key):
            row.delete()
        return None
    row = DocumentText.objects.filter(plan=plan, key=key).first() or DocumentText(
        plan=plan, key=key
    )
    row.text = text.strip()
    row.updated_by = user
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def document_settings_set(*, settings: DocumentSettings, user) -> DocumentSettings:
    """Save who issues the document, when, who signs it and the cover memo."""
    settings.updated_by = user
    settings.full_clean()
    settings.save()
    return settings


@transaction.atomic
def weakness_approach_set(
    *, measure: Measure, question: Question, approach: str, responsible: str, user
) -> WeaknessApproach | None:
    """Keep how a measure answers a weak question; an empty approach removes the row."""
    row = WeaknessApproach.objects.filter(measure=measure, question=question).first()
    if not approach.strip():
        if row is not None:
            row.delete()
        return None
    row = row or WeaknessApproach(measure=measure, question=question)
    row.approach = approach.strip()
    row.responsible = responsible.strip()
    row.updated_by = user
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def document_issue(
    *, plan: Plan, kind: str, fmt: str, thai_digits: bool, data: bytes, user
) -> IssuedDocument:
    """Store a rendered document as an issued version, with its date and who issued it."""
    now = timezone.now()
    row = IssuedDocument(
        plan=plan,
        kind=kind,
        format=fmt,
        thai_digits=thai_digits,
        sha256=hashlib.sha256(data).hexdigest(),
        issued_at=now,
        issued_by=user,
    )
    name = f"{kind}-{plan.agency.code}-{plan.fiscal_year}-{now:%Y%m%d%H%M%S}.{fmt}"
    row.file.save(name, ContentFile(data), save=False)
    row.full_clean()
    row.save()
    return row

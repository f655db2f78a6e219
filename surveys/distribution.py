"""How respondents reach a unit's form: its link, its QR code and a printable A4 poster."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from reports.pdf import render_pdf
from surveys.models import SurveyUnit


def link(entry: SurveyUnit) -> str:
    """Return the absolute address of the unit's form (what the QR code holds)."""
    return settings.PORTAL_URL + reverse("s:answer", args=[entry.code])


def qr_svg(entry: SurveyUnit, *, document: bool = False) -> SafeString:
    """Return the link's QR code as SVG: inline in a page or PDF, or a standalone file."""
    code = segno.make(link(entry), error="m")
    if document:
        buffer = io.BytesIO()
        code.save(buffer, kind="svg", scale=8, border=4, title=link(entry))
        return mark_safe(buffer.getvalue().decode())  # noqa: S308 (segno's own markup)
    # No fixed size: the page or the poster gives the width; the drawing scales with it.
    svg = code.svg_inline(scale=1, border=4, omitsize=True, title=link(entry))
    return mark_safe(svg)  # noqa: S308 (segno's markup; the link is made of a URL-safe code)


def poster_pdf(entry: SurveyUnit) -> bytes:
    """Render the unit's A4 poster (Sarabun embedded, the QR code drawn inline)."""
    survey = entry.round
    context = {
        "entry": entry,
        "survey": survey,
        "link": link(entry),
        "qr": qr_svg(entry),
        "days_left": survey.days_left(timezone.localdate()),
    }
    return render_pdf("surveys/pdf/poster.html", context)

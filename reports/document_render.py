"""Render a plan's measures document, twelve-month report or O25 report as PDF or Word.

`render_document(plan, kind, fmt, digits)` is a plain function: the views call it through the
report cache, issuing stores its bytes, and a background job may call it as it is.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from ita_portal import thai
from measures.models import Plan, Round
from reports.document import document_facts, twelve_month_facts
from reports.document_blocks.measures import measures_document
from reports.document_blocks.progress import o25_report, twelve_month_report
from reports.document_blocks.writers import BREAK, COVER, HEADING
from reports.docx import render_docx
from reports.pdf import html_to_pdf_and_pages, render_html

KINDS = ("measures", "twelve-month", "o25")
THAI_LETTERS = "กขคงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ"


def twelve_month_round(plan: Plan) -> Round:
    """Return the plan's round that covers the whole fiscal year; 404 without one."""
    last_day = plan.fiscal_year_bounds[1]
    found = plan.rounds.filter(period_end=last_day).order_by("-number").first()
    if found is None:
        raise Http404
    return found


def document_blocks(plan: Plan, kind: str, digits: str) -> list[dict]:
    """The blocks of one of a plan's documents (facts gathered from the database)."""
    if kind == "measures":
        return measures_document(document_facts(plan), digits)
    data = twelve_month_facts(plan, twelve_month_round(plan))
    if kind == "twelve-month":
        return twelve_month_report(data, digits)
    return o25_report(data, digits)


def split(blocks: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """The preface (memo, cover, foreword: unnumbered pages), the front matter (summary,
    contents: paged ก, ข, …) and the body (paged from 1) of the blocks."""

    def after(condition) -> int | None:
        return next((i + 1 for i, b in enumerate(blocks) if condition(b)), None)

    body_at = after(lambda b: b["t"] == BREAK and b.get("body"))
    front_at = after(lambda b: b["t"] == BREAK and b.get("front"))
    if body_at is None:
        body_at = after(lambda b: b["t"] == COVER) or 0
    if front_at is None or front_at > body_at:
        front_at = body_at
    return blocks[:front_at], blocks[front_at:body_at], blocks[body_at:]


def title_of(kind: str) -> str:
    return {
        "measures": _("Measures to promote integrity and transparency within the agency"),
        "twelve-month": _("Report on the measures, 12-month round"),
        "o25": _("Using the ITA result to develop the organisation"),
    }[kind]


def _html(plan: Plan, kind: str, blocks: list[dict], digits: str) -> str:
    preface, front, body = split(blocks)
    context = {
        "preface": preface,
        "front": front,
        "body": body,
        "title": title_of(kind),
        "author": plan.agency.name_th,
        "d": digits,
    }
    return render_html("reports/pdf/document.html", context)


def _page_labels(blocks: list[dict], pages: dict[str, int], digits: str) -> dict[str, str]:
    """Each heading's page as printed: ก, ข, … in the front matter, 1, 2, … in the body."""
    _preface, front, body = split(blocks)
    front_ids = [b["id"] for b in front if b["t"] == HEADING and b["id"] in pages]
    body_ids = [b["id"] for b in body if b["t"] == HEADING and b["id"] in pages]
    labels = {}
    if front_ids:
        start = min(pages[i] for i in front_ids)
        labels.update({i: THAI_LETTERS[(pages[i] - start) % len(THAI_LETTERS)] for i in front_ids})
    if body_ids:
        start = min(pages[i] for i in body_ids)
        for i in body_ids:
            number = str(pages[i] - start + 1)
            labels[i] = thai.thai_digits(number) if digits == "thai" else number
    labels["_head"] = _("Page")
    return labels


def render_document(plan: Plan, kind: str, fmt: str, digits: str) -> bytes:
    """Render one of a plan's documents as "pdf" or "docx" bytes."""
    blocks = document_blocks(plan, kind, digits)
    pdf, pages = html_to_pdf_and_pages(_html(plan, kind, blocks, digits))
    if fmt == "pdf":
        return pdf
    return render_docx(
        blocks,
        title=title_of(kind),
        author=plan.agency.name_th,
        thai=digits == "thai",
        pages=_page_labels(blocks, pages, digits),
    )

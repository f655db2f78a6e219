"""The OIT round as ITAS takes it (xlsx) and as a portfolio (PDF), from one list of plain rows.

The workbook has one row per item: its code, sub-indicator, requirement, status, each URL in
its own column (ITAS asks for the links one by one), the explanation, the responsible unit, the
last link check and the reviewer's verdict. Text is written inert (reports.exports.safe_cell:
a cell starting with = + - @ gets a leading apostrophe).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from oit import selectors
from oit.forms import score_label
from oit.models import OitItem, OitRound
from reports.exports import _bytes, _sheet
from reports.pdf import render_pdf


@dataclass(frozen=True)
class LinkRow:
    url: str
    verdict: str
    status_code: int | None
    final_url: str


@dataclass(frozen=True)
class ItemRow:
    code: str
    sub_key: str
    sub_name: str
    requirement: str
    status: str
    links: tuple[LinkRow, ...]
    files: tuple[str, ...]
    elements: tuple[tuple[str, bool], ...]  # the version's required elements, and whether shown
    explanation: str
    unit: str
    state: str
    score: str
    review_comment: str


def item_rows(round_: OitRound) -> list[ItemRow]:
    """Return the round's items as plain rows (six queries)."""
    rows = []
    items = selectors.round_items(round_).prefetch_related("question__sub_items", "elements_done")
    for item in items:
        done = {element.pk for element in item.elements_done.all()}
        sub = item.question.sub_indicator
        rows.append(
            ItemRow(
                code=item.question.code,
                sub_key=sub.key,
                sub_name=sub.name_th,
                requirement=item.requirement,
                status=item.get_status_display() if item.status else "",
                links=tuple(
                    LinkRow(
                        link.url,
                        link.get_verdict_display() if link.checked_at else "",
                        link.status_code,
                        link.final_url,
                    )
                    for link in item.links.all()
                ),
                files=tuple(f.original_name for f in item.files.all()),
                elements=tuple(
                    (str(element), element.pk in done) for element in item.question.sub_items.all()
                ),
                explanation=item.explanation,
                unit=str(item.unit) if item.unit else "",
                state=item.get_state_display(),
                score=(
                    score_label(item.score)
                    if item.score is not None and item.state == OitItem.State.ACCEPTED
                    else ""
                ),
                review_comment=item.review_comment,
            )
        )
    return rows


def items_workbook(round_: OitRound) -> bytes:
    """Build the xlsx of the round's items and links, one row per item."""
    rows = item_rows(round_)
    most = max((len(row.links) for row in rows), default=0) or 1
    headers = [
        _("Item"),
        _("Sub-indicator"),
        _("Requirement"),
        _("Status"),
        *(_("URL %(n)s") % {"n": n} for n in range(1, most + 1)),
        _("Explanation"),
        _("Responsible unit"),
        _("Link check"),
        _("Review"),
        _("Score"),
    ]
    book = Workbook()
    _sheet(
        book,
        f"OIT {round_.fiscal_year}",
        headers,
        (
            [
                row.code,
                f"{row.sub_key} {row.sub_name}",
                row.requirement,
                row.status,
                *[link.url for link in row.links],
                *[""] * (most - len(row.links)),
                row.explanation,
                row.unit,
                "; ".join(f"{link.verdict}" for link in row.links if link.verdict),
                row.state,
                row.score,
            ]
            for row in rows
        ),
    )
    return _bytes(book)


def portfolio_pdf(round_: OitRound, request: HttpRequest) -> bytes:
    """Render the OIT portfolio: every item with its requirement, links, explanation, verdict."""
    title = _("OIT portfolio")
    context = {
        "title": title,
        "subtitle": _("OIT self-check of fiscal year %(year)s") % {"year": round_.fiscal_year},
        "agency": round_.agency,
        "round": round_,
        "rows": item_rows(round_),
        "generated_on": timezone.localdate(),
        "d": "",
    }
    return render_pdf("oit/pdf/portfolio.html", context, request=request)

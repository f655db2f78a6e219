"""The tables of each report as an xlsx workbook, from the same plain data as the HTML and PDF.

Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) is written with a leading apostrophe, so user-entered text can never become a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from ita_portal.thai import thai_date
from reports.templatetags.reports import localized as _local

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SCORE_FORMAT = "0.00"


def safe_cell(value: object) -> object:
    """Return a value a spreadsheet shows as written: numbers and dates as such, text inert."""
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _sheet(
    book: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> Worksheet:
    sheet = book.create_sheet(title=title[:31])
    sheet.append([safe_cell(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = SCORE_FORMAT
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(10, min(60, len(str(header)) + 6))
    return sheet


def _bytes(book: Workbook) -> bytes:
    del book[book.sheetnames[0]]  # the empty sheet every new workbook starts with
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _date(value: dt.date | None) -> str:
    return thai_date(value) if value else ""


def _self_source(source: str) -> str:
    return {
        "survey": _("The agency's own survey"),
        "oit_check": _("The OIT self-check approved by the head"),
    }.get(source, "")


def _self_sheet(book: Workbook, s: dict) -> None:
    # The agency's self-assessment beside the official figures; no sheet when it has none.
    own = s["self_assessment"]
    if own is None:
        return
    _sheet(
        book,
        _("Self-assessment result"),
        [
            _("Instrument"),
            _("Official result (NACC)"),
            _("Self-assessment result"),
            _("Difference"),
            pgettext("self-assessment", "Source"),
        ],  # fmt: skip
        [
            *(
                (i["code"], i["official"], i["score"], i["difference"], _self_source(i["source"]))
                for i in own["instruments"]
            ),
            (_("Total"), s["total"], own["total"], own["total_difference"], ""),
            (pgettext("self-assessment", "Level"), s["grade"], own["grade"], None, ""),
        ],
    )


def summary_workbook(s: dict) -> bytes:
    """Write the executive summary's tables: Table 1, the weighted table, Table 2, plan, history."""
    book = Workbook()
    _sheet(
        book,
        _("Table 1"),
        [_("Instrument"), _("Indicator"), _("Name"), _("Number of questions"), _("Score")],
        [
            (i["code"], row["number"], _local(row, "name"), row["question_count"], row["score"])
            for i in s["instruments"]
            for row in i["indicators"]
        ],
    )
    _sheet(
        book,
        _("Weighted total"),
        [_("Instrument"), _("Score"), _("Weight (%)"), _("Weighted score")],
        [
            *(
                (i["code"], i["score"], i["weight_percent"], i["weighted"])
                for i in s["instruments"]
            ),
            (
                _("Total computed from the scores"),
                None,
                s["weight_percent_total"],
                s["computed_total"],
            ),
            *([(_("Total published by NACC"), None, None, s["total"])] if s["published"] else []),
            (
                _("Grade published by NACC") if s["grade_published"] else _("Grade"),
                None,
                None,
                s["grade"],
            ),
        ],
    )
    _self_sheet(book, s)
    _sheet(
        book,
        _("Table 2"),
        [
            _("No."),
            _("Question"),
            _("Text"),
            _("Instrument"),
            _("Indicator"),
            _("Score"),
            _("Points to reach %(mark)s") % {"mark": s["pass_mark"]},
            _("Indicator score"),
            _("For its indicator to reach %(mark)s") % {"mark": s["pass_mark"]},
            _("Measure"),
        ],  # fmt: skip
        [
            (
                index,
                q["code"],
                _local(q, "text"),
                q["instrument_code"],
                q["indicator_number"],
                q["score"],
                q["rise_to_pass"],
                q["indicator_score"],
                _indicator_rise(q),
                ", ".join(str(m["number"]) for m in q["measures"]),
            )
            for index, q in enumerate(s["weak_questions"], start=1)
        ],
    )
    plan = s["plan"] or {"measures": []}
    _sheet(
        book,
        _("Measures plan"),
        [
            _("Measure"),
            _("Activity"),
            _("Title"),
            _("Questions addressed"),
            _("Owners"),
            _("Lead unit"),
            _("Deadline"),
            _("Round"),
            _("Status"),
            _("Percent"),
        ],  # fmt: skip
        [
            (
                m["number"],
                a["number"],
                _local(a, "title"),
                ", ".join(a["questions"]),
                ", ".join(a["units"]),
                a["lead_unit"],
                _date(a["deadline"]),
                _local(a["latest"], "round_name") if a["latest"] else "",
                a["latest"]["status_label"] if a["latest"] else "",
                a["latest"]["percent"] if a["latest"] else None,
            )
            for m in plan["measures"]
            for a in m["activities"]
        ],
    )
    _sheet(
        book,
        _("Results by year"),
        [_("Fiscal year"), _("Total"), _("Grade"), _("Rank"), _("Agencies ranked")],
        [(h["fiscal_year"], h["total"], h["grade"], h["rank"], h["rank_of"]) for h in s["history"]],
    )
    for title, rows in (
        (_("Warnings"), s["discrepancies"]),
        (_("Rounding notes"), s["rounding_notes"]),
    ):
        if rows:
            _sheet(
                book,
                title,
                [_("Level"), _("Item"), _("Computed"), _("Reported"), _("Difference")],
                [
                    (w["level_label"], w["item"], w["computed"], w["reported"], w["difference"])
                    for w in rows
                ],
            )
    return _bytes(book)


def _indicator_rise(q: dict) -> object:
    """Write the rise a weak question needs for its indicator to pass, as the page says it."""
    if q["indicator_rise"] is None:
        return _("not by this question alone")
    if not q["indicator_rise_to"]:
        return _("the indicator is there already")
    return q["indicator_rise"]


def progress_workbook(r: dict) -> bytes:
    """Write the six-month report's table: one row per activity, every field of its report."""
    book = Workbook()
    _sheet(
        book,
        _("Activities"),
        [
            _("Measure"),
            _("Activity"),
            _("Title"),
            _("Responsible units"),
            _("Lead unit"),
            _("Deadline"),
            _("Status"),
            _("Percent"),
            _("Report"),
            _("Results"),
            _("Obstacles"),
            _("Next steps"),
            _("Evidence"),
        ],  # fmt: skip
        [
            (
                m["number"],
                a["number"],
                _local(a, "title"),
                ", ".join(a["units"]),
                a["lead_unit"],
                _date(a["deadline"]),
                a["status_label"],
                a["percent"],
                a["state_label"],
                a["results"],
                a["obstacles"],
                a["next_steps"],
                "\n".join(e["url"] or e["name"] for e in a["evidence"]),
            )
            for m in r["measures"]
            for a in m["activities"]
        ],
    )
    return _bytes(book)

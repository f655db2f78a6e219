"""What the reader's limits are (imports/xlsx.py) and what each says when a file is beyond one."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from imports.problems import Problem, WorkbookRefused
from imports.xlsx import (
    MAX_CELLS_PER_ROW,
    MAX_CELLS_PER_SHEET,
    MAX_SHARED_STRINGS,
    MAX_SHARED_STRINGS_BYTES,
    MAX_TEXT_CHARS,
    XlsxLimit,
)

# What each of the reader's limits says (imports/xlsx.py), with the part or cell it names.
LIMIT_MESSAGES = {
    "far_column": _(
        "the cell %(cell)s lies beyond column XFD, the last column a workbook has; the file was "
        "not read further."
    ),
    "far_row": _("%(cell)s lies beyond row 1,048,576, the last row a workbook has."),
    "wide_row": _(
        "the row of cell %(cell)s has more than %(limit)s cells; a score sheet has at most 12 "
        "columns."
    ),
    "many_cells": _(
        "the sheet has more than %(limit)s cells (seen at cell %(cell)s), far more than a score "
        "workbook holds."
    ),
    "big_strings": _(
        "the part %(part)s (the workbook's texts) unpacks to %(size)s MB; a score workbook needs "
        "at most %(limit)s MB."
    ),
    "many_strings": _("the part %(part)s holds more than %(limit)s texts, the limit."),
    "long_text": _(
        "the cell %(cell)s holds more than %(limit)s characters, the most a cell can hold."
    ),
    "long_number": _(
        "the cell %(cell)s holds a number written with %(chars)s characters; a number has at "
        "most %(limit)s."
    ),
}


def beyond_limit(limit: XlsxLimit, file_name: str, sheet: str = "") -> WorkbookRefused:
    params = {"limit": f"{limit.params.get('limit', 0):,}", "part": limit.part, "cell": limit.cell}
    if "size" in limit.params:
        params["size"] = f"{limit.params['size'] / 1024 / 1024:.0f}"
        params["limit"] = f"{limit.params['limit'] / 1024 / 1024:g}"
    if "chars" in limit.params:
        params["chars"] = f"{limit.params['chars']:,}"
    template = LIMIT_MESSAGES[limit.code]
    return WorkbookRefused([Problem(limit.code, template, params, file=file_name, sheet=sheet)])


def limits() -> dict[str, int]:
    """Return the reader's limits by name, for the format page and its documentation."""
    return {
        "max_bytes": settings.IMPORT_MAX_BYTES,
        "max_rows": settings.IMPORT_MAX_ROWS,
        "max_cells_per_row": MAX_CELLS_PER_ROW,
        "max_cells_per_sheet": MAX_CELLS_PER_SHEET,
        "max_shared_strings": MAX_SHARED_STRINGS,
        "max_shared_strings_bytes": MAX_SHARED_STRINGS_BYTES,
        "max_text_chars": MAX_TEXT_CHARS,
    }

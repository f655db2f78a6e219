"""The score workbook on disk: its format, safe reading, and writing (docs/import-format.md).

This layer knows the file format only; it never touches the database. Reading refuses a file
that is not a safe, well-formed xlsx before any sheet is parsed, streams the rows of each sheet
(imports/xlsx.py), maps Thai or English headers to column keys, cleans every cell (numbers,
numbers stored as text, Thai digits, cached formula results) and reports each problem with its
file, sheet, row and column. Writing uses openpyxl. Whether an agency or a question code exists
is the import service's concern (imports/services.py).
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from imports.cleaning import CLEANERS, CellError, clean_text
from imports.format import SHEET_NAMES, SHEETS, VALUE_COLUMNS, Column, SheetSpec, normalise
from imports.problems import MAX_PROBLEMS, Problem, WorkbookRefused, column_label
from imports.xlsx import (
    MAX_CELLS_PER_ROW,
    MAX_CELLS_PER_SHEET,
    MAX_SHARED_STRINGS,
    MAX_SHARED_STRINGS_BYTES,
    MAX_TEXT_CHARS,
    Uncached,
    XlsxError,
    XlsxFile,
    XlsxLimit,
)

logger = logging.getLogger(__name__)

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
# A real sheet's XML shrinks about 10-30 times; a zip bomb shrinks hundreds or thousands of times.
MAX_COMPRESSION_RATIO = 200

# Each column of a sheet remembers this many cleaned values (see Sheet._rows).
MAX_REMEMBERED = 50_000

# --- Reading --------------------------------------------------------------------------------------


def _refuse(code: str, template: Any, file_name: str, **params: Any) -> WorkbookRefused:
    return WorkbookRefused([Problem(code, template, params, file=file_name)])


def max_uncompressed_bytes() -> int:
    """Return the cap on the workbook's unzipped size (default 25 times the upload cap)."""
    return getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 25 * settings.IMPORT_MAX_BYTES)


def check_container(data: IO[bytes], file_name: str, size: int) -> None:
    """Refuse a file that is too big, not a zip, password-protected, truncated or a zip bomb."""
    if size > settings.IMPORT_MAX_BYTES:
        raise _refuse(
            "too_big",
            _("the file is %(size)s MB; the limit is %(limit)s MB."),
            file_name,
            size=f"{size / 1024 / 1024:.1f}",
            limit=f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:g}",
        )
    data.seek(0)
    head = data.read(8)
    data.seek(0)
    if head == OLE2_SIGNATURE:
        raise _refuse(
            "password_protected",
            _(
                "the file is password-protected or an old .xls workbook; remove the password "
                "or save it as .xlsx (Excel Workbook) and upload it again."
            ),
            file_name,
        )
    if not head.startswith(ZIP_SIGNATURE):
        raise _refuse(
            "not_xlsx",
            _("the file is not an Excel workbook (.xlsx); save it as .xlsx and upload it again."),
            file_name,
        )
    try:
        with zipfile.ZipFile(data) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise _refuse(
            "truncated",
            _("the file is truncated or corrupt (it could not be opened as a zip archive)."),
            file_name,
        ) from None
    finally:
        data.seek(0)
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise _refuse(
            "not_xlsx",
            _("the file is not an Excel workbook (.xlsx); save it as .xlsx and upload it again."),
            file_name,
        )
    total = sum(member.file_size for member in members)
    # zipfile never inflates a member beyond its declared size (a lie fails the CRC check), so the
    # declared sizes bound what parsing can cost.
    bomb = total > max_uncompressed_bytes() or any(
        member.file_size > 1_000_000
        and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if bomb:
        raise _refuse(
            "zip_bomb",
            _(
                "the file unpacks to %(size)s MB, far more than a score workbook holds "
                "(limit %(limit)s MB, at most %(ratio)s times its packed size); it was not opened."
            ),
            file_name,
            size=f"{total / 1024 / 1024:.0f}",
            limit=f"{max_uncompressed_bytes() / 1024 / 1024:g}",
            ratio=MAX_COMPRESSION_RATIO,
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


def _beyond_limit(limit: XlsxLimit, file_name: str, sheet: str = "") -> WorkbookRefused:
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


def _corrupt(file_name: str) -> WorkbookRefused:
    return _refuse(
        "corrupt",
        _("the file is corrupt: Excel's data inside it could not be read."),
        file_name,
    )


def _map_headers(
    spec: SheetSpec, header: tuple[Any, ...], file_name: str, title: str
) -> tuple[list[tuple[int, Column]], list[Problem]]:
    wanted = {}
    for column in spec.columns:
        wanted[normalise(column.key)] = column
        wanted[normalise(column.th)] = column
    found: dict[str, int] = {}
    mapping: list[tuple[int, Column]] = []
    problems: list[Problem] = []
    for index, cell in enumerate(header):
        if cell.__class__ is Uncached:
            problems.append(_uncached(file_name, title, 1, column_label(index, None)))
            continue
        text = clean_text(cell)
        column = wanted.get(normalise(text)) if text else None
        if column is None:
            continue
        if column.key in found:
            problems.append(
                Problem(
                    "duplicate_column",
                    _("the column “%(name)s” appears twice (also column %(other)s)."),
                    {"name": text, "other": get_column_letter(found[column.key] + 1)},
                    file_name,
                    title,
                    1,
                    column_label(index, column, text),
                )
            )
            continue
        found[column.key] = index
        mapping.append((index, column))
    for column in spec.columns:
        if column.required and column.key not in found:
            problems.append(
                Problem(
                    "missing_column",
                    _("the column “%(th)s” (%(en)s) is missing from the header row."),
                    {"th": column.th, "en": column.en},
                    file_name,
                    title,
                    1,
                    column.en,
                )
            )
    return mapping, problems


def _uncached(file_name: str, title: str, row: int, column: str) -> Problem:
    letter = column.split(" ", 1)[0]
    return Problem(
        "uncached_formula",
        _(
            "the cell %(cell)s holds a formula saved without its result (the program that wrote "
            "the file did not calculate it); open the file in Excel or LibreOffice, save it and "
            "upload it again."
        ),
        {"cell": f"{letter}{row}"},
        file_name,
        title,
        row,
        column,
    )


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class WorkbookReader:
    """A score workbook opened for reading: its sheets in the format's order, rows cleaned.

    Rows stream: an import checks each chunk of rows as it is read, so a national workbook never
    sits in memory whole. Problems with cells and rows gather in `problems` as the rows are read;
    a problem with the whole file raises WorkbookRefused.
    """

    def __init__(self, data: IO[bytes], *, file_name: str, size: int) -> None:
        check_container(data, file_name, size)
        self.file_name = file_name
        self.max_rows = settings.IMPORT_MAX_ROWS
        self.row_count = 0
        self.problems: list[Problem] = []
        self.extra_problems = 0
        try:
            self.xlsx = XlsxFile(data)
        except XlsxLimit as limit:
            raise _beyond_limit(limit, file_name) from None
        except XlsxError:
            logger.info("unreadable workbook %s", file_name, exc_info=True)
            raise _corrupt(file_name) from None
        self.present: dict[str, tuple[str, str]] = {}
        hidden: set[str] = set()
        for title, part in self.xlsx.sheets:
            spec = SHEET_NAMES.get(normalise(title))
            if spec is not None and title in self.xlsx.hidden:
                # Whoever reads the file in Excel never sees it: it must not be imported unseen.
                hidden.add(spec.key)
                self.add(
                    Problem(
                        "hidden_sheet",
                        _(
                            "the sheet “%(title)s” is hidden; unhide it (Format ▸ Sheet ▸ "
                            "Unhide) or delete it, save and upload the file again."
                        ),
                        {"title": title},
                        file_name,
                        title,
                    )
                )
            elif spec is not None and spec.key not in self.present:
                self.present[spec.key] = (title, part)
        for spec in SHEETS:
            if spec.key not in self.present and spec.key not in hidden:
                self.add(
                    Problem(
                        "missing_sheet",
                        _("the sheet “%(th)s” (%(en)s) is missing."),
                        {"th": spec.th, "en": spec.en},
                        file_name,
                        spec.en,
                    )
                )

    def __enter__(self) -> WorkbookReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.xlsx.close()

    def add(self, problem: Problem) -> None:
        """Keep a problem (the first MAX_PROBLEMS of them; the rest are counted)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.extra_problems += 1

    def sheets(self) -> Iterator[Sheet]:
        """Yield the sheets the file has, in the format's order."""
        for spec in SHEETS:
            if spec.key in self.present:
                title, part = self.present[spec.key]
                yield Sheet(self, spec, title, part)

    def finish(self) -> None:
        """Count the problems beyond MAX_PROBLEMS, once every sheet has been read."""
        if self.extra_problems:
            self.problems.append(
                Problem(
                    "more_problems",
                    _("… and %(count)s more problems."),
                    {"count": self.extra_problems},
                    self.file_name,
                )
            )
            self.extra_problems = 0


class Sheet:
    """One sheet of a score workbook, read once, row by row."""

    def __init__(self, reader: WorkbookReader, spec: SheetSpec, title: str, part: str) -> None:
        self.reader = reader
        self.spec = spec
        self.title = title
        self.part = part
        # column key → its letter and header in this file, e.g. "D (score)"
        self.labels: dict[str, str] = {}

    def rows(self) -> Iterator[tuple[int, tuple[Any, ...] | None]]:
        """Yield (row number, values in the spec's column order), or None for a skipped row.

        A row with a bad cell, a blank required cell or a key seen before yields nothing; its
        problem is added to the reader's.
        """
        try:
            yield from self._rows()
        except XlsxLimit as limit:
            raise _beyond_limit(limit, self.reader.file_name, self.title) from None
        except XlsxError:
            logger.info("unreadable sheet in %s", self.reader.file_name, exc_info=True)
            raise _corrupt(self.reader.file_name) from None

    def _problem(self, code: str, template: Any, params: dict, row: int, column: str = "") -> None:
        file_name = self.reader.file_name
        self.reader.add(Problem(code, template, params, file_name, self.title, row, column))

    def _rows(self) -> Iterator[tuple[int, tuple[Any, ...] | None]]:
        reader, spec = self.reader, self.spec
        rows = reader.xlsx.rows(self.part)
        number, cells = next(rows, (0, {}))
        if number != 1 or all(map(_is_blank, cells.values())):
            first = number if number > 1 else None
            if number == 1:
                first = next((n for n, row in rows if not all(map(_is_blank, row.values()))), None)
            template = (
                _("the first row must hold the column headers but is empty; the sheet's only "
                  "data starts in row %(first)s.")
                if first
                else _("the sheet is empty: the first row must hold the column headers.")
            )  # fmt: skip
            self._problem("no_header", template, {"first": first}, 1)
            return
        header = [cells.get(index) for index in range(max(cells) + 1)]
        mapping, problems = _map_headers(spec, header, reader.file_name, self.title)
        for problem in problems:
            reader.add(problem)
        if problems:
            return
        headers = [clean_text(header[index]) for index, _ in mapping]
        self.labels = {
            column.key: column_label(index, column, name)
            for (index, column), name in zip(mapping, headers, strict=True)
        }
        # Per mapped column: where it comes from, where it goes, how it is cleaned, its label,
        # and the values it has cleaned. A national file repeats a few thousand distinct years,
        # codes and scores: each is cleaned once, and one object serves every row holding it.
        plan = [
            (index, spec.index(column.key), CLEANERS[column.kind], column, name, {})
            for (index, column), name in zip(mapping, headers, strict=True)
        ]
        # A blank cell of a text column the file has reads as ""; a column it lacks stays None
        # (an import keeps what is stored).
        template: list[Any] = [None] * len(spec.columns)
        for _index, position, _clean, column, _name, _memo in plan:
            if column.kind == "text":
                template[position] = ""
        required = [
            (position, column, index, name)
            for index, position, _clean, column, name, _memo in plan
            if column.required
        ]
        unique = [spec.index(key) for key in spec.unique]
        value_positions = [spec.index(key) for key in VALUE_COLUMNS.get(spec.key, ())]
        seen: dict[tuple[Any, ...], int] = {}
        for number, cells in rows:
            if all(map(_is_blank, cells.values())):
                continue
            reader.row_count += 1
            if reader.row_count > reader.max_rows:
                raise WorkbookRefused(
                    [
                        Problem(
                            "too_many_rows",
                            _("the workbook has more than %(limit)s data rows, the limit."),
                            {"limit": f"{reader.max_rows:,}"},
                            reader.file_name,
                            self.title,
                            number,
                        )
                    ]
                )
            values = list(template)
            ok = True
            for index, position, clean, column, name, memo in plan:
                raw = cells.get(index)
                if raw is None:
                    continue
                if raw.__class__ is Uncached:
                    ok = False
                    reader.add(
                        _uncached(
                            reader.file_name, self.title, number, column_label(index, column, name)
                        )
                    )
                    continue
                # True == 1: a boolean must never meet the value cleaned from a 1.
                remember = raw.__class__ is not bool
                value = memo.get(raw) if remember else None
                if value is None:
                    if raw.__class__ is str and not raw.strip():
                        continue
                    try:
                        value = clean(raw)
                    except CellError as error:
                        ok = False
                        self._problem(
                            error.code,
                            error.template,
                            error.params,
                            number,
                            column_label(index, column, name),
                        )
                        continue
                    if remember and len(memo) < MAX_REMEMBERED:
                        memo[raw] = value
                values[position] = value
            if not ok:
                continue
            if value_positions and all(values[p] is None for p in value_positions):
                yield number, None
                continue
            missing = next((entry for entry in required if values[entry[0]] is None), None)
            if missing is not None:
                _position, column, index, name = missing
                self._problem(
                    "blank_cell",
                    _("the cell is empty; “%(th)s” (%(en)s) is required."),
                    {"th": column.th, "en": column.en},
                    number,
                    column_label(index, column, name),
                )
                continue
            key = tuple(values[p] for p in unique)
            first = seen.setdefault(key, number)
            if first != number:
                self._problem(
                    "duplicate_row",
                    _("this row repeats row %(first)s (%(key)s)."),
                    {"first": first, "key": " · ".join(map(str, key))},
                    number,
                )
                continue
            yield number, tuple(values)

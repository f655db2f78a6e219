"""Read a score workbook safely: its sheets in the format's order, each row cleaned.

This layer knows the file format only; it never touches the database. It refuses a file that is
not a safe, well-formed xlsx before any sheet is parsed (imports/container.py), streams the rows
of each sheet (imports/xlsx.py), maps Thai or English headers to column keys, cleans every cell
(numbers, numbers stored as text, Thai digits, cached formula results) and reports each problem
with its file, sheet, row and column. Writing is imports/exports.py's; whether an agency or a
question code exists is the planner's (imports/planner.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from imports.cleaning import CLEANERS, CellError, clean_text
from imports.container import check_container, refuse
from imports.format import SHEET_NAMES, SHEETS, VALUE_COLUMNS, Column, SheetSpec, normalise
from imports.limits import beyond_limit
from imports.problems import MAX_PROBLEMS, Problem, WorkbookRefused, column_label
from imports.xlsx import (
    Uncached,
    XlsxError,
    XlsxFile,
    XlsxLimit,
)

logger = logging.getLogger(__name__)


# Each column of a sheet remembers this many cleaned values (see Sheet._rows).
MAX_REMEMBERED = 50_000

# --- Reading --------------------------------------------------------------------------------------


def _corrupt(file_name: str) -> WorkbookRefused:
    return refuse(
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
            raise beyond_limit(limit, file_name) from None
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
            if spec.key not in self.present and spec.key not in hidden and not spec.optional:
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
            raise beyond_limit(limit, self.reader.file_name, self.title) from None
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

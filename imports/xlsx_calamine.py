"""The xlsx reader's interface implemented with python-calamine (Rust), for comparison.

Same shape as imports/xlsx.py's `XlsxFile`: `sheets` (title, key), `hidden` titles, and
`rows(key)` yielding (row number, {column index: value}) for rows holding a value. Calamine
reads numbers as floats (an integral one is given as int here, as the expat reader does), empty
text as "", and a formula saved without its result as empty: it cannot tell that cell apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import python_calamine

from imports.xlsx import XlsxError


class CalamineFile:
    """An open xlsx workbook read by calamine."""

    def __init__(self, file: IO[bytes]) -> None:
        file.seek(0)
        try:
            self.workbook = python_calamine.CalamineWorkbook.from_filelike(file)
            metadata = self.workbook.sheets_metadata
        except (python_calamine.CalamineError, ValueError, OSError) as error:
            raise XlsxError(f"calamine: {error}") from None
        self.sheets = [(sheet.name, sheet.name) for sheet in metadata]
        self.hidden = {
            sheet.name
            for sheet in metadata
            if sheet.visible != python_calamine.SheetVisibleEnum.Visible
        }

    def __enter__(self) -> CalamineFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the workbook."""
        self.workbook.close()

    def rows(self, key: str) -> Iterator[tuple[int, dict[int, Any]]]:
        """Yield each row of a sheet that has a value: (row number, {column index: value})."""
        try:
            sheet = self.workbook.get_sheet_by_name(key)
        except (python_calamine.CalamineError, ValueError) as error:
            raise XlsxError(f"calamine: {error}") from None
        # Rows are given from the first row of the sheet, columns from its first used column.
        _first_row, first_column = sheet.start or (0, 0)
        for offset, cells in enumerate(sheet.iter_rows()):
            values = {
                first_column + index: _value(cell)
                for index, cell in enumerate(cells)
                if cell != "" and cell is not None
            }
            if values:
                yield offset + 1, values


def _value(cell: Any) -> Any:
    if cell.__class__ is float and cell.is_integer() and abs(cell) < 1e15:
        return int(cell)
    return cell

"""Why a workbook, or one of its rows or cells, is refused: located as precisely as it can be."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext
from openpyxl.utils import get_column_letter

from imports.format import Column

MAX_PROBLEMS = 1000

# --- Problems -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused, located as precisely as the reason allows."""

    code: str
    template: Any
    params: dict[str, Any] = field(default_factory=dict)
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""

    @property
    def reason(self) -> str:
        """Return the reason in the active language."""
        return str(self.template) % self.params if self.params else str(self.template)

    @property
    def where(self) -> str:
        """Return file, sheet, row and column as far as they are known."""
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(gettext("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row is not None:
            parts.append(gettext("row %(row)s") % {"row": self.row})
        if self.column:
            parts.append(gettext("column %(column)s") % {"column": self.column})
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where
        return f"{where}: {self.reason}" if where else self.reason


class WorkbookRefused(Exception):
    """The file cannot be read at all; problems say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


def column_label(index: int, spec_column: Column | None, header: str = "") -> str:
    """Return a column's letter with its header, e.g. D (score)."""
    name = header or (spec_column.en if spec_column else "")
    letter = get_column_letter(index + 1)
    return f"{letter} ({name})" if name else letter

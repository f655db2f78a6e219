"""What an import says about each row of a workbook, and about the whole file."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from imports.models import ImportBatch
from imports.problems import Problem

NEW, CHANGED, UNCHANGED, SKIPPED, ERROR = "new", "changed", "unchanged", "skipped", "error"
STATUSES = (NEW, CHANGED, UNCHANGED, SKIPPED, ERROR)


@dataclass(slots=True)
class RowReport:
    sheet: str
    row: int
    status: str
    key: str
    old: str = ""
    new: str = ""
    message: str = ""


@dataclass
class ImportReport:
    file_name: str
    sha256: str
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    rows: list[RowReport] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    sheet_counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    batch: ImportBatch | None = None
    earlier_batches: list[ImportBatch] = field(default_factory=list)
    row_count: int = 0
    # the plan of a file with changes and no problems (imports.planner.Checked)
    checked: Any = None

    @property
    def refused(self) -> bool:
        """Tell whether the file was refused (it changes nothing)."""
        return bool(self.problems)

    @property
    def changes(self) -> int:
        """Return how many rows would add or change something."""
        return self.counts[NEW] + self.counts[CHANGED]

"""Reference data the suite carries with it (tests/data/), so a fresh clone tests itself."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
UP2563 = DATA / "up2563.tsv"


def up2563_units() -> list[dict[str, str]]:
    """Return the 39 units of University of Phayao's ITA 2563 pre-assessment, one dict per row."""
    with UP2563.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))

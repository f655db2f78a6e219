"""Compare xlsx readers on the national workbooks bench/import builds (see bench/import-readers).

python-calamine was measured here too (docs/decisions.md) and left out of the portal.

Each reader reads every sheet of a workbook, every row, in its own process, so CPU time and peak
memory (max RSS) are its own; the checksum of the values read must be the same for all. A last
column tries the 2.5 KB workbook with a cell at ZZZZZZ1 under a 2 GB address-space limit.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/ita-bench"))
sys.path.insert(0, str(ROOT))
READERS = ["expat", "openpyxl"]


def rows_of(reader: str, path: Path):
    """Yield (sheet, row number, {column: value}) for every row holding a value."""
    if reader == "openpyxl":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        for title in workbook.sheetnames:
            for number, row in enumerate(workbook[title].iter_rows(values_only=True), start=1):
                cells = {i: v for i, v in enumerate(row) if v is not None}
                if cells:
                    yield title, number, cells
        workbook.close()
        return
    from imports.xlsx import XlsxFile

    with path.open("rb") as file, XlsxFile(file) as workbook:
        for title, key in workbook.sheets:
            for number, cells in workbook.rows(key):
                yield title, number, cells


def child(reader: str, path: Path) -> dict:
    start = time.perf_counter()
    digest = hashlib.sha256()
    count = 0
    for title, number, cells in rows_of(reader, path):
        count += 1
        # Integral floats as ints, as one reader may give 3.0 where another gives 3.
        values = {
            i: int(v) if isinstance(v, float) and v.is_integer() else v for i, v in cells.items()
        }
        digest.update(repr((title, number, sorted(values.items()))).encode())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "rows": count,
        "seconds": time.perf_counter() - start,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "checksum": digest.hexdigest()[:12],
    }


def hostile_workbook() -> Path:
    """The issue 13 workbook: a header cell at ZZZZZZ1 (2.5 KB)."""
    from openpyxl import Workbook

    path = WORK / "hostile-zzzzzz1.xlsx"
    workbook = Workbook()
    workbook.active.append(["agency_code", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                content = content.replace(b'r="B1"', b'r="ZZZZZZ1"')
            target.writestr(info, content)
    return path


def hostile(reader: str) -> str:
    path = hostile_workbook()
    code = (
        f"import resource, sys; sys.path.insert(0, {str(ROOT)!r});"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30));"
        "from bench.import_readers import rows_of; from imports.xlsx import XlsxError\n"
        f"from pathlib import Path\ntry:\n    list(rows_of({reader!r}, Path({str(path)!r})))\n"
        "    print('read')\n"
        "except XlsxError as e:\n    print('refused')\n"
        "except MemoryError:\n    print('MemoryError')\n"
    )
    start = time.perf_counter()
    try:
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
        )
    except subprocess.TimeoutExpired:
        return "over 60 s"
    outcome = (out.stdout.strip() or out.stderr.strip().splitlines()[-1])[:20]
    return f"{outcome} {time.perf_counter() - start:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agencies", type=int, default=8300)
    parser.add_argument("--child", choices=READERS)
    parser.add_argument("--workbook")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, Path(args.workbook))))
        return
    from bench.import_bench import build_workbook

    WORK.mkdir(parents=True, exist_ok=True)
    print(f"xlsx readers: {args.agencies:,} agencies, Python {sys.version.split()[0]}")
    print()
    header = (
        f"{'workbook':<30} {'reader':<9} {'rows':>8} {'seconds':>8} {'CPU s':>6} "
        f"{'peak MB':>8} {'checksum':<13} {'ZZZZZZ1 (2 GB cap)':<20}"
    )
    print(header)
    print("-" * len(header))
    hostile_outcome = {reader: hostile(reader) for reader in READERS}
    for label, questions in [("× 10 indicator scores", False), ("× 45 question scores", True)]:
        workbook = (
            WORK / f"national-{args.agencies}-{'questions' if questions else 'indicators'}.xlsx"
        )
        if not workbook.exists():
            build_workbook(workbook, args.agencies, questions)
        size = workbook.stat().st_size / 1024 / 1024
        name = f"{args.agencies:,} {label} ({size:.1f} MB)"
        for reader in READERS:
            output = subprocess.run(
                [sys.executable, __file__, "--child", reader, "--workbook", str(workbook)],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            result = json.loads(output.stdout.strip().splitlines()[-1])
            print(
                f"{name:<30} {reader:<9} {result['rows']:>8,} {result['seconds']:>8.1f} "
                f"{result['cpu']:>6.1f} {result['peak_mb']:>8.0f} {result['checksum']:<13} "
                f"{hostile_outcome[reader]:<20}",
                flush=True,
            )


if __name__ == "__main__":
    main()

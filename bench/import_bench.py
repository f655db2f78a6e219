"""Measure the score import against a floor: the expat reader and a bare insert (bench/import).

Each measurement runs in its own process on its own copy of a freshly migrated SQLite database
(or PostgreSQL with --database-url), so peak memory (max RSS) belongs to that measurement alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/ita-bench"))
sys.path.insert(0, str(ROOT))


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    # Measured as production runs: with DEBUG on, Django would also keep every query's SQL.
    os.environ["DEBUG"] = "0"
    os.environ["SECRET_KEY"] = "bench-only-not-a-secret"
    os.environ["ALLOWED_HOSTS"] = "localhost"
    import django

    django.setup()
    from django.conf import settings

    # The bench workbooks are national-scale; the limits are what is being measured, not refused.
    settings.IMPORT_MAX_BYTES = 100 * 1024 * 1024
    settings.IMPORT_MAX_ROWS = 1_000_000


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu() -> float:
    """Return this process's CPU seconds: on a shared machine, the fair figure beside wall time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- Workbooks ------------------------------------------------------------------------------------


def build_workbook(path: Path, agencies: int, questions: bool, shift: int = 0) -> int:
    """Write a national workbook; a shift of n gives every score n/100 more (capped at 100)."""
    from openpyxl import Workbook

    from imports.format import SHEETS

    codes = [f"agency-{n:05d}" for n in range(agencies)]
    question_codes = [f"I{n}" for n in range(1, 31)] + [f"E{n}" for n in range(1, 16)]
    workbook = Workbook(write_only=True)
    rows = 0
    for spec in SHEETS:
        sheet = workbook.create_sheet(spec.en)
        sheet.append([column.key for column in spec.columns])
        if spec.key == "agencies":
            for code in codes:
                sheet.append([code, f"หน่วยงาน {code}", "", "", "กระทรวงทดสอบ"])
                rows += 1
        elif spec.key == "indicator_scores" and not questions:
            for index, code in enumerate(codes):
                for number in range(1, 11):
                    score = 50 + (index * 7 + number * 3) % 50 + shift / 100
                    sheet.append([2563, code, number, round(min(score, 100), 2)])
                    rows += 1
        elif spec.key == "question_scores" and questions:
            for index, code in enumerate(codes):
                for position, question in enumerate(question_codes):
                    score = 50 + ((index * 13 + position * 7) % 5000 + shift) / 100
                    sheet.append([2563, code, question, round(min(score, 100), 2)])
                    rows += 1
    workbook.save(path)
    return rows


# --- One measurement per process ------------------------------------------------------------------


def run_import(workbook: Path) -> dict:
    from imports.services import scores_import

    started, cpu_started = time.perf_counter(), cpu()
    with workbook.open("rb") as file:
        report = scores_import(file=file, user=None, dry_run=False)
    elapsed = time.perf_counter() - started
    assert not report.problems, [str(p) for p in report.problems[:5]]
    assert report.batch is not None
    return {
        "seconds": elapsed,
        "rows": report.row_count,
        "peak_mb": peak_mb(),
        "cpu": cpu() - cpu_started,
    }


def run_reimport(workbook: Path) -> dict:
    from imports.services import scores_import

    with workbook.open("rb") as file:
        scores_import(file=file, user=None, dry_run=False)
    started, cpu_started = time.perf_counter(), cpu()
    with workbook.open("rb") as file:
        report = scores_import(file=file, user=None, dry_run=False)
    elapsed = time.perf_counter() - started
    assert report.batch is None and not report.changes
    return {
        "seconds": elapsed,
        "rows": report.row_count,
        "peak_mb": peak_mb(),
        "cpu": cpu() - cpu_started,
    }


def run_update(workbook: Path) -> dict:
    from imports.services import scores_import

    with workbook.open("rb") as file:
        scores_import(file=file, user=None, dry_run=False)
    changed = changed_workbook(workbook)
    started, cpu_started = time.perf_counter(), cpu()
    with changed.open("rb") as file:
        report = scores_import(file=file, user=None, dry_run=False)
    elapsed = time.perf_counter() - started
    assert not report.problems, [str(p) for p in report.problems[:5]]
    assert report.counts["changed"] == report.row_count - report.counts["unchanged"]
    assert report.counts["changed"] > 0.9 * report.row_count, report.counts
    return {
        "seconds": elapsed,
        "rows": report.row_count,
        "peak_mb": peak_mb(),
        "cpu": cpu() - cpu_started,
    }


def run_preview(workbook: Path) -> dict:
    """Upload the changed copy over the first file: its check, stored once, and a page of it."""
    from django.test import override_settings

    from accounts.models import User
    from imports.pending import pending_create, pending_page
    from imports.services import scores_import

    with workbook.open("rb") as file:
        scores_import(file=file, user=None, dry_run=False)
    user = User.objects.create_superuser("bench", password="x")
    with (
        override_settings(MEDIA_ROOT=str(WORK / "media")),
        changed_workbook(workbook).open("rb") as file,
    ):
        started, cpu_started = time.perf_counter(), cpu()
        pending = pending_create(file=file, file_name="changed.xlsx", user=user)
        result = {"seconds": time.perf_counter() - started, "cpu": cpu() - cpu_started}
    assert pending.counts.get("changed", 0) > 0.9 * pending.row_count - 8300, pending.counts
    pages = pending_page(pending=pending, status="changed", number=None).pages
    started = time.perf_counter()
    page = pending_page(pending=pending, status="changed", number=pages)
    assert page.rows and page.rows[-1].status == "changed"
    result["last_page_ms"] = (time.perf_counter() - started) * 1000
    return result | {"rows": pending.row_count, "peak_mb": peak_mb()}


def changed_workbook(workbook: Path) -> Path:
    return workbook.with_name(workbook.stem + "-changed.xlsx")


def run_floor(workbook: Path) -> dict:
    """Read every row with the fastest reader the portal has and insert it bare: no checks."""
    from accounts.models import Agency
    from assessments.models import (
        Assessment,
        Indicator,
        IndicatorScore,
        InstrumentVersion,
        Question,
        QuestionScore,
    )
    from imports.writer import insert_rows
    from imports.xlsx import XlsxFile

    started, cpu_started = time.perf_counter(), cpu()
    version = InstrumentVersion.objects.get(fiscal_year=2563)
    indicators = dict(Indicator.objects.filter(version=version).values_list("number", "pk"))
    questions = dict(Question.objects.filter(version=version).values_list("code", "pk"))
    rows = 0
    with workbook.open("rb") as file, XlsxFile(file) as book:
        parts = dict(book.sheets)
        agency_rows = [cells for number, cells in book.rows(parts["agencies"]) if number > 1]
        rows += len(agency_rows)
        created = Agency.objects.bulk_create(
            [Agency(code=c[0], name_th=c[1], ministry=c.get(4, "")) for c in agency_rows],
            batch_size=2000,
        )
        agencies = {agency.code: agency.pk for agency in created}
        assessments = Assessment.objects.bulk_create(
            [
                Assessment(agency_id=pk, fiscal_year=2563, version=version)
                for pk in agencies.values()
            ],
            batch_size=2000,
        )
        by_code = dict(zip(agencies, assessments, strict=True))
        for sheet, model, target, lookup in [
            ("indicator scores", IndicatorScore, "indicator", indicators),
            ("question scores", QuestionScore, "question", questions),
        ]:
            scores = [
                (by_code[cells[1]].pk, lookup[cells[2]], cells[3], "", None)
                for number, cells in book.rows(parts[sheet])
                if number > 1
            ]
            rows += len(scores)
            insert_rows(
                model, ["assessment", target, "score", "source_sheet", "source_row"], scores
            )
    return {
        "seconds": time.perf_counter() - started,
        "rows": rows,
        "peak_mb": peak_mb(),
        "cpu": cpu() - cpu_started,
    }


def child(args: argparse.Namespace) -> None:
    setup_django(args.database_url)
    run = {
        "import": run_import,
        "reimport": run_reimport,
        "update": run_update,
        "floor": run_floor,
        "preview": run_preview,
    }
    result = run[args.child](Path(args.workbook))
    print(json.dumps(result))


# --- Orchestration --------------------------------------------------------------------------------


def fresh_database(template: Path, name: str, database_url: str | None) -> str:
    if database_url:
        # Databases named after the one in the URL: engineers sharing a server keep apart.
        base, _, prefix = database_url.rpartition("/")
        url = f"{base}/{prefix}_{name}"
        postgres_execute(
            base,
            f"DROP DATABASE IF EXISTS {prefix}_{name}",
            f"CREATE DATABASE {prefix}_{name} TEMPLATE {prefix}_template",
        )
        return url
    target = WORK / f"{name}.sqlite3"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


def postgres_execute(base: str, *statements: str) -> None:
    """Run statements outside a transaction in the server's postgres database."""
    import psycopg2

    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


def prepare_template(database_url: str | None) -> Path:
    """Migrate once and load the 2563 instrument; each measurement copies the result."""
    template = WORK / "template.sqlite3"
    if database_url:
        base, _, prefix = database_url.rpartition("/")
        postgres_execute(
            base,
            f"DROP DATABASE IF EXISTS {prefix}_template",
            f"CREATE DATABASE {prefix}_template",
        )
        url = f"{base}/{prefix}_template"
    else:
        template.unlink(missing_ok=True)
        url = f"sqlite:///{template}"
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT)!r});"
        f"from bench.import_bench import setup_django; setup_django({url!r});"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from assessments import demo; from assessments.services import instrument_version_load;"
        "instrument_version_load(data=json.loads(demo.DATA.read_text(encoding='utf-8')))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    return template


def measure(kind: str, workbook: Path, database: str) -> dict:
    output = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            kind,
            "--workbook",
            str(workbook),
            "--database-url",
            database,
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agencies", type=int, default=8300)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--child", choices=["import", "reimport", "update", "floor", "preview"])
    parser.add_argument("--workbook")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    WORK.mkdir(parents=True, exist_ok=True)
    template = prepare_template(args.database_url or None)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    python = sys.version.split()[0]
    print(f"Score import benchmark: {args.agencies:,} agencies, {backend}, Python {python}")
    print()
    header = (
        f"{'workbook':<34} {'what':<28} {'rows':>9} {'seconds':>8} {'CPU s':>6} {'rows/s':>9} "
        f"{'peak MB':>8} {'× floor':>8}"
    )
    print(header)
    print("-" * len(header))
    last_pages: list[str] = []
    for label, questions in [("× 10 indicator scores", False), ("× 45 question scores", True)]:
        workbook = (
            WORK / f"national-{args.agencies}-{'questions' if questions else 'indicators'}.xlsx"
        )
        if not workbook.exists():
            build_workbook(workbook, args.agencies, questions)
        if not changed_workbook(workbook).exists():
            build_workbook(changed_workbook(workbook), args.agencies, questions, shift=1)
        size = workbook.stat().st_size / 1024 / 1024
        name = f"{args.agencies:,} {label} ({size:.1f} MB)"
        results = {}
        for kind in ["floor", "import", "reimport", "update", "preview"]:
            database = fresh_database(template, kind, args.database_url or None)
            results[kind] = measure(kind, workbook, database)
        floor = results["floor"]["seconds"]
        last_pages.append(f"{results['preview']['last_page_ms']:.0f}")
        titles = {
            "floor": "floor: expat read + INSERT",
            "import": "scores_import (commit)",
            "reimport": "re-import (all unchanged)",
            "update": "re-import (scores changed)",
            "preview": "upload check, stored (changed)",
        }
        for kind, result in results.items():
            rate = result["rows"] / result["seconds"]
            ratio = result["seconds"] / floor
            print(
                f"{name:<34} {titles[kind]:<28} {result['rows']:>9,} {result['seconds']:>8.1f} "
                f"{result['cpu']:>6.1f} {rate:>9,.0f} {result['peak_mb']:>8.0f} {ratio:>8.2f}",
                flush=True,
            )
    print()
    print("Targets: scores_import ≥ 5,000 rows/s, ≤ 3 × floor, ≤ 300 MB peak (process max RSS).")
    print(f"Last page of the stored check's changed rows: {', '.join(last_pages)} (milliseconds).")


if __name__ == "__main__":
    main()

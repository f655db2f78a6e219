"""Backup and restore at national scale, on PostgreSQL and on SQLite.

    .venv/bin/python bench/backup/run.py [--database-url postgres://postgres@127.0.0.1:5432/ita_backup]
        [--agencies 8300] [--years 5] [--sqlite-only | --postgresql-only]

For each database it (re)creates it, migrates, loads the demo data and adds the national-scale
data of bench/pages (--agencies agencies, an assessment each in each of --years years with its
indicator and instrument scores, and the 2563 question scores; bulk inserts), then runs
`manage.py backup` and `manage.py restore --yes` as an operator would (DEBUG=0, each its own
process) and checks that every table has the same rows afterwards. Prints rows, archive size,
wall time and the CPU time of the command and its children (pg_dump, pg_restore, psql; the
PostgreSQL server's own work is not in it).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.pages.run import FIRST_YEAR_LAST, fill_national_scale, recreate_database  # noqa: E402


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(env: dict, *command: str) -> tuple[float, float]:
    """Run a manage.py command; return its wall and CPU seconds (children included)."""
    cpu, started = children_cpu(), time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=sys.stderr
    )
    return time.perf_counter() - started, children_cpu() - cpu


def one_database(url: str, agencies: int, years: int) -> dict:
    """Fill one database, back it up, restore it; return the measurements (run in a child)."""
    workdir = Path(tempfile.mkdtemp(prefix="ita-backup-bench-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(
        ITA_ENV_FILE="/nonexistent",
        DJANGO_SETTINGS_MODULE="ita_portal.settings",
        DEBUG="0",
        SECRET_KEY="bench-backup-" + "x" * 50,
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=url,
        MEDIA_ROOT=str(workdir / "media"),
        LOG_LEVEL="ERROR",
    )
    if url.startswith("postgres"):
        recreate_database(url)
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    for command in (["migrate", "--noinput"], ["createcachetable"], ["load_demo", "--force"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from ita_portal.backup import row_counts

    started = time.perf_counter()
    fill_national_scale(agencies, list(range(FIRST_YEAR_LAST - years + 1, FIRST_YEAR_LAST + 1)))
    filled = time.perf_counter() - started
    before = row_counts()
    connection.close()
    archive = workdir / "ita.tar.gz"
    backup_wall, backup_cpu = timed(env, "backup", "--output", str(archive))
    restore_wall, restore_cpu = timed(env, "restore", str(archive), "--yes")
    after = row_counts()
    connection.close()
    return {
        "database": connection.vendor,
        "rows": sum(before.values()),
        "fill": filled,
        "same": before == after,
        "archive": archive.stat().st_size,
        "backup": (backup_wall, backup_cpu),
        "restore": (restore_wall, restore_cpu),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ita_backup")
    parser.add_argument("--agencies", type=int, default=8300)
    parser.add_argument("--years", type=int, default=5)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--sqlite-only", action="store_true")
    only.add_argument("--postgresql-only", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child measuring one database
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_database(args.one, args.agencies, args.years)))
        return 0

    urls = []
    if not args.sqlite_only:
        urls.append(args.database_url)
    if not args.postgresql_only:
        urls.append(f"sqlite:///{tempfile.gettempdir()}/ita-backup-bench.sqlite3")
    results = []
    for url in urls:
        print(f"Preparing {url} ({args.agencies:,} agencies × {args.years} years) ...", flush=True)
        child = subprocess.run(
            [sys.executable, __file__, "--one", url, "--agencies", str(args.agencies)]
            + ["--years", str(args.years)],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    print()
    print(f"{args.agencies:,} agencies × {args.years} years, DEBUG=0, {os.cpu_count()} CPUs")
    print()
    print(
        "| database | rows | archive MB | backup s (CPU s) | restore s (CPU s) "
        "| restored rows/s | every table equal |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for r in results:
        (bw, bc), (rw, rc) = r["backup"], r["restore"]
        print(
            f"| {r['database']} | {r['rows']:,} | {r['archive'] / 1e6:.1f} | {bw:.1f} ({bc:.1f}) "
            f"| {rw:.1f} ({rc:.1f}) | {r['rows'] / rw:,.0f} | {'yes' if r['same'] else 'NO'} |"
        )
    return 0 if all(r["same"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

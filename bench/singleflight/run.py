"""Single-flight: managers asking at once for a summary PDF nobody has rendered yet.

    .venv/bin/python bench/singleflight/run.py [--database-url postgres://postgres@127.0.0.1:5432/ita_flight]
        [--managers 5] [--workers 4]

It prepares the database as bench/load does (demo data, DEBUG=0), then for each cache (one copy
per worker as before, `CACHE_URL=locmem://`; the database table, the default; Redis) starts
gunicorn with --workers (make serve's 4), lets every worker serve a few pages so each has
imported and connected, and has --managers managers ask for /reports/oie/2563/summary.pdf at
the same instant, the render done in the request (TASKS_BACKEND=immediate). A last case is
production's: the render is a background job (TASKS_BACKEND=database, one `db_worker`); each
manager is answered with the job's page, polls its status and downloads the PDF when done.
Prints, per case, how many renders the logs show, how long the first answer took and when
the managers had their PDF. Exits 1 when a shared cache renders more than once.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.load.client import Session  # noqa: E402
from bench.load.run import (  # noqa: E402
    PASSWORD,
    create_scenario,
    manage,
    production_env,
    recreate_database,
    wait_until_up,
)

PDF = "/reports/oie/2563/summary.pdf"
TOUCH = (
    "from assessments.models import Assessment; "
    "Assessment.objects.get(agency__code='oie', fiscal_year=2563).save()"
)


def start_redis(workdir: Path) -> tuple[subprocess.Popen, str]:
    """Start a Redis of the bench's own on a socket in workdir; return it and its URL."""
    socket = workdir / "redis.sock"
    server = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(socket), "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        if socket.exists():
            return server, f"unix://{socket}"
        time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def one_burst(env: dict, args, managers: list[str], log: Path) -> tuple[int, list, list]:
    """Return the renders logged, each manager's first answer and when each had the PDF."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {**env, "LOG_LEVEL": "INFO"}
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(gunicorn), "ita_portal.wsgi", "--bind", f"127.0.0.1:{args.port}"]
            + ["--workers", str(args.workers), "--timeout", "120"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        worker = None
        if env["TASKS_BACKEND"] == "database":
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_up(args.port, server)
            sessions = [Session(args.port) for _ in managers]
            for session, name in zip(sessions, managers, strict=True):
                session.login(name, PASSWORD)
            # Every worker serves pages first, so the burst measures the render, not start-up.
            for _ in range(args.workers * 3):
                sessions[0].request("GET", "/reports/oie/2563/summary/")
            answers: list[float] = [0.0] * len(sessions)
            done: list[float] = [0.0] * len(sessions)
            barrier = threading.Barrier(len(sessions))

            def ask(index: int) -> None:
                session = sessions[index]
                barrier.wait()
                started = time.monotonic()
                response = session.request("GET", PDF)
                answers[index] = time.monotonic() - started
                if response.status == 302:  # the job's page: follow it as its script does
                    job = response.headers["Location"].rstrip("/")
                    while json.loads(session.request("GET", f"{job}/status.json").body)["active"]:
                        time.sleep(1.0)
                    response = session.request("GET", PDF)
                assert response.status == 200, response.status
                done[index] = time.monotonic() - started

            threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(sessions))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            for process in (server, worker):
                if process is not None:
                    process.terminate()
                    process.wait(timeout=60)
    renders = sum("computed reports:summary" in line for line in log.read_text().splitlines())
    return renders, answers, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ita_flight")
    parser.add_argument("--managers", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8797)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ita-flight-"))
    env = production_env(args.database_url, workdir)
    print(f"Preparing {args.database_url} ...", flush=True)
    recreate_database(args.database_url)
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput")
    manage(env, "load_demo", "--force")
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    _, managers = create_scenario(0, args.managers)
    connection.close()

    redis, redis_url = start_redis(workdir) if shutil.which("redis-server") else (None, "")
    cases = [
        ("one per worker (locmem://, before)", "locmem://", "immediate"),
        ("database table", "", "immediate"),
    ]
    if redis_url:
        cases.append(("Redis", redis_url, "immediate"))
    cases.append(("database table, render as a background job", "", "database"))
    rows, failed = [], False
    try:
        for number, (name, url, tasks) in enumerate(cases):
            case_env = {**env, "CACHE_URL": url, "TASKS_BACKEND": tasks}
            if number:  # a new data stamp: every case starts with nothing cached
                manage(case_env, "shell", "-c", TOUCH)
            renders, answers, done = one_burst(case_env, args, managers, workdir / "log")
            rows.append((name, renders, answers, done))
            failed |= bool(url != "locmem://" and renders != 1)
    finally:
        if redis is not None:
            redis.terminate()
    print()
    print(
        f"{args.managers} managers at once, gunicorn {args.workers} sync workers, "
        f"{os.cpu_count()} CPUs, PostgreSQL, DEBUG=0"
    )
    print()
    print("| cache | renders | slowest answer s | first PDF s | last PDF s |")
    print("|---|---:|---:|---:|---:|")
    for name, renders, answers, done in rows:
        print(f"| {name} | {renders} | {max(answers):.2f} | {min(done):.2f} | {max(done):.2f} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

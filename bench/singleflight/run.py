"""Single-flight: managers asking at once for a summary PDF nobody has rendered yet.

    .venv/bin/python bench/singleflight/run.py [--database-url postgres://postgres@127.0.0.1:5432/ita_flight]
        [--managers 5] [--workers 4]

It prepares the database as bench/load does (demo data, DEBUG=0), then for each cache (one copy
per worker as before, `CACHE_URL=locmem://`; the database table, the default; Redis) starts
gunicorn with --workers (make serve's 4), lets every worker serve one page so each has
imported and connected, and has --managers managers ask for /reports/oie/2563/summary.pdf at
the same instant. Prints, per cache, how many renders the log shows and how long the managers
waited. Exits 1 when the shared caches render more than once.
"""

import argparse
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


def start_redis(workdir: Path) -> tuple[subprocess.Popen, str]:
    socket = workdir / "redis.sock"
    server = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(socket), "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        if socket.exists():
            break
        time.sleep(0.05)
    return server, f"unix://{socket}"


def one_burst(env: dict, args, managers: list[str], log: Path) -> tuple[int, list[float]]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(gunicorn), "ita_portal.wsgi", "--bind", f"127.0.0.1:{args.port}"]
            + ["--workers", str(args.workers), "--timeout", "120"],
            cwd=ROOT,
            env={**env, "LOG_LEVEL": "INFO"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(args.port, server)
            sessions = [Session(args.port) for _ in managers]
            for session, name in zip(sessions, managers, strict=True):
                session.login(name, PASSWORD)
            # Every worker imports WeasyPrint at start-up (the wsgi module loads the views), and
            # serves a page here, so the burst measures the render, not a cold worker.
            for _ in range(args.workers * 3):
                sessions[0].request("GET", "/reports/oie/2563/summary/")
            waits: list[float] = [0.0] * len(sessions)
            barrier = threading.Barrier(len(sessions))

            def ask(index: int) -> None:
                barrier.wait()
                started = time.monotonic()
                response = sessions[index].request("GET", PDF)
                assert response.status == 200, response.status
                waits[index] = time.monotonic() - started

            threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(sessions))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(timeout=60)
    renders = sum("computed reports:summary" in line for line in log.read_text().splitlines())
    return renders, waits


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
    cases = [("one per worker (locmem://, before)", "locmem://"), ("database table", "")]
    if redis_url:
        cases.append(("Redis", redis_url))
    rows, failed = [], False
    try:
        for name, url in cases:
            renders, waits = one_burst({**env, "CACHE_URL": url}, args, managers, workdir / "log")
            rows.append((name, renders, waits))
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
    print("| cache | renders | first answer s | last answer s | mean s |")
    print("|---|---:|---:|---:|---:|")
    for name, renders, waits in rows:
        print(
            f"| {name} | {renders} | {min(waits):.2f} | {max(waits):.2f} | "
            f"{sum(waits) / len(waits):.2f} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

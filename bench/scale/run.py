"""Scale-out on one machine: nginx, two gunicorn app servers, a worker, PostgreSQL and Redis.

    .venv/bin/python bench/scale/run.py [--database-url postgres://postgres@127.0.0.1:5432/ita_scale]
        [--staff 30] [--managers 6] [--duration 60] [--workers 4]

It prepares the database as bench/load does (demo data, one unit, staff user and activity per
virtual staff member; DEBUG=0), starts Redis (the shared cache, CACHE_URL) and the background
worker (`manage.py db_worker`: notification e-mails, PDF jobs), then runs bench/load's staff and
manager loops twice, each for --duration seconds, through nginx (deploy/nginx.conf.template):
first with one app server of --workers gunicorn workers, then with two app servers of half as many
workers each, the same CPU budget, killing the first app server (SIGKILL, the whole gunicorn) half
way through. Sessions live in PostgreSQL and the cache in Redis, so either server serves any user.
A request that fails is tried again by the virtual user (up to 3 times, like a user pressing
reload) and counted as retried. Afterwards every acknowledged save must be in its report's
history and every report submitted. Prints both runs side by side; exits 1 on a lost write, a
request that failed after its retries, or a missing submission.
"""

import argparse
import os
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.load import run as load  # noqa: E402
from bench.load.client import Session  # noqa: E402
from bench.singleflight.run import start_redis  # noqa: E402

NGINX_PORT = 8810
APP_PORTS = (8811, 8812)


class RetryingSession(Session):
    """A virtual user who tries a failed request again (a 502 or a dropped connection)."""

    retried = 0
    # A save retried after its first try reached the killed server and was written there: the
    # report's version has moved on, so the portal refuses the copy (409). Not a lost write.
    duplicates = 0

    def timed(self, name, method, path, expect, form=None):
        for attempt in range(3):
            response = super().timed(name, method, path, expect, form)
            if attempt and method == "POST" and response is not None and response.status == 409:
                RetryingSession.duplicates += 1
                self.samples[-1].ok = True
                return response
            if response is not None and response.status not in (502, 503, 504):
                return response
            if attempt < 2:
                self.samples.pop()  # the failed try is counted as retried, not as an error
                RetryingSession.retried += 1
                time.sleep(0.5)
        return response


def start_nginx(workdir: Path, ports: tuple[int, ...]) -> subprocess.Popen:
    template = string.Template((ROOT / "deploy" / "nginx.conf.template").read_text())
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=30s;" for port in ports
    )
    config = template.safe_substitute(
        workdir=workdir,
        servers=servers,
        port=NGINX_PORT,
        # As root, nginx's workers would become "nobody", who cannot write the temp folders.
        user_line="user root;" if os.geteuid() == 0 else "",
    )
    path = workdir / "nginx.conf"
    path.write_text(config)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen([nginx, "-c", str(path), "-p", str(workdir)])
    time.sleep(0.5)
    if process.poll() is not None:
        raise RuntimeError((workdir / "nginx-error.log").read_text())
    return process


def start_app(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "ita_portal.wsgi", "--config", "deploy/gunicorn.conf.py"]
        + ["--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), "--timeout", "60"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("a"),
        start_new_session=True,  # its own process group: the kill takes master and workers
    )
    load.wait_until_up(port, server)
    return server


def run_load(args, staff, managers, kill=None) -> tuple[list, float, float | None]:
    """Run the staff and manager loops through nginx; call kill() half way if given."""
    RetryingSession.retried = RetryingSession.duplicates = 0
    sessions = {
        name: RetryingSession(NGINX_PORT) for name in [u.username for u in staff] + managers
    }
    for name, session in sessions.items():
        session.login(name, load.PASSWORD)
    for user in staff:
        user.acknowledged.clear()
    stop = threading.Event()
    threads = [
        threading.Thread(target=load.staff_loop, args=(sessions[u.username], u, stop, args.think))
        for u in staff
    ] + [
        threading.Thread(target=load.manager_loop, args=(sessions[m], stop, args.think))
        for m in managers
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    killed_at = None
    if kill is not None:
        time.sleep(args.duration / 2)
        kill()
        killed_at = time.monotonic() - started
        time.sleep(args.duration / 2)
    else:
        time.sleep(args.duration)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    samples = [s for session in sessions.values() for s in session.samples]
    return samples, elapsed, killed_at


def submitted_reset(staff) -> None:
    """Put the staff's reports back to drafts so the second run submits them again."""
    from django.db import connection

    from measures.models import ProgressReport

    activity_ids = [int(u.report_path.strip("/").split("/")[2]) for u in staff]
    ProgressReport.objects.filter(activity_id__in=activity_ids).update(
        state=ProgressReport.State.DRAFT
    )
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ita_scale")
    parser.add_argument("--staff", type=int, default=30)
    parser.add_argument("--managers", type=int, default=6)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load per run")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between actions, s")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers in all")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ita-scale-"))
    redis, redis_url = start_redis(workdir)
    env = {**load.production_env(args.database_url, workdir), "CACHE_URL": redis_url}
    env["TASKS_BACKEND"] = "database"
    processes: list[subprocess.Popen] = [redis]
    try:
        print(f"Preparing {args.database_url} ...", flush=True)
        load.recreate_database(args.database_url)
        for command in (["migrate", "--noinput"], ["createcachetable"], ["collectstatic"]):
            load.manage(env, *command, *(["--noinput"] if command[0] == "collectstatic" else []))
        load.manage(env, "load_demo", "--force")
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection

        staff, managers = load.create_scenario(args.staff, args.managers)
        connection.close()
        log = workdir / "app.log"
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("a"),
        )
        processes.append(worker)

        # Run 1: nginx → one app server with every worker.
        single = start_app(env, APP_PORTS[0], args.workers, log)
        nginx = start_nginx(workdir, APP_PORTS[:1])
        processes += [single, nginx]
        print(f"Run 1: one app server ({args.workers} workers), {args.duration:.0f} s ...")
        one = run_load(args, staff, managers)
        one_writes = load.count_writes(staff)
        one_retried = (RetryingSession.retried, RetryingSession.duplicates)
        nginx.terminate()
        nginx.wait()
        os.killpg(single.pid, signal.SIGTERM)
        single.wait()
        submitted_reset(staff)

        # Run 2: nginx → two app servers, half the workers each; the first is killed half way.
        half = max(1, args.workers // 2)
        apps = [start_app(env, port, half, log) for port in APP_PORTS]
        nginx = start_nginx(workdir, APP_PORTS)
        processes += [*apps, nginx]

        def kill_first() -> None:
            os.killpg(apps[0].pid, signal.SIGKILL)

        print(f"Run 2: two app servers ({half} workers each), one killed at half time ...")
        two = run_load(args, staff, managers, kill=kill_first)
        two_writes = load.count_writes(staff)
        two_retried = (RetryingSession.retried, RetryingSession.duplicates)
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                if str(process.args[0]).endswith("gunicorn"):
                    os.killpg(process.pid, signal.SIGTERM)  # master and workers
                else:
                    process.terminate()
                process.wait(timeout=60)

    print()
    print(
        f"{args.staff} staff and {args.managers} managers through nginx, {args.duration:.0f} s "
        f"per run, think time {args.think} s mean, PostgreSQL, Redis cache, {os.cpu_count()} CPUs"
    )
    print()
    print(
        "| run | requests | req/s | p50 ms | p95 ms | retried | retried save already written "
        "| failed | saves acknowledged | lost | reports submitted |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    failed_any = False
    failures = []
    for name, (samples, elapsed, _killed), writes, (retried, duplicates) in [
        (f"one app server, {args.workers} workers", one, one_writes, one_retried),
        (
            f"two app servers × {half} workers, one killed at {two[2]:.0f} s",
            two,
            two_writes,
            two_retried,
        ),
    ]:
        acknowledged, _found, lost, wrong_final, submitted = writes
        times = sorted(s.seconds * 1000 for s in samples)
        failed = sum(not s.ok for s in samples)
        failures += [f"{name}: {s.name} HTTP {s.status}" for s in samples if not s.ok]
        failed_any |= bool(failed or lost or wrong_final or submitted < args.staff)
        print(
            f"| {name} | {len(samples)} | {len(samples) / elapsed:.1f} | "
            f"{load.percentile(times, 50):.0f} | {load.percentile(times, 95):.0f} | {retried} | "
            f"{duplicates} | {failed} | {acknowledged} | {lost + wrong_final} | "
            f"{submitted}/{args.staff} |"
        )
    for failure in failures:
        print(f"Failed: {failure}")
    return 1 if failed_any else 0


if __name__ == "__main__":
    sys.exit(main())

"""Load test: staff save and submit progress reports while managers read dashboards and summaries.

    .venv/bin/python bench/load/run.py [--database-url postgres://postgres@127.0.0.1:5432/ita_load]
        [--staff 50] [--managers 10] [--duration 120] [--think 1.0] [--workers 5]

It (re)creates the database, migrates, loads the demo data, adds one unit, staff user and
activity per virtual staff member, starts gunicorn with production settings (DEBUG=0, behind a
simulated TLS proxy) on the loopback, and runs every virtual user in its own thread for
--duration seconds. Staff loop: open their activity's report for round 1, save it with a new
numbered text (each acknowledged save is remembered), think; at the end each saves once more
with "Save and submit for review". Managers loop over the dashboard, the plan, the assessment
page, the executive summary and the six-month progress report. Afterwards the database is read:
every acknowledged save must be in the report's history, the stored text must be the last one
acknowledged and every report must be submitted. Prints latency percentiles per request kind;
exits 1 on any error, lost write or missing submission.
"""

import argparse
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.load.client import Sample, Session  # noqa: E402

HOST = "ita.example.go.th"
PASSWORD = "load-test-" + secrets.token_hex(8)
MANAGER_PAGES = {
    "manager: dashboard": "/measures/2564/dashboard/",
    "manager: plan": "/measures/2564/",
    "manager: assessment": "/assessments/oie/2563/",
    "manager: summary": "/reports/oie/2563/summary/",
    "manager: progress report": "/reports/oie/2564/progress/1/",
}


@dataclass
class StaffUser:
    username: str
    report_path: str
    acknowledged: list[str] = field(default_factory=list)


def production_env(database_url: str, workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(
        ITA_ENV_FILE="/nonexistent",
        DJANGO_SETTINGS_MODULE="ita_portal.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        DB_CONN_MAX_AGE="60",
        BEHIND_PROXY="1",
        PROXY_COUNT="1",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        LOG_LEVEL="ERROR",
    )
    return env


def recreate_database(database_url: str) -> None:
    import psycopg2

    url = urllib.parse.urlparse(database_url)
    name = url.path.lstrip("/")
    admin = psycopg2.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def create_scenario(staff_count: int, manager_count: int) -> tuple[list[StaffUser], list[str]]:
    """Give each virtual staff member a unit, a user and an activity of OIE's 2564 plan."""
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction

    from accounts.models import Agency, Unit, User
    from accounts.roles import Role
    from measures.models import Activity, Plan

    oie = Agency.objects.get(code="oie")
    plan = Plan.objects.get(agency=oie, fiscal_year=2564)
    measure = plan.measures.order_by("number").first()
    round_one = plan.rounds.get(number=1)
    password = make_password(PASSWORD)
    staff_group = Group.objects.get(name=Role.STAFF.value)
    manager_group = Group.objects.get(name=Role.MANAGER.value)
    staff, managers = [], []
    with transaction.atomic():
        for number in range(1, staff_count + 1):
            unit = Unit.objects.create(agency=oie, code=f"LT{number:02d}", name_th=f"หน่วย {number}")
            user = User.objects.create(
                username=f"load_staff_{number:02d}", agency=oie, password=password
            )
            user.groups.add(staff_group)
            user.units.add(unit)
            activity = Activity.objects.create(
                measure=measure,
                number=f"L{number}",
                title_th=f"กิจกรรมทดสอบภาระ {number}",
                lead_unit=unit,
                deadline=dt.date(2021, 3, 31),
            )
            activity.units.add(unit)
            path = f"/measures/activity/{activity.pk}/round/{round_one.pk}/"
            staff.append(StaffUser(user.username, path))
        for number in range(1, manager_count + 1):
            user = User.objects.create(
                username=f"load_manager_{number:02d}", agency=oie, password=password
            )
            user.groups.add(manager_group)
            managers.append(user.username)
    return staff, managers


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    probe = Session(port)
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            if probe.request("GET", "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer /healthz")


def report_form(session: Session, page, user: StaffUser, text: str, percent: int) -> dict:
    return {
        "csrfmiddlewaretoken": session.csrf(page),
        "status": "in_progress",
        "percent": str(percent),
        "results": text,
        "obstacles": "",
        "next_steps": "",
        "version": page.input_value("version"),
    }


def staff_loop(session: Session, user: StaffUser, stop: threading.Event, think: float) -> None:
    sequence = 0
    while not stop.is_set():
        page = session.timed("staff: open report", "GET", user.report_path, 200)
        if page is not None and page.status == 200:
            sequence += 1
            text = f"ผลการดำเนินงาน {user.username} #{sequence}"
            form = report_form(session, page, user, text, min(sequence, 99))
            saved = session.timed("staff: save report", "POST", user.report_path, 302, form)
            if saved is not None and saved.status == 302:
                user.acknowledged.append(text)
        stop.wait(random.uniform(0, 2 * think))
    page = session.timed("staff: open report", "GET", user.report_path, 200)
    if page is None or page.status != 200:
        return
    text = f"ผลการดำเนินงาน {user.username} ส่งตรวจ"
    form = {**report_form(session, page, user, text, 100), "and_submit": "1"}
    done = session.timed("staff: save and submit", "POST", user.report_path, 302, form)
    if done is not None and done.status == 302:
        user.acknowledged.append(text)


def manager_loop(session: Session, stop: threading.Event, think: float) -> None:
    pages = list(MANAGER_PAGES.items())
    while not stop.is_set():
        name, path = random.choice(pages)
        session.timed(name, "GET", path, 200)
        stop.wait(random.uniform(0, 2 * think))


def percentile(values: list[float], share: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


def summarise(samples: list[Sample], seconds: float) -> list[str]:
    kinds = sorted({s.name for s in samples})
    lines = [
        "| request | count | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in [*kinds, "all"]:
        chosen = [s for s in samples if kind in {"all", s.name}]
        times = sorted(s.seconds * 1000 for s in chosen)
        errors = sum(not s.ok for s in chosen)
        lines.append(
            f"| {kind} | {len(chosen)} | {errors} | {len(chosen) / seconds:.1f} | "
            f"{percentile(times, 50):.0f} | {percentile(times, 95):.0f} | "
            f"{percentile(times, 99):.0f} | {times[-1]:.0f} |"
        )
    return lines


def count_writes(staff: list[StaffUser]) -> tuple[int, int, int, int, int]:
    """Return acknowledged saves, those in history, lost ones, wrong final texts, submitted."""
    from django.db import connection

    from measures.models import ProgressReport

    connection.close()
    acknowledged = found = lost = wrong_final = submitted = 0
    for user in staff:
        activity_pk, round_pk = (int(p) for p in user.report_path.strip("/").split("/")[2::2])
        report = ProgressReport.objects.filter(activity_id=activity_pk, round_id=round_pk).first()
        history = set() if report is None else set(report.history.values_list("results", flat=True))
        acknowledged += len(user.acknowledged)
        present = sum(text in history for text in user.acknowledged)
        found += present
        lost += len(user.acknowledged) - present
        if user.acknowledged and (report is None or report.results != user.acknowledged[-1]):
            wrong_final += 1
        submitted += report is not None and report.state == ProgressReport.State.SUBMITTED
    return acknowledged, found, lost, wrong_final, submitted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/ita_load",
        help="PostgreSQL database to DROP and create for the run",
    )
    parser.add_argument("--staff", type=int, default=50)
    parser.add_argument("--managers", type=int, default=10)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of load")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between actions, s")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ita-load-"))
    env = production_env(args.database_url, workdir)
    print(f"Preparing {args.database_url} ...", flush=True)
    recreate_database(args.database_url)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "load_demo", "--force")
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    staff, managers = create_scenario(args.staff, args.managers)
    connection.close()

    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "ita_portal.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(args.port, server)
        sessions = {name: Session(args.port) for name in [u.username for u in staff] + managers}
        # Password hashing is deliberately slow: log in a few at a time, before the clock starts.
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            list(pool.map(lambda name: sessions[name].login(name, PASSWORD), sessions))
        print(
            f"Running {args.staff} staff and {len(managers)} managers for {args.duration:.0f} s "
            f"against gunicorn ({args.workers} workers) ...",
            flush=True,
        )
        stop = threading.Event()
        threads = [
            threading.Thread(target=staff_loop, args=(sessions[u.username], u, stop, args.think))
            for u in staff
        ] + [
            threading.Thread(target=manager_loop, args=(sessions[m], stop, args.think))
            for m in managers
        ]
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.duration)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        _, server_log = server.communicate(timeout=60)

    samples = [s for session in sessions.values() for s in session.samples]
    acknowledged, found, lost, wrong_final, submitted = count_writes(staff)
    errors = sum(not s.ok for s in samples)
    print()
    print(
        f"{args.staff} staff, {len(managers)} managers, {elapsed:.0f} s, think time "
        f"{args.think} s mean, gunicorn {args.workers} sync workers, {os.cpu_count()} CPUs, "
        f"load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after"
    )
    print()
    print("\n".join(summarise(samples, elapsed)))
    print()
    print(
        f"Writes: {acknowledged} saves acknowledged, {found} found in the reports' history, "
        f"{lost} lost, {wrong_final} reports whose stored text is not the last acknowledged; "
        f"{submitted}/{args.staff} reports in state submitted."
    )
    server_errors = [line for line in server_log.splitlines() if "Traceback" in line]
    print(f"Errors: {errors} failed requests, {len(server_errors)} server tracebacks.")
    return 1 if errors or lost or wrong_final or server_errors or submitted < args.staff else 0


if __name__ == "__main__":
    sys.exit(main())

"""Races with a round's lock, on PostgreSQL: a save cannot land after a lock it did not see.

Before the round's row was locked, a save that read the round while an admin was locking it
landed in the locked round in 7 of 10 races. Here the admin's transaction locks the round and
holds it until the save is seen waiting on that row; the save must then find the round locked.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from measures import services
from measures.models import ProgressReport, Round
from tests.measures.builders import PlanWorld, make_report
from tests.measures.services.test_reports import data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (SQLite lets one writer in at a time)",
    ),
]
PATIENCE = 10  # seconds the admin's transaction holds the round before giving up on the race


def someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def lock_while_others_wait(round_: Round, admin, locked: threading.Event) -> None:
    """Lock the round in a transaction kept open until another one waits for a row lock."""
    try:
        with transaction.atomic():
            services.round_lock(round_=round_, user=admin, lock=True)
            locked.set()
            give_up = time.monotonic() + PATIENCE
            while not someone_waits_for_a_lock() and time.monotonic() < give_up:
                time.sleep(0.05)
    finally:
        connections.close_all()


def race(world, admin, write) -> ValidationError | None:
    locked = threading.Event()
    locker = threading.Thread(target=lock_while_others_wait, args=(world.round, admin, locked))
    locker.start()
    assert locked.wait(PATIENCE)
    try:
        write()
    except ValidationError as error:
        return error
    finally:
        locker.join(PATIENCE + 5)
    return None


def test_a_save_that_waited_for_the_lock_finds_the_round_locked(personas):
    world = PlanWorld(personas)

    def write():
        services.report_save(
            activity=world.activity,
            round_=world.round,
            user=personas.staff,
            version=0,
            data=data(),
        )

    error = race(world, personas.admin, write)
    assert error is not None and error.code == "round_locked"
    assert not ProgressReport.objects.exists()


def test_a_submit_that_waited_for_the_lock_finds_the_round_locked(personas):
    world = PlanWorld(personas)
    report = make_report(world.activity, world.round)

    def write():
        services.report_submit(report=report, user=personas.staff, version=1)

    error = race(world, personas.admin, write)
    assert error is not None and error.code == "round_locked"
    report.refresh_from_db()
    assert report.state == "draft"

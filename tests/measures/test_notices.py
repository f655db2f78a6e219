"""What the measures workflow tells whom: submit, return, approve, owners named, rounds."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from measures import services
from notifications.models import Notification
from tests.measures.builders import PlanWorld

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
TODAY = dt.date(2021, 4, 10)  # the builders' round 1 of 2564 is open


@pytest.fixture
def world(personas):
    return PlanWorld(personas)


def told(kind) -> list[str]:
    rows = Notification.objects.filter(kind=kind).order_by("recipient__username")
    return [row.recipient.username for row in rows]


def data() -> dict:
    return {
        "status": "in_progress",
        "percent": 40,
        "results": "ผล",
        "obstacles": "",
        "next_steps": "",
        "steps_done": [],
    }


def submitted(world, writer, submitter=None):
    report = services.report_save(
        activity=world.activity,
        round_=world.round,
        user=writer,
        version=0,
        data=data(),
        today=TODAY,
    )
    return services.report_submit(report=report, user=submitter or writer, version=report.version)


def test_a_submitted_report_is_told_to_the_reviewers_who_may_approve_it(personas, world):
    submitted(world, personas.admin, personas.staff)
    # the admin saved its text, so separation of duties keeps them from approving it
    assert told(Kind.SUBMITTED) == ["manager"]
    notification = Notification.objects.get()
    assert notification.link == f"/measures/activity/{world.activity.pk}/round/{world.round.pk}/"
    assert notification.params["activity"] == "1.1" and notification.params["actor"] == "staff"


def test_a_returned_report_is_told_to_its_people_with_the_comment(personas, world):
    report = submitted(world, personas.staff)
    services.report_review(
        report=report,
        user=personas.manager,
        version=report.version,
        approve=False,
        comment="โปรดแนบหลักฐาน",
    )
    assert told(Kind.RETURNED) == ["admin", "staff"]  # กพบ.'s members; the manager acted
    assert Notification.objects.filter(kind=Kind.RETURNED).first().params["comment"] == (
        "โปรดแนบหลักฐาน"
    )


def test_an_approved_report_is_told_to_the_named_owner_and_the_submitter(personas, world):
    world.activity.owners.set([personas.other_staff])
    report = submitted(world, personas.staff)
    services.report_review(
        report=report, user=personas.manager, version=report.version, approve=True, comment=""
    )
    assert told(Kind.APPROVED) == ["staff", "staff2"]


def test_new_owners_are_told_once(personas, world):
    def save(owners):
        services.activity_save(
            activity=world.activity,
            user=personas.admin,
            units=[personas.unit],
            steps_th=["ขั้นแรก"],
            owners=owners,
        )

    save([personas.staff])
    save([personas.staff, personas.other_staff])
    assert told(Kind.ASSIGNED) == ["staff", "staff2"]
    assert Notification.objects.get(recipient=personas.staff).link == (
        f"/measures/activity/{world.activity.pk}/"
    )


def test_locking_a_round_tells_its_people_it_is_closed(personas, world):
    services.round_lock(round_=world.round, user=personas.admin, lock=True)
    services.round_lock(round_=world.round, user=personas.admin, lock=True)  # locked already
    assert told(Kind.ROUND_CLOSED) == ["staff", "staff2"]  # the admin locked it
    services.round_lock(round_=world.round, user=personas.admin, lock=False)
    assert Notification.objects.count() == 2


def test_an_open_round_is_announced_once_by_the_daily_command(personas, world):
    out = StringIO()
    call_command("announce_rounds", "--date", "2021-04-10", stdout=out)
    assert "3 people told" in out.getvalue()
    assert told(Kind.ROUND_OPENED) == ["admin", "staff", "staff2"]
    notification = Notification.objects.get(recipient=personas.staff)
    assert notification.params["due"] == "2021-04-15" and notification.link == "/measures/2564/"
    call_command("announce_rounds", "--date", "2021-04-11", stdout=out)
    assert Notification.objects.count() == 3


def test_a_round_not_yet_open_or_past_due_is_not_announced(world):
    out = StringIO()
    call_command("announce_rounds", "--date", "2021-02-28", stdout=out)
    call_command("announce_rounds", "--date", "2021-04-16", stdout=out)
    assert Notification.objects.count() == 0

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from measures.models import ReminderLog
from tests.measures.builders import PlanWorld, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    for user in (personas.staff, personas.other_staff, personas.admin):
        user.email = f"{user.username}@oie.example"
        user.save()
    return PlanWorld(personas)


def run(day: dt.date) -> str:
    out = StringIO()
    call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def test_it_mails_owners_of_reports_due_within_7_days_once_a_day(world, personas):
    due = world.round.due_on
    assert "0 reminder" in run(due - dt.timedelta(days=8))
    assert "3 reminder" in run(due - dt.timedelta(days=7))
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["admin@oie.example", "staff2@oie.example", "staff@oie.example"]
    staff_mail = next(m for m in mail.outbox if m.to == ["staff@oie.example"])
    assert "กิจกรรม 1.1" in staff_mail.body and "ใกล้ถึงกำหนด" in staff_mail.body
    assert "1.2" not in staff_mail.body
    assert "แจ้งเตือน" in staff_mail.subject
    assert "0 reminder" in run(due - dt.timedelta(days=7))  # the same day again: nothing
    assert len(mail.outbox) == 3
    assert ReminderLog.objects.count() == 3


def test_it_mails_overdue_reports_and_skips_submitted_ones(world, personas):
    make_report(world.activity, world.round, state="submitted")
    run(world.round.due_on + dt.timedelta(days=3))
    assert [m.to for m in mail.outbox] == [["staff2@oie.example"]]
    assert "เลยกำหนดแล้ว" in mail.outbox[0].body


def test_it_skips_locked_rounds(world):
    world.round.locked_at = dt.datetime.now(dt.UTC)
    world.round.save()
    assert "0 reminder" in run(world.round.due_on)
    assert mail.outbox == []

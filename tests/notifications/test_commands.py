"""The daily digest command, for cron: once per user and day."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from notifications.models import Preference
from tests.notifications.builders import tell

pytestmark = pytest.mark.django_db


def run(day: str) -> str:
    out = StringIO()
    call_command("send_digest", "--date", day, stdout=out)
    return out.getvalue()


def test_it_queues_the_digest_once_a_day(people, django_capture_on_commit_callbacks):
    Preference.objects.create(user=people.staff, email=Preference.Email.DIGEST)
    tell([people.staff, people.other_staff])
    with django_capture_on_commit_callbacks(execute=True):
        assert "1 digest e-mail(s) queued for 2021-04-10" in run("2021-04-10")
        assert "0 digest" in run("2021-04-10")
    assert [m.to for m in mail.outbox] == [["staff@oie.example"]]

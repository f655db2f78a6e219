"""Telling people: stored in the portal, e-mailed after the commit, retried, digested."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications import services
from notifications.models import Delivery, Notification, Preference
from notifications.tasks import MAX_ATTEMPTS
from tests.notifications.builders import tell

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_it_stores_a_notification_for_each_recipient_but_the_actor(people):
    tell([people.staff, people.other_staff, people.manager], actor=people.manager)
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "staff",
        "staff2",
    ]


def test_it_tells_nobody_inactive(people):
    people.staff.is_active = False
    people.staff.save()
    assert tell([people.staff]) == []


def test_it_mails_once_after_the_commit_in_thai_with_an_absolute_link(
    people, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_URL = "https://ita.oie.example"
    with django_capture_on_commit_callbacks(execute=True):
        tell([people.staff])
        assert mail.outbox == []  # nothing leaves before the commit
    assert [m.to for m in mail.outbox] == [["staff@oie.example"]]
    message = mail.outbox[0]
    assert message.subject == "[ITA] Manager ส่งรายงานของกิจกรรม 1.1 (รอบ 6 เดือน) กลับให้แก้ไข"
    assert "เรียน Staff" in message.body
    assert "ความเห็น: โปรดแนบหลักฐาน" in message.body
    assert "https://ita.oie.example/measures/activity/1/round/1/" in message.body
    assert f" {timezone.localdate().year + 543} " in message.body  # when, in the Buddhist Era
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_it_mails_in_the_recipients_language(people, django_capture_on_commit_callbacks):
    Preference.objects.create(user=people.staff, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        tell([people.staff])
    message = mail.outbox[0]
    assert (
        message.subject
        == "[ITA] Manager returned the report of activity 1.1 (6-month round) for correction"
    )
    assert "Transparent personnel administration" in message.body


def test_it_mails_neither_digest_readers_nor_those_who_want_none(
    people, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=people.staff, email=Preference.Email.DIGEST)
    Preference.objects.create(user=people.other_staff, email=Preference.Email.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        tell([people.staff, people.other_staff, people.outsider])
    assert mail.outbox == []  # the outsider has no e-mail address
    assert Notification.objects.count() == 3


def test_it_tells_each_person_once_under_a_key(people):
    tell([people.staff], key="round-opened:1")
    assert tell([people.staff, people.other_staff], key="round-opened:1")[0].recipient == (
        people.other_staff
    )
    assert Notification.objects.filter(recipient=people.staff).count() == 1


def test_it_tries_a_failing_mail_again_then_records_it_failed(
    people, django_capture_on_commit_callbacks
):
    with (
        mock.patch("notifications.channels.send_mail", side_effect=OSError("refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tell([people.staff])
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, MAX_ATTEMPTS)
    assert delivery.last_error == "OSError: refused"


def test_it_sends_on_a_later_try_after_a_failure(people, django_capture_on_commit_callbacks):
    with (
        mock.patch("notifications.channels.send_mail", side_effect=[OSError("busy"), 1]),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tell([people.staff])
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)


def test_a_queue_that_fails_leaves_the_action_done(people, django_capture_on_commit_callbacks):
    with (
        mock.patch("notifications.channels.enqueue", side_effect=RuntimeError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tell([people.staff])
    assert Notification.objects.count() == 1
    assert Delivery.objects.get().status == Delivery.Status.PENDING


@override_settings(TASKS=DATABASE_TASKS)
@pytest.mark.django_db(transaction=True)
def test_the_database_backend_queues_the_mail_for_the_worker(people):
    with transaction.atomic():
        tell([people.staff])
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert [m.to for m in mail.outbox] == [["staff@oie.example"]]
    assert Delivery.objects.get().status == Delivery.Status.SENT


@override_settings(TASKS=DATABASE_TASKS)
@pytest.mark.django_db(transaction=True)
def test_the_database_backend_waits_before_trying_again(people):
    with transaction.atomic():
        tell([people.staff])
    with mock.patch("notifications.channels.send_mail", side_effect=OSError("busy")):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    retry = DBTaskResult.objects.order_by("enqueued_at").last()
    assert retry.status == "READY" and retry.run_after > delivery.created_at + dt.timedelta(
        seconds=50
    )


def test_the_digest_holds_unread_notifications_no_mail_carried(
    people, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=people.staff, email=Preference.Email.DIGEST)
    first, second, read = (tell([people.staff])[0] for _ in range(3))
    services.notification_mark_read(notification=read)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_send(day=dt.date(2021, 4, 10)) == 1
    assert [m.to for m in mail.outbox] == [["staff@oie.example"]]
    digest = mail.outbox[0]
    assert "การแจ้งเตือนของคุณใน ITA Portal: 2" in digest.subject
    assert "10 เม.ย. 2564" in digest.body
    assert set(Delivery.objects.get().notifications.all()) == {first, second}


def test_the_digest_goes_once_a_day(people, django_capture_on_commit_callbacks):
    Preference.objects.create(user=people.staff, email=Preference.Email.DIGEST)
    tell([people.staff])
    day = dt.date(2021, 4, 10)
    with django_capture_on_commit_callbacks(execute=True):
        services.digest_send(day=day)
        tell([people.staff])
        assert services.digest_send(day=day) == 0
    assert len(mail.outbox) == 1


def test_marking_all_read_leaves_other_peoples_unread(people):
    tell([people.staff, people.other_staff])
    assert services.notifications_mark_all_read(user=people.staff) == 1
    assert Notification.objects.filter(read_at=None).get().recipient == people.other_staff


def test_it_saves_a_preference(people):
    services.preference_save(user=people.staff, email="digest", language="en")
    preference = Preference.objects.get(user=people.staff)
    assert (preference.email, preference.language) == ("digest", "en")

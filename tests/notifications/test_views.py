"""The notifications list, opening one, marking all read, and the settings page."""

import pytest
from django.urls import reverse

from notifications.models import Notification, Preference
from tests.notifications.builders import tell

pytestmark = pytest.mark.django_db


def test_it_lists_the_users_notifications_in_thai_newest_first(client, people):
    tell([people.staff])
    tell([people.other_staff])
    client.force_login(people.staff)
    body = client.get(reverse("notifications:list")).content.decode()
    assert body.count('data-testid="notification"') == 1
    assert "Manager ส่งรายงานของกิจกรรม 1.1 (รอบ 6 เดือน) กลับให้แก้ไข" in body
    assert "ความเห็น: โปรดแนบหลักฐาน" in body
    assert 'data-testid="unread-count">1<' in body


def test_it_speaks_the_readers_language(client, people):
    tell([people.staff])
    client.force_login(people.staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("notifications:list")).content.decode()
    assert "Manager returned the report of activity 1.1 (6-month round) for correction" in body
    assert "Transparent personnel administration" in body


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, people):
    notification = tell([people.staff])[0]
    client.force_login(people.staff)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.url == "/measures/activity/1/round/1/"
    notification.refresh_from_db()
    assert notification.is_read


def test_nobody_opens_another_persons_notification(client, people):
    notification = tell([people.staff])[0]
    client.force_login(people.other_staff)
    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404
    people.admin.is_superuser = True
    people.admin.save()
    client.force_login(people.admin)
    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_marking_all_read_empties_the_count(client, people):
    tell([people.staff])
    tell([people.staff])
    client.force_login(people.staff)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert 'data-testid="unread-count"' not in response.content.decode()
    assert not Notification.objects.filter(read_at=None).exists()


@pytest.mark.parametrize("name", ["read_all", "open"])
def test_the_changes_refuse_get(client, people, name):
    notification = tell([people.staff])[0]
    client.force_login(people.staff)
    args = [notification.pk] if name == "open" else []
    assert client.get(reverse(f"notifications:{name}", args=args)).status_code == 405
    notification.refresh_from_db()
    assert not notification.is_read


def test_the_pages_need_a_login(client, people):
    for url in (reverse("notifications:list"), reverse("notifications:preferences")):
        assert client.get(url).url.startswith("/accounts/login/")


def test_the_settings_page_saves_the_choice_and_language(client, people):
    client.force_login(people.staff)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "อีเมลสรุปวันละฉบับแทน" in page
    immediate = page[page.index('value="immediate"') :]
    assert "checked" in immediate[: immediate.index(">")]
    response = client.post(
        reverse("notifications:preferences"), {"email": "digest", "language": "en"}
    )
    assert response.status_code == 302
    preference = Preference.objects.get(user=people.staff)
    assert (preference.email, preference.language) == ("digest", "en")


def test_the_settings_page_refuses_an_unknown_choice(client, people):
    client.force_login(people.staff)
    response = client.post(
        reverse("notifications:preferences"), {"email": "line", "language": "th"}
    )
    assert response.status_code == 400
    assert 'data-testid="error-email"' in response.content.decode()
    assert not Preference.objects.exists()


def test_the_settings_page_says_when_no_mail_can_reach_the_user(client, personas):
    client.force_login(personas.staff)
    assert (
        'data-testid="no-email"'
        in client.get(reverse("notifications:preferences")).content.decode()
    )


def test_the_list_pages_and_pins_its_queries(client, people, django_assert_num_queries):
    for _ in range(25):
        tell([people.staff])
    client.force_login(people.staff)
    client.get(reverse("notifications:list"))
    # session, user; the count, the page's rows, the unread count (the navigation reuses it);
    # the navigation's role groups, work count (open rounds: none), and the user's agency
    with django_assert_num_queries(8):
        body = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert body.count('data-testid="notification"') == 5

"""Lockouts: who of an agency has failed logins, and who is locked out now."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.selectors import lockouts


def attempt(username: str, failures: int, ip: str = "10.0.0.1", minutes_ago: int = 0) -> None:
    AccessAttempt.objects.create(
        username=username,
        ip_address=ip,
        user_agent=f"ua-{ip}",
        path_info="/accounts/login/",
        failures_since_start=failures,
        attempt_time=timezone.now() - timedelta(minutes=minutes_ago),
    )
    AccessAttempt.objects.filter(username=username, ip_address=ip).update(
        attempt_time=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_it_says_who_is_locked_now_locked_first(personas):
    limit = settings.AXES_FAILURE_LIMIT
    attempt("staff2", 2, minutes_ago=1)
    attempt("staff", limit, ip="10.0.0.1", minutes_ago=5)
    attempt("staff", 1, ip="10.0.0.2", minutes_ago=3)
    attempt("manager", limit, minutes_ago=settings.AXES_COOLOFF_TIME * 60 + 1)  # expired
    attempt("outsider", limit)
    found = lockouts(User.objects.filter(agency=personas.agency), now=timezone.now())
    assert [(f.user.username, f.locked) for f in found] == [
        ("staff", True),
        ("staff2", False),
        ("manager", False),
    ]
    assert found[0].failures == limit + 1
    assert found[0].addresses == ("10.0.0.1", "10.0.0.2")


def test_the_lockouts_page_takes_eight_queries(personas, django_assert_num_queries):
    attempt("staff", settings.AXES_FAILURE_LIMIT)
    attempt("staff2", 1)
    client = Client()
    client.force_login(personas.admin)
    # 1 session, 2 the signed-in user, 3 the role groups, 4 the agency's users,
    # 5 their access attempts, 6 the agency shown under the title, 7 the navigation's unread
    # notifications, 8 its open rounds (to count the user's work)
    with django_assert_num_queries(8):
        assert client.get("/accounts/lockouts/").status_code == 200

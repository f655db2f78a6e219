"""Login brute-force protection (django-axes): a username+IP pair is locked, never a whole IP."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.base import PASSWORD

LOCKED_TH = "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินกำหนด"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """Every attempt here checks a password: hash the personas' passwords cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(username: str, password: str, ip: str = "10.0.0.1", **headers):
    return Client().post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        **headers,
    )


def fail(username: str, times: int, ip: str = "10.0.0.1", **headers):
    for _ in range(times):
        response = login(username, "wrong password", ip, **headers)
    return response


def test_it_locks_a_user_and_ip_after_the_failure_limit(personas):
    response = fail("staff", settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 200
    assert 'data-testid="login-error"' in response.content.decode()

    response = fail("staff", 1)
    assert response.status_code == 429
    assert LOCKED_TH in response.content.decode()

    response = login("staff", PASSWORD)
    assert response.status_code == 429, "the right password does not open a locked account"
    assert LOCKED_TH in response.content.decode()


def test_it_does_not_lock_other_users_behind_the_same_ip(personas):
    fail("staff", settings.AXES_FAILURE_LIMIT)
    response = login("staff2", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_does_not_lock_the_user_from_another_ip(personas):
    fail("staff", settings.AXES_FAILURE_LIMIT)
    assert login("staff", PASSWORD, ip="10.0.0.2").status_code == 302


def test_it_unlocks_after_the_cool_off(personas):
    fail("staff", settings.AXES_FAILURE_LIMIT)
    assert login("staff", PASSWORD).status_code == 429
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - timedelta(seconds=1))
    assert login("staff", PASSWORD).status_code == 302


def test_it_forgets_failures_after_a_successful_login(personas):
    fail("staff", settings.AXES_FAILURE_LIMIT - 1)
    assert login("staff", PASSWORD).status_code == 302
    assert fail("staff", settings.AXES_FAILURE_LIMIT - 1).status_code == 200
    assert login("staff", PASSWORD).status_code == 302


def test_a_forged_x_forwarded_for_does_not_escape_the_lock(personas):
    for number in range(settings.AXES_FAILURE_LIMIT):
        login("staff", "wrong password", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert login("staff", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


def test_behind_a_proxy_it_locks_the_forwarded_client_only(personas, settings):
    settings.PROXY_COUNT = 1
    fail("staff", settings.AXES_FAILURE_LIMIT, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.9")
    locked = login("staff", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.9")
    assert locked.status_code == 429
    other = login("staff", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.10")
    assert other.status_code == 302


def test_the_admin_login_is_protected_too(personas):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = Client().post(
            "/admin/login/", {"username": "admin", "password": "nope"}, REMOTE_ADDR="10.0.0.1"
        )
    assert response.status_code == 429


def test_an_agency_admin_unlocks_an_account_in_the_portal(personas):
    fail("staff", settings.AXES_FAILURE_LIMIT)
    admin = Client()
    admin.force_login(personas.admin)
    page = admin.get("/accounts/lockouts/").content.decode()
    assert 'data-testid="lockout-staff"' in page
    assert "ถูกล็อก" in page
    response = admin.post(f"/accounts/users/{personas.staff.pk}/unlock/", follow=True)
    assert "staff เข้าสู่ระบบได้อีกครั้ง" in response.content.decode()
    assert not AccessAttempt.objects.filter(username="staff").exists()
    assert login("staff", PASSWORD).status_code == 302


def test_an_agency_admin_sees_and_unlocks_only_their_agencys_users(personas):
    fail("outsider", settings.AXES_FAILURE_LIMIT)
    admin = Client()
    admin.force_login(personas.admin)
    assert "outsider" not in admin.get("/accounts/lockouts/").content.decode()
    response = admin.post(f"/accounts/users/{personas.outsider.pk}/unlock/")
    assert response.status_code == 404
    assert login("outsider", PASSWORD).status_code == 429


@pytest.mark.parametrize("persona", ["staff", "manager"])
def test_only_admins_unlock_accounts(personas, persona):
    fail("staff2", settings.AXES_FAILURE_LIMIT)
    client = Client()
    client.force_login(getattr(personas, persona))
    assert client.get("/accounts/lockouts/").status_code == 403
    assert client.post(f"/accounts/users/{personas.other_staff.pk}/unlock/").status_code == 403
    assert login("staff2", PASSWORD).status_code == 429

"""The Django admin: superusers and data stewards only; stewards see reference data only."""

import pytest
from django.contrib.auth.models import Permission

from accounts.models import User
from tests.accounts.builders import make_steward, make_superuser

AGENCY_DATA = [
    "accounts/user",
    "accounts/unit",
    "measures/plan",
    "measures/measure",
    "measures/activity",
    "measures/progressreport",
    "measures/evidence",
    "measures/reminderlog",
    "axes/accessattempt",
    "auth/group",
]
REFERENCE_DATA = [
    "accounts/agency",
    "assessments/instrumentversion",
    "assessments/question",
    "assessments/assessment",
    "assessments/questionscore",
]


@pytest.mark.parametrize("persona", ["staff", "manager", "admin", "outsider_admin"])
def test_it_refuses_agency_users_even_with_the_old_staff_flag(client, personas, persona):
    user = getattr(personas, persona)
    User.objects.filter(pk=user.pk).update(is_staff=True)  # as an older release set for admins
    client.force_login(user)
    for path in ["/admin/", "/admin/measures/plan/", "/admin/accounts/agency/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/login/")


def test_a_steward_without_the_admin_flag_stays_out(client, db):
    steward = make_steward()
    User.objects.filter(pk=steward.pk).update(is_staff=False)
    client.force_login(User.objects.get(pk=steward.pk))
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("path", REFERENCE_DATA)
def test_a_steward_opens_the_reference_data(client, db, path):
    client.force_login(make_steward())
    assert client.get(f"/admin/{path}/").status_code == 200


@pytest.mark.parametrize("path", AGENCY_DATA)
def test_a_steward_never_opens_an_agencys_own_data(client, db, path):
    client.force_login(make_steward())
    assert client.get(f"/admin/{path}/").status_code == 403
    assert client.get(f"/admin/{path}/add/").status_code == 403


def test_the_stewards_index_lists_reference_data_only(client, db):
    client.force_login(make_steward())
    body = client.get("/admin/").content.decode()
    assert "/admin/assessments/instrumentversion/" in body
    for path in AGENCY_DATA:
        assert f"/admin/{path}/" not in body


def test_even_a_steward_group_with_every_permission_does_not_open_agency_data(client, db):
    steward = make_steward()
    steward.user_permissions.set(Permission.objects.filter(content_type__app_label="measures"))
    client.force_login(User.objects.get(pk=steward.pk))
    assert client.get("/admin/measures/progressreport/").status_code == 403


@pytest.mark.parametrize("path", AGENCY_DATA + REFERENCE_DATA)
def test_a_superuser_opens_everything(client, db, path):
    client.force_login(make_superuser())
    assert client.get(f"/admin/{path}/").status_code == 200


def test_only_superusers_and_stewards_see_the_link_to_the_django_admin(client, personas):
    client.force_login(personas.admin)
    assert 'data-testid="nav-django-admin"' not in client.get("/").content.decode()
    client.force_login(make_steward())
    assert 'data-testid="nav-django-admin"' in client.get("/").content.decode()

from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError
from django.urls import reverse

from accounts.models import Agency, Unit
from accounts.roles import Role


@pytest.mark.parametrize(
    "path", ["/", "/accounts/password_change/", "/accounts/password_change/done/"]
)
def test_anonymous_requests_go_to_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_admin_requests_go_to_the_admin_login(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_login_page_is_public_and_thai_first(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "เข้าสู่ระบบ" in response.content.decode()


def test_healthz_answers_200_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_head_like_get(client, db):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""
    assert client.post("/healthz").status_code == 405


def test_healthz_answers_503_when_the_database_does_not(client, db):
    with mock.patch("ita_portal.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


@pytest.mark.parametrize(
    ("username", "title", "sees_admin"),
    [
        ("staff", "หน้าหลักเจ้าหน้าที่", False),
        ("manager", "หน้าหลักผู้บริหาร", False),
        ("admin", "หน้าหลักผู้ดูแลระบบ", True),
    ],
)
def test_each_role_gets_its_home_and_navigation(client, personas, username, title, sees_admin):
    client.force_login(getattr(personas, username))
    body = client.get("/").content.decode()
    assert title in body
    assert ('data-testid="nav-admin"' in body) is sees_admin


def test_language_switch_turns_the_ui_english(client, personas):
    client.force_login(personas.staff)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert "Staff home" in response.content.decode()


def test_logout_needs_post(client, personas):
    client.force_login(personas.staff)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302


def permissions_of(role: Role) -> set[str]:
    group = Group.objects.get(name=role.value)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER, Role.ADMIN])
def test_agency_roles_hold_no_django_admin_permission(db, role):
    assert permissions_of(role) == set()


def test_the_steward_role_holds_the_reference_data_only(db):
    held = permissions_of(Role.STEWARD)
    assert {"assessments.change_instrumentversion", "assessments.change_assessment"} <= held
    assert "accounts.change_agency" in held
    assert {p.split(".")[0] for p in held} == {"accounts", "assessments"}
    assert not {"accounts.view_user", "accounts.view_unit", "accounts.delete_agency"} & held


def test_user_roles_and_units(personas):
    assert personas.staff.role == Role.STAFF
    assert personas.admin.is_portal_admin and not personas.staff.is_portal_admin
    assert personas.manager.is_manager
    assert personas.staff.unit_ids == {personas.unit.pk}
    assert Agency.objects.count() == 2
    assert Unit.objects.filter(agency=personas.agency).count() == 2

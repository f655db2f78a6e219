import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from accounts.roles import Role
from ita_portal.access import (
    can_change_reference_data,
    can_edit_for_units,
    can_manage_account,
    can_use_django_admin,
    get_agency_for_user,
    get_rw_user_for_user,
    role_required,
)
from tests.accounts.builders import make_steward, make_superuser


def test_role_required_lets_the_role_through_and_refuses_others(personas):
    view = role_required(Role.MANAGER, Role.ADMIN)(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/")
    request.user = personas.manager
    assert view(request).status_code == 200
    request.user = personas.staff
    with pytest.raises(PermissionDenied):
        view(request)


def test_get_agency_for_user_hides_other_agencies(personas):
    assert get_agency_for_user(personas.staff, "oie") == personas.agency
    with pytest.raises(Http404):
        get_agency_for_user(personas.outsider, "oie")
    with pytest.raises(Http404):
        get_agency_for_user(personas.staff, "no-such-agency")


def test_can_edit_for_units_checks_membership(personas):
    assert can_edit_for_units(personas.staff, [personas.unit])
    assert not can_edit_for_units(personas.staff, [personas.other_unit])
    assert can_edit_for_units(personas.admin, [personas.other_unit])
    assert not can_edit_for_units(personas.manager, [personas.unit])


def test_only_stewards_and_superusers_change_reference_data(personas):
    assert not any(
        can_change_reference_data(getattr(personas, who))
        for who in ("staff", "manager", "admin", "outsider_admin")
    )
    assert can_change_reference_data(make_steward())
    assert can_change_reference_data(make_superuser())


def test_the_django_admin_is_for_active_superusers_and_stewards_with_staff_status(personas):
    personas.admin.is_staff = True  # as an older release gave agency admins
    assert not can_use_django_admin(personas.admin)
    steward = make_steward()
    assert can_use_django_admin(steward)
    steward.is_active = False
    assert not can_use_django_admin(steward)
    assert can_use_django_admin(make_superuser())
    assert not can_use_django_admin(AnonymousUser())


def test_an_agency_admin_manages_the_agencys_accounts_but_no_portal_wide_one(personas):
    assert can_manage_account(personas.admin, personas.staff)
    assert not can_manage_account(personas.admin, personas.outsider)
    assert not can_manage_account(personas.manager, personas.staff)
    assert not can_manage_account(personas.admin, make_steward("s2", personas.agency))
    root = make_superuser()
    assert not can_manage_account(personas.admin, root)
    assert can_manage_account(root, personas.outsider)


def test_get_rw_user_for_user_hides_other_agencies_and_refuses_portal_wide_accounts(personas):
    assert get_rw_user_for_user(personas.admin, personas.staff.pk) == personas.staff
    with pytest.raises(Http404):
        get_rw_user_for_user(personas.admin, personas.outsider.pk)
    steward = make_steward("s2", personas.agency)
    with pytest.raises(PermissionDenied):
        get_rw_user_for_user(personas.admin, steward.pk)

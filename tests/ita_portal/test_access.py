import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from accounts.roles import Role
from ita_portal.access import can_edit_for_units, get_agency_for_user, role_required


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

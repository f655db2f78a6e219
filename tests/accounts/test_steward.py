"""`manage.py steward`: the one way besides a superuser's admin to grant the steward role."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User


def steward(*args: str) -> str:
    out = io.StringIO()
    call_command("steward", *args, stdout=out)
    return out.getvalue()


def test_it_grants_the_role_and_the_django_admin(personas, client):
    assert "manager is a data steward" in steward("manager")
    manager = User.objects.get(username="manager")
    assert manager.is_steward and manager.is_staff
    assert manager.role == "manager", "the agency role stays"
    client.force_login(manager)
    assert client.get("/admin/assessments/instrumentversion/").status_code == 200


def test_it_withdraws_the_role(personas):
    steward("manager")
    assert "no longer a data steward" in steward("manager", "--revoke")
    manager = User.objects.get(username="manager")
    assert not manager.is_steward and not manager.is_staff


def test_it_lists_the_stewards(personas):
    steward("manager")
    listing = steward()
    assert "manager\t" in listing and "1 data steward(s)." in listing


def test_it_names_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user 'nobody'"):
        steward("nobody")

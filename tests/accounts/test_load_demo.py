import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import Agency, Unit, User


def snapshot():
    return (
        list(Agency.objects.values_list("code", "name_th", "abbreviation", "ministry")),
        list(Unit.objects.values_list("code", "name_th", "parent__code")),
        list(User.objects.values_list("username", "agency__code", "groups__name", "units__code")),
    )


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_load_demo_twice_leaves_the_same_data():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    first = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == first
    assert "password: ita-demo-2564" in out.getvalue().splitlines()
    oie = Agency.objects.get(code="oie")
    assert oie.name_th == "สำนักงานเศรษฐกิจอุตสาหกรรม"
    assert oie.abbreviation == "สศอ."
    assert oie.ministry == "กระทรวงอุตสาหกรรม"
    staff = User.objects.get(username="staff")
    assert staff.role == "staff"
    assert [u.code for u in staff.units.all()] == ["กพบ."]
    assert staff.check_password("ita-demo-2564")
    assert Unit.objects.get(agency=oie, code="กคพ.สส.").parent.code == "สส."
    assert "steward" in out.getvalue()
    steward = User.objects.get(username="steward")
    assert steward.is_steward and steward.is_staff and steward.agency is None
    assert not User.objects.get(username="admin").is_staff, "agency admins use the portal"


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_load_demo_refuses_without_debug_unless_forced():
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("load_demo", stdout=io.StringIO())
    assert not User.objects.exists()
    call_command("load_demo", "--force", stdout=io.StringIO())
    assert User.objects.filter(username="admin").exists()

import pytest
from django.urls import reverse

from accounts.models import Unit, User
from tests.accounts.builders import make_steward, make_superuser

NEW_USER = {
    "username": "somchai",
    "first_name": "สมชาย",
    "last_name": "ใจดี",
    "email": "somchai@oie.example",
    "role": "staff",
    "password1": "Kh0ngDee-2564!",
    "password2": "Kh0ngDee-2564!",
    "is_active": "on",
}


def test_it_lists_only_the_admins_agency_users(client, personas):
    client.force_login(personas.admin)
    body = client.get(reverse("accounts:user_list")).content.decode()
    assert "staff2" in body
    assert "outsider" not in body


@pytest.mark.parametrize("name", ["user_list", "user_create", "unit_list", "unit_create"])
def test_it_requires_login(client, db, name):
    response = client.get(reverse(f"accounts:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["staff", "manager"])
@pytest.mark.parametrize("name", ["user_list", "user_create", "unit_list", "unit_create"])
def test_it_refuses_non_admins(client, personas, persona, name):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse(f"accounts:{name}")).status_code == 403


def test_it_creates_a_staff_user_in_the_admins_agency(client, personas):
    client.force_login(personas.admin)
    data = {**NEW_USER, "units": [personas.unit.pk]}
    response = client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 302
    user = User.objects.get(username="somchai")
    assert user.agency == personas.agency
    assert user.role == "staff"
    assert list(user.units.all()) == [personas.unit]
    assert user.check_password(NEW_USER["password1"])


def test_it_refuses_a_staff_user_without_a_unit_and_changes_nothing(client, personas):
    client.force_login(personas.admin)
    count = User.objects.count()
    response = client.post(reverse("accounts:user_create"), NEW_USER)
    assert response.status_code == 200
    assert "ต้องสังกัดกลุ่มงานอย่างน้อยหนึ่งกลุ่ม" in response.content.decode()
    assert User.objects.count() == count


def test_it_refuses_a_unit_of_another_agency(client, personas):
    client.force_login(personas.admin)
    data = {**NEW_USER, "units": [personas.foreign_unit.pk]}
    response = client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert not User.objects.filter(username="somchai").exists()


def test_it_refuses_mismatched_and_weak_passwords(client, personas):
    client.force_login(personas.admin)
    data = {**NEW_USER, "units": [personas.unit.pk], "password2": "other"}
    assert client.post(reverse("accounts:user_create"), data).status_code == 200
    data = {**NEW_USER, "units": [personas.unit.pk], "password1": "1234", "password2": "1234"}
    assert client.post(reverse("accounts:user_create"), data).status_code == 200
    assert not User.objects.filter(username="somchai").exists()


def test_it_refuses_a_taken_username(client, personas):
    client.force_login(personas.admin)
    data = {**NEW_USER, "username": "STAFF", "units": [personas.unit.pk]}
    response = client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert User.objects.filter(username__iexact="staff").count() == 1


def test_it_changes_a_role_and_units(client, personas):
    client.force_login(personas.admin)
    url = reverse("accounts:user_edit", args=[personas.staff.pk])
    data = {"role": "manager", "units": [personas.other_unit.pk], "is_active": "on"}
    assert client.post(url, data).status_code == 302
    staff = User.objects.get(pk=personas.staff.pk)
    assert staff.role == "manager"
    assert list(staff.units.all()) == [personas.other_unit]


def test_it_disables_an_account(client, personas):
    client.force_login(personas.admin)
    url = reverse("accounts:user_edit", args=[personas.staff.pk])
    client.post(url, {"role": "staff", "units": [personas.unit.pk]})
    assert not User.objects.get(pk=personas.staff.pk).is_active


def test_it_keeps_an_admin_from_demoting_themselves(client, personas):
    client.force_login(personas.admin)
    url = reverse("accounts:user_edit", args=[personas.admin.pk])
    response = client.post(url, {"role": "staff", "units": [personas.unit.pk], "is_active": "on"})
    assert response.status_code == 200
    assert User.objects.get(pk=personas.admin.pk).role == "admin"


def test_it_hides_users_of_other_agencies(client, personas):
    client.force_login(personas.admin)
    url = reverse("accounts:user_edit", args=[personas.outsider.pk])
    assert client.get(url).status_code == 404
    url = reverse("accounts:user_password", args=[personas.outsider.pk])
    assert client.post(url, {"password1": "x", "password2": "x"}).status_code == 404


def test_it_sets_a_password(client, personas):
    client.force_login(personas.admin)
    url = reverse("accounts:user_password", args=[personas.staff.pk])
    response = client.post(url, {"password1": "N3w-Passw0rd!", "password2": "N3w-Passw0rd!"})
    assert response.status_code == 302
    assert User.objects.get(pk=personas.staff.pk).check_password("N3w-Passw0rd!")


def test_it_creates_and_edits_units(client, personas):
    client.force_login(personas.admin)
    response = client.post(
        reverse("accounts:unit_create"),
        {"code": "กคพ.", "name_th": "กลุ่มการคลังและพัสดุ", "parent": personas.unit.pk},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(agency=personas.agency, code="กคพ.")
    assert unit.parent == personas.unit
    url = reverse("accounts:unit_edit", args=[personas.unit.pk])
    response = client.post(url, {"code": "กพบ.", "name_th": "กพบ.", "parent": unit.pk})
    assert response.status_code == 200  # a unit cannot sit inside its own sub-unit
    assert Unit.objects.get(pk=personas.unit.pk).parent is None


def test_it_refuses_a_duplicate_unit_code(client, personas):
    client.force_login(personas.admin)
    response = client.post(reverse("accounts:unit_create"), {"code": "ตสน.", "name_th": "ซ้ำ"})
    assert response.status_code == 200
    assert Unit.objects.filter(agency=personas.agency, code="ตสน.").count() == 1


def test_it_hides_units_of_other_agencies(client, personas):
    client.force_login(personas.admin)
    assert (
        client.get(reverse("accounts:unit_edit", args=[personas.foreign_unit.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("kind", ["steward", "superuser"])
def test_it_keeps_portal_wide_accounts_out_of_an_agency_admins_reach(client, personas, kind):
    account = make_steward("oie-steward", personas.agency) if kind == "steward" else None
    account = account or User.objects.create_superuser("oie-root", agency=personas.agency)
    client.force_login(personas.admin)
    body = client.get(reverse("accounts:user_list")).content.decode()
    assert account.username in body
    assert reverse("accounts:user_edit", args=[account.pk]) not in body
    for name, data in [
        ("user_edit", {"role": "staff", "units": [personas.unit.pk], "is_active": ""}),
        ("user_password", {"password1": "N3w-Passw0rd!", "password2": "N3w-Passw0rd!"}),
        ("user_unlock", {}),
    ]:
        url = reverse(f"accounts:{name}", args=[account.pk])
        assert client.post(url, data).status_code == 403, name
    account.refresh_from_db()
    assert account.is_active and not account.check_password("N3w-Passw0rd!")
    assert account.is_steward


def test_a_superuser_changing_a_stewards_agency_role_keeps_the_steward_role(client, personas):
    steward = make_steward("oie-steward", personas.agency)
    client.force_login(make_superuser())
    url = reverse("accounts:user_edit", args=[steward.pk])
    response = client.post(url, {"role": "manager", "is_active": "on"})
    assert response.status_code == 302
    steward = User.objects.get(pk=steward.pk)
    assert steward.is_steward and steward.role == "manager" and steward.is_staff


def test_it_clears_the_django_admin_flag_of_an_agency_admin_it_saves(client, personas):
    personas.staff.is_staff = True  # as an older release gave every agency admin
    personas.staff.save(update_fields=["is_staff"])
    client.force_login(personas.admin)
    url = reverse("accounts:user_edit", args=[personas.staff.pk])
    client.post(url, {"role": "admin", "units": [personas.unit.pk], "is_active": "on"})
    assert not User.objects.get(pk=personas.staff.pk).is_staff


def test_it_creates_users_without_the_django_admin(client, personas):
    client.force_login(personas.admin)
    data = {**NEW_USER, "role": "admin", "units": [personas.unit.pk]}
    assert client.post(reverse("accounts:user_create"), data).status_code == 302
    assert not User.objects.get(username="somchai").is_staff


def test_it_offers_only_agency_roles(client, personas):
    client.force_login(personas.admin)
    body = client.get(reverse("accounts:user_create")).content.decode()
    assert 'value="admin"' in body
    assert 'value="steward"' not in body
    data = {**NEW_USER, "role": "steward", "units": [personas.unit.pk]}
    assert client.post(reverse("accounts:user_create"), data).status_code == 200
    assert not User.objects.filter(username="somchai").exists()


@pytest.mark.parametrize(
    ("name", "with_pk"),
    [
        ("user_list", False),
        ("user_create", False),
        ("user_edit", True),
        ("user_password", True),
        ("unit_list", False),
        ("unit_create", False),
        ("unit_edit", True),
        ("lockout_list", False),
    ],
)
def test_it_answers_405_to_other_methods_on_pages(client, personas, name, with_pk):
    client.force_login(personas.admin)
    pk = personas.unit.pk if name.startswith("unit") else personas.staff.pk
    url = reverse(f"accounts:{name}", args=[pk] if with_pk else [])
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405


@pytest.mark.parametrize("name", ["user_unlock"])
def test_post_only_views_refuse_get(client, personas, name):
    client.force_login(personas.admin)
    assert client.get(reverse(f"accounts:{name}", args=[personas.staff.pk])).status_code == 405


def test_the_user_list_takes_nine_queries_however_many_users(
    client, personas, django_assert_num_queries
):
    make_steward("oie-steward", personas.agency)
    client.force_login(personas.admin)
    # 1 session, 2 the signed-in user, 3 its role groups, 4 the agency's users,
    # 5 their units, 6 their groups, 7 the agency shown under the title, 8 the navigation's
    # unread notifications, 9 its open rounds (to count the user's work)
    with django_assert_num_queries(9):
        assert client.get(reverse("accounts:user_list")).status_code == 200

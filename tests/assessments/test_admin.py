import pytest

from tests.accounts.builders import make_steward


@pytest.mark.parametrize("model", ["indicatorscore", "questionscore", "itemanswer", "assessment"])
def test_it_offers_import_and_export_in_the_django_admin(client, personas, model):
    client.force_login(make_steward())
    assert client.get(f"/admin/assessments/{model}/import/").status_code == 200
    assert client.get(f"/admin/assessments/{model}/export/").status_code == 200


@pytest.mark.parametrize("persona", ["staff", "admin"])
def test_it_refuses_the_admin_import_to_agency_users(client, personas, persona):
    client.force_login(getattr(personas, persona))
    response = client.get("/admin/assessments/indicatorscore/import/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_links_score_imports_for_admins_only(client, personas):
    client.force_login(personas.admin)
    assert 'data-testid="nav-imports"' in client.get("/").content.decode()
    client.force_login(personas.manager)
    assert 'data-testid="nav-imports"' not in client.get("/").content.decode()

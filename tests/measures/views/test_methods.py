"""Every measures page answers only the methods it is for: changes are POST, reads are GET."""

import pytest
from django.urls import reverse

from measures import urls
from measures.models import Evidence, Plan, ProgressReport
from tests.measures.builders import make_report
from tests.measures.views.helpers import as_user

pytestmark = pytest.mark.django_db

POST_ONLY = {
    "plan_publish",
    "plan_unpublish",
    "plan_copy",
    "plan_draft",
    "round_lock",
    "round_unlock",
    "report_approve",
    "report_return",
    "evidence_add",
    "evidence_delete",
    "evidence_reuse",
}
GET_ONLY = {"index", "plan", "dashboard", "activity", "evidence"}


def url_of(name: str, world, report, evidence) -> str:
    """Reverse a measures URL name with the world's objects as its arguments."""
    year, round_pk = world.plan.fiscal_year, world.round.pk
    args = {
        "plan": [year],
        "plan_edit": [year],
        "plan_delete": [year],
        "dashboard": [year],
        "plan_publish": [year],
        "plan_unpublish": [year],
        "plan_copy": [year],
        "measure_create": [year],
        "measure_edit": [year, world.measure.pk],
        "round_create": [year],
        "round_edit": [year, round_pk],
        "round_lock": [year, round_pk],
        "round_unlock": [year, round_pk],
        "activity_create": [world.measure.pk],
        "activity_edit": [world.measure.pk, world.activity.pk],
        "activity": [world.activity.pk],
        "report": [world.activity.pk, round_pk],
        "report_approve": [report.pk],
        "report_return": [report.pk],
        "evidence_add": [report.pk],
        "evidence": [evidence.pk],
        "evidence_delete": [evidence.pk],
        "evidence_reuse": [report.pk, evidence.pk],
    }.get(name, [])
    return reverse(f"measures:{name}", args=args)


@pytest.fixture
def objects(world):
    report = make_report(world.activity, world.round, state="submitted")
    evidence = Evidence.objects.create(report=report, url="https://example.go.th/e")
    return report, evidence


def names() -> list[str]:
    return [pattern.name for pattern in urls.urlpatterns]


def test_the_lists_name_pages_that_exist():
    assert set(names()) >= POST_ONLY | GET_ONLY


def test_the_public_page_refuses_post(client, world):
    world.plan.is_published = True
    world.plan.save()
    assert client.post(reverse("public:plan", args=["oie", 2564])).status_code == 405


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_a_post_only_page_refuses_get_and_changes_nothing(client, personas, world, objects, name):
    as_user(client, personas.admin)
    url = url_of(name, world, *objects)
    before = (Plan.objects.count(), list(ProgressReport.objects.values_list("state", "version")))
    assert client.get(url).status_code == 405
    assert client.head(url).status_code == 405
    assert (Plan.objects.count(), list(ProgressReport.objects.values_list("state", "version"))) == (
        before
    )
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("name", sorted(GET_ONLY))
def test_a_read_only_page_refuses_post(client, personas, world, objects, name):
    as_user(client, personas.admin)
    assert client.post(url_of(name, world, *objects)).status_code == 405


@pytest.mark.parametrize("name", sorted(set(names()) - POST_ONLY - GET_ONLY))
def test_a_form_page_refuses_other_methods(client, personas, world, objects, name):
    as_user(client, personas.admin)
    url = url_of(name, world, *objects)
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405


def test_only_the_post_only_pages_refuse_get(client, personas, world, objects):
    as_user(client, personas.admin)
    refusing = {n for n in names() if client.get(url_of(n, world, *objects)).status_code == 405}
    assert refusing == POST_ONLY

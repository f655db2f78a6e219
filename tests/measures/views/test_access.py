"""Every measures page: login required, other agencies' objects hidden."""

import pytest
from django.urls import reverse

from measures.models import Evidence
from tests.measures.builders import make_report
from tests.measures.views.helpers import all_get_urls, as_user

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_users_to_login_everywhere_but_the_public_page(client, world):
    report = make_report(world.activity, world.round)
    evidence = Evidence.objects.create(report=report, url="https://example.go.th/a")
    for url in all_get_urls(world, report, evidence):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
    for name in ["report_approve", "report_return", "evidence_add"]:
        response = client.post(reverse(f"measures:{name}", args=[report.pk]), {"version": 1})
        assert response.status_code == 302 and "/accounts/login/" in response.url
    world.plan.is_published = True
    world.plan.save()
    assert client.get(reverse("public:plan", args=["oie", 2564])).status_code == 200


def test_it_hides_every_page_from_other_agencies(client, personas, world):
    report = make_report(world.activity, world.round)
    evidence = Evidence.objects.create(report=report, url="https://example.go.th/a")
    as_user(client, personas.outsider_admin)
    for url in all_get_urls(world, report, evidence)[1:]:
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("measures:report_approve", args=[report.pk]), {"version": 1})
    assert response.status_code == 404

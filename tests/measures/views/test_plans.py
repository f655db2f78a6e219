"""The index, the plan page, the dashboard and the public page."""

import pytest
from django.urls import reverse

from tests.measures.builders import PlanWorld, make_report
from tests.measures.views.helpers import as_user

pytestmark = pytest.mark.django_db


def test_it_shows_the_plan_and_redirects_the_index_to_it(client, personas, world):
    world.plan.is_published = True
    world.plan.save()
    as_user(client, personas.staff)
    response = client.get(reverse("measures:index"))
    assert response.url == reverse("measures:plan", args=[2564])
    response = client.get(response.url)
    assert response.status_code == 200
    assert "กิจกรรม 1.1" in response.content.decode()
    assert client.get(reverse("measures:plan", args=[2599])).status_code == 404


def test_it_shows_the_dashboard(client, personas, world):
    make_report(world.activity, world.round, state="approved", status="done", percent=100)
    as_user(client, personas.manager)
    response = client.get(reverse("measures:dashboard", args=[2564]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="by-measure"' in html and "กิจกรรม 1.2" in html


def test_it_publishes_and_the_public_page_shows_approved_progress_only(client, personas, world):
    make_report(world.activity, world.round, state="approved", percent=80, results="อนุมัติแล้ว")
    make_report(world.other_activity, world.round, state="submitted", results="ยังไม่อนุมัติ")
    public_url = reverse("public:plan", args=["oie", 2564])
    assert client.get(public_url).status_code == 404
    as_user(client, personas.admin)
    client.post(reverse("measures:plan_publish", args=[2564]))
    client.logout()
    html = client.get(public_url).content.decode()
    assert "อนุมัติแล้ว" in html and "ยังไม่อนุมัติ" not in html
    assert "กิจกรรม 1.1" in html and personas.unit.code in html
    assert client.get(reverse("public:plan", args=["diw", 2564])).status_code == 404


def test_it_serves_the_dashboard_with_the_same_queries_for_5_or_200_activities(client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.measures.builders import grow

    as_user(client, personas.manager)
    counts = []
    for year, size in ((2563, 5), (2564, 200)):
        world = PlanWorld(personas, year=year)
        grow(world, personas, size)
        url = reverse("measures:dashboard", args=[year])
        client.get(url)  # warm the session and translation caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    # session, user, plan, the selector's 4 (rounds, activities, units, reports), the
    # agency's plans for the year switcher, then the navbar's role groups and the user's agency
    assert counts == [10, 10]

"""The index, the plan page, the dashboard and the public page."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.base import make_agency
from tests.measures.builders import PlanWorld, make_plan, make_report
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


@pytest.mark.parametrize(
    ("filtered", "expected"),
    [
        # session, user, plan, the selector's 4 (rounds, activities, units, reports), the
        # agency's plans for the year switcher; the navigation: role groups, the work count
        # (open rounds, the manager's activities, reports to review), unread notifications,
        # the user's agency; the filters' choices: units, people, rounds
        (False, 17),
        # the same, and the filters' values looked up: a unit, a round
        (True, 19),
    ],
)
def test_it_serves_the_dashboard_with_the_same_queries_for_5_or_200_activities(
    client, personas, settings, filtered, expected
):
    settings.PAGE_CACHE = False  # what a render costs; read again, it comes from the cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.measures.builders import grow

    as_user(client, personas.manager)
    counts = []
    for year, size in ((2563, 5), (2564, 200)):
        world = PlanWorld(personas, year=year)
        grow(world, personas, size)
        url = reverse("measures:dashboard", args=[year])
        if filtered:
            url += f"?unit={personas.other_unit.pk}&round={world.round.pk}&status=none"
        client.get(url)  # warm the session and translation caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts == [expected, expected]


@pytest.fixture
def reported(world):
    """1.1 approved at 60 %, 1.2 submitted at 90 % and awaiting approval."""
    make_report(world.activity, world.round, state="approved", percent=60, results="อนุมัติแล้ว")
    make_report(world.other_activity, world.round, state="submitted", percent=90, results="รอตรวจ")
    return world


def test_the_dashboard_averages_approved_work_and_counts_what_awaits(client, personas, reported):
    as_user(client, personas.manager)
    html = client.get(reverse("measures:dashboard", args=[2564])).content.decode()
    by_measure = html[html.index('data-testid="by-measure"') :]
    by_measure = by_measure[: by_measure.index("</table>")]
    assert "30.00%" in by_measure and "75.00%" not in by_measure  # (60 + 0) / 2, not (60 + 90) / 2
    assert 'data-testid="awaiting">1<' in by_measure
    assert "รออนุมัติ 1" in html


def test_the_plan_page_shows_approved_progress_and_what_awaits(client, personas, reported):
    as_user(client, personas.staff)
    html = client.get(reverse("measures:plan", args=[2564])).content.decode()
    approved = html[html.index('data-testid="approved-1.1"') :]
    assert "60%" in approved[: approved.index("</td>")]
    other = html[html.index('data-testid="approved-1.2"') :]
    other = other[: other.index("</td>")]
    assert "90%" not in other and "รออนุมัติ 1" in other


def test_the_public_page_shows_approved_progress_and_what_awaits(client, reported):
    reported.plan.is_published = True
    reported.plan.save()
    html = client.get(reverse("public:plan", args=["oie", 2564])).content.decode()
    assert "อนุมัติแล้ว" in html and "60%" in html
    assert "รอตรวจ" not in html and "90%" not in html
    assert 'data-testid="awaiting-1.2"' in html and "รออนุมัติ 1" in html


def test_the_index_does_not_open_an_empty_unpublished_draft(client, personas, world):
    world.plan.is_published = True
    world.plan.save()
    make_plan(personas.agency, 2565)  # copied or drafted, not yet filled in
    as_user(client, personas.staff)
    response = client.get(reverse("measures:index"))
    assert response.url == reverse("measures:plan", args=[2564])


def test_the_index_lists_the_plans_when_none_is_current(client, personas):
    make_plan(personas.agency, 2565)
    as_user(client, personas.admin)
    response = client.get(reverse("measures:index"))
    assert response.status_code == 200
    assert 'data-testid="plan-list"' in response.content.decode()
    assert "ยังไม่เผยแพร่" in response.content.decode()


def test_other_years_are_one_click_away(client, personas, world):
    make_plan(personas.agency, 2565)
    as_user(client, personas.staff)
    html = client.get(reverse("measures:plan", args=[2564])).content.decode()
    assert 'data-testid="year-switch"' in html
    assert f'href="{reverse("measures:plan", args=[2565])}"' in html
    html = client.get(reverse("measures:dashboard", args=[2564])).content.decode()
    assert f'href="{reverse("measures:dashboard", args=[2565])}"' in html


def test_a_superuser_reads_every_agency_plans_by_agency_code(client, personas, world):
    other = make_plan(personas.other_agency, 2564, title_th="แผนของกรมโรงงาน")
    root = User.objects.create_superuser("root", "root@example.go.th", "x" * 20)
    as_user(client, root)
    html = client.get(reverse("measures:index")).content.decode()
    assert "แผนของกรมโรงงาน" in html and "มาตรการ ปี 2564" in html
    page = client.get(reverse("measures:plan", args=[2564]) + "?agency=diw")
    assert page.status_code == 200 and "แผนของกรมโรงงาน" in page.content.decode()
    assert "?agency=diw" in page.content.decode()  # its links stay with that agency
    dashboard = client.get(reverse("measures:dashboard", args=[2564]) + "?agency=oie")
    assert dashboard.status_code == 200
    assert other.agency.code == "diw"


def test_an_agency_user_cannot_name_another_agency(client, personas, world):
    make_plan(personas.other_agency, 2564)
    as_user(client, personas.admin)
    assert client.get(reverse("measures:plan", args=[2564]) + "?agency=diw").status_code == 404


def test_the_dashboard_filters_and_pages_its_lists(client, personas):
    from tests.measures.builders import grow

    world = PlanWorld(personas)
    grow(world, personas, 50)
    as_user(client, personas.manager)
    url = reverse("measures:dashboard", args=[2564])
    html = client.get(url + f"?unit={personas.unit.pk}&status=none").content.decode()
    assert 'data-testid="clear-filters"' in html
    assert f"?unit={personas.unit.pk}&amp;status=none&amp;missing_page=2" in html
    second = client.get(url + f"?unit={personas.unit.pk}&status=none&missing_page=2")
    assert "หน้า 2 จาก" in second.content.decode()


def test_the_dashboard_says_which_filter_it_could_not_read(client, personas, world):
    as_user(client, personas.manager)
    response = client.get(reverse("measures:dashboard", args=[2564]) + "?unit=99999&status=x")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="error-unit"' in body and 'data-testid="error-status"' in body
    assert 'data-testid="missing"' in body  # the dashboard still shows, unfiltered


def test_the_list_of_plans_comes_in_pages(client, personas):
    superuser = personas.admin
    superuser.is_superuser = True
    superuser.save()
    for number in range(25):
        agency = make_agency(f"a{number:02d}", name_th=f"หน่วยงาน {number:02d}")
        make_plan(agency, 2564)
    as_user(client, superuser)
    first = client.get(reverse("measures:index") + "?all").content.decode()
    assert first.count('class="list-group-item"') == 20
    second = client.get(reverse("measures:index") + "?all&page=2").content.decode()
    assert second.count('class="list-group-item"') == 5

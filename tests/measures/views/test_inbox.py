"""The inbox on the home page and the navigation's count of waiting work."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.measures.builders import PlanWorld, grow, make_report, make_round
from tests.measures.views.helpers import as_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_world(personas):
    """A plan whose round opened ten days ago: its reports are due now."""
    world = PlanWorld(personas, year=2564)
    today = timezone.localdate()
    world.round.opens_on = today - dt.timedelta(days=10)
    world.round.due_on = today + dt.timedelta(days=5)
    world.round.save()
    return world


def test_the_staff_home_shows_a_returned_report_with_the_comment(client, personas, open_world):
    report = make_report(open_world.activity, open_world.round, state="returned")
    report.review_comment = "โปรดแนบหลักฐานการประชุม"
    report.save()
    as_user(client, personas.staff)
    body = client.get("/").content.decode()
    returned = body[body.index('data-testid="inbox-returned"') :]
    assert "โปรดแนบหลักฐานการประชุม" in returned[: returned.index("</ul>")]
    form = reverse("measures:report", args=[open_world.activity.pk, open_world.round.pk])
    assert f'href="{form}"' in returned
    assert "แก้ไขแล้วส่งใหม่" in returned
    assert 'data-testid="work-count">1<' in body  # the navigation counts it


def test_the_managers_home_shows_what_waits_for_review(client, personas, open_world):
    make_report(open_world.activity, open_world.round, state="submitted")
    as_user(client, personas.manager)
    body = client.get("/").content.decode()
    assert 'data-testid="inbox-review"' in body and 'data-testid="inbox-missing"' in body
    assert 'data-testid="inbox-blocked"' not in body


def test_the_admins_home_shows_what_is_blocked(client, personas, open_world):
    as_user(client, personas.admin)
    body = client.get("/").content.decode()
    blocked = body[body.index('data-testid="inbox-blocked"') :]
    assert "ยังไม่ส่งรายงาน 2 รายการ" in blocked[: blocked.index("</ul>")]


def test_a_home_without_work_says_so(client, personas):
    as_user(client, personas.staff)
    body = client.get("/").content.decode()
    assert 'data-testid="inbox-empty"' in body and 'data-testid="work-count"' not in body


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        # session, user; the inbox: open rounds, the staff's activities, their reports; the
        # page: role groups, the user's units; the navigation: unread notifications, agency
        ("staff", 9),
        # session, user; the inbox: open rounds, the manager's activities (none), reports to
        # review, the plans' activities, their units, counted reports; the page: role groups,
        # units; the navigation: unread notifications, agency
        ("manager", 12),
    ],
)
def test_the_home_page_keeps_its_queries_with_5_or_200_activities(
    client, personas, persona, expected
):
    as_user(client, getattr(personas, persona))
    counts = []
    for year, size in ((2563, 5), (2564, 200)):
        world = PlanWorld(personas, year=year)
        grow(world, personas, size)
        make_round(world.plan, 2, opens_on=timezone.localdate(), due_on=timezone.localdate())
        client.get("/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        counts.append(len(queries))
        world.plan.rounds.update(locked_at=timezone.now())
    assert counts == [expected, expected]

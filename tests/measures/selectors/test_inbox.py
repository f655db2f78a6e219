"""The home page's inbox: each person's work, in a fixed number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from measures import selectors, services
from measures.models import ProgressReport
from notifications import blocked
from notifications.blocked import Blocked
from tests.measures.builders import PlanWorld, grow, make_activity, make_report, make_round

pytestmark = pytest.mark.django_db

# The builders' round 1 of 2564 opens on 1 Mar 2021 and is due on 15 Apr 2021.
TODAY = dt.date(2021, 4, 10)
State = ProgressReport.State


@pytest.fixture
def world(personas):
    return PlanWorld(personas)


def pairs(rows) -> list[tuple[str, str]]:
    return [(row.number, row.state) for row in rows]


def test_it_lists_the_staffs_reports_to_write_correct_and_submit(personas, world):
    measure = world.measure
    returned = make_report(world.activity, world.round, state=State.RETURNED)
    returned.review_comment = "โปรดแนบหลักฐาน"
    returned.reviewed_by = personas.manager
    returned.save()
    drafted = make_activity(measure, "1.3", personas.unit)
    make_report(drafted, world.round, state=State.DRAFT)
    make_activity(measure, "1.4", personas.unit)
    submitted = make_activity(measure, "1.5", personas.unit)
    make_report(submitted, world.round, state=State.SUBMITTED)
    box = selectors.inbox(personas.staff, TODAY)
    assert pairs(box.returned) == [("1.1", "returned")]
    assert box.returned[0].comment == "โปรดแนบหลักฐาน" and box.returned[0].person == "manager"
    assert pairs(box.drafts) == [("1.3", "draft")]
    assert pairs(box.due) == [("1.4", "")]  # 1.2 belongs to ตสน.; 1.5 is with the reviewers
    assert box.to_do == 3 and box.to_review == [] and not box.is_reviewer


def test_it_follows_the_named_owner_not_the_unit(personas, world):
    world.activity.owners.set([personas.other_staff])
    assert pairs(selectors.inbox(personas.staff, TODAY).due) == []
    assert pairs(selectors.inbox(personas.other_staff, TODAY).due) == [("1.1", ""), ("1.2", "")]


def test_it_leaves_out_rounds_not_yet_open_and_locked_ones(personas, world):
    assert selectors.inbox(personas.staff, dt.date(2021, 2, 28)).due == []
    services.round_lock(round_=world.round, user=personas.admin, lock=True)
    assert selectors.inbox(personas.staff, TODAY).due == []


def test_it_shows_reviewers_what_they_may_approve_only(personas, world):
    theirs = make_report(world.other_activity, world.round, state=State.SUBMITTED)
    theirs.submitted_by = personas.other_staff
    theirs.save()
    own = make_report(world.activity, world.round, state=State.SUBMITTED)
    own.submitted_by = personas.admin
    own.save()
    assert pairs(selectors.inbox(personas.manager, TODAY).to_review) == [
        ("1.2", "submitted"),
        ("1.1", "submitted"),
    ]
    box = selectors.inbox(personas.admin, TODAY)
    assert pairs(box.to_review) == [("1.2", "submitted")]  # the admin submitted 1.1
    assert box.to_review[0].person == "staff2"
    personas.agency.allow_self_approval = True
    personas.agency.save()
    assert len(selectors.inbox(personas.admin, TODAY).to_review) == 2


def test_it_leaves_out_reports_the_reviewer_wrote(personas, world):
    data = {
        "status": "in_progress",
        "percent": 10,
        "results": "ผล",
        "obstacles": "",
        "next_steps": "",
        "steps_done": [],
    }
    report = services.report_save(
        activity=world.activity,
        round_=world.round,
        user=personas.admin,
        version=0,
        data=data,
        today=TODAY,
    )
    services.report_submit(report=report, user=personas.staff, version=report.version)
    assert selectors.inbox(personas.admin, TODAY).to_review == []
    assert len(selectors.inbox(personas.manager, TODAY).to_review) == 1


def test_it_shows_reviewers_overdue_activities_and_missing_reports(personas, world):
    world.activity.deadline = dt.date(2021, 3, 31)
    world.activity.save()
    box = selectors.inbox(personas.manager, TODAY)
    assert [row.number for row in box.overdue] == ["1.1", "1.2"]
    assert [(row.number, row.round_pk) for row in box.missing] == [
        ("1.1", world.round.pk),
        ("1.2", world.round.pk),
    ]
    assert box.blocked == []  # a manager unblocks nothing


def test_it_shows_admins_the_rounds_closing_with_reports_missing(personas, world):
    make_round(world.plan, 2)  # the 12-month round opens in September
    box = selectors.inbox(personas.admin, TODAY)
    assert [row.count for row in box.blocked] == [2]
    assert "รอบ 6 เดือน" in box.blocked[0].label and "15 เม.ย. 2564" in box.blocked[0].detail
    assert box.blocked[0].url.endswith(f"/measures/2564/dashboard/?round={world.round.pk}")
    assert selectors.inbox(personas.admin, dt.date(2021, 3, 20)).blocked == []  # not closing yet


def test_it_adds_what_other_apps_say_is_blocked(personas, world):
    def imports_waiting(user, today):
        return [Blocked("นำเข้าคะแนนรอยืนยัน", "scores.xlsx", "/imports/", 1)]

    blocked.register(imports_waiting)
    try:
        assert selectors.inbox(personas.admin, TODAY).blocked[-1].label == "นำเข้าคะแนนรอยืนยัน"
        assert selectors.inbox(personas.manager, TODAY).blocked == []
    finally:
        blocked._sources.remove(imports_waiting)


def test_it_is_empty_for_a_user_without_an_agency(personas):
    personas.staff.agency = None
    assert selectors.inbox(personas.staff, TODAY).to_do == 0


def _world_of(personas, activities: int, year: int) -> PlanWorld:
    world = PlanWorld(personas, year=year)
    grow(world, personas, activities)
    for activity in world.plan.measures.get(number=2).activities.all()[:3]:
        report = ProgressReport.objects.filter(activity=activity, round=world.round).first()
        if report is None:
            make_report(activity, world.round, state=State.SUBMITTED)
    return world


@pytest.mark.parametrize(
    ("persona", "queries"),
    [
        # open rounds (+plan, agency); the staff's activities; their reports
        ("staff", 3),
        # open rounds; the manager's activities (none: no unit, so no reports query); the reports
        # to review; the plans' activities (+measure, lead unit), their units, counted reports
        ("manager", 6),
        # as the manager's, the reports of the admin's activities (the admin is in กพบ.), and
        # the admin's score uploads waiting for confirmation (imports.blocked)
        ("admin", 8),
    ],
)
def test_it_pins_each_inbox_whatever_the_number_of_activities(
    personas, django_assert_num_queries, persona, queries
):
    user = getattr(personas, persona)
    assert user.role_names  # a request's user has its roles loaded: the navigation shows them
    for activities, year in ((5, 2564), (200, 2565)):
        world = _world_of(personas, activities, year)
        today = world.round.opens_on + dt.timedelta(days=5)
        with django_assert_num_queries(queries):
            box = selectors.inbox(user, today)
        assert len(box.due) + len(box.missing) > 0
        world.round.locked_at = timezone.now()  # the next year's plan is the only one open
        world.round.save()


@pytest.mark.parametrize(("persona", "queries"), [("staff", 3), ("manager", 3), ("admin", 4)])
def test_it_counts_the_navigations_number_in_few_queries(
    personas, django_assert_num_queries, persona, queries
):
    user = getattr(personas, persona)
    assert user.role_names
    world = _world_of(personas, 50, 2564)
    today = world.round.opens_on + dt.timedelta(days=5)
    # open rounds; the user's activities; their reports (none without activities: the manager);
    # for reviewers the count of reports to review
    with django_assert_num_queries(queries):
        count = selectors.work_count(user, today)
    assert count == selectors.inbox(user, today).to_do

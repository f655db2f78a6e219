import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures import selectors
from measures.models import Evidence
from tests.assessments.builders import make_oie_2563
from tests.measures.builders import (
    PlanWorld,
    make_activity,
    make_measure,
    make_plan,
    make_report,
    make_round,
)

pytestmark = pytest.mark.django_db


def grow(world, personas, activities: int) -> None:
    """Add measures and activities until the plan holds `activities`, with reports."""
    count = 2
    number = 2
    while count < activities:
        measure = make_measure(world.plan, number)
        for index in range(1, min(10, activities - count) + 1):
            activity = make_activity(
                measure, f"{number}.{index}", personas.unit, [personas.other_unit]
            )
            if index % 2:
                make_report(activity, world.round, state="approved")
            count += 1
        number += 1


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_it_finds_the_plan_of_an_assessment(personas):
    assessment = make_oie_2563(personas.agency)
    plan = make_plan(personas.agency, 2564)
    assert selectors.plan_for_assessment(assessment) == plan
    other = make_plan(personas.agency, 2566, based_on=assessment)
    assert selectors.plan_for_assessment(assessment) == other


def test_it_returns_none_without_a_plan(personas):
    assert selectors.plan_for_assessment(make_oie_2563(personas.agency)) is None


def test_it_gives_the_plan_overview_with_latest_approved_progress(personas):
    world = PlanWorld(personas)
    second = make_round(world.plan, 2)
    make_report(world.activity, world.round, state="approved", percent=50)
    make_report(world.activity, second, state="submitted", percent=90)
    overview = selectors.plan_overview(world.plan)
    row = overview.measures[0].activities[0]
    assert (row.number, row.lead_unit.code, len(row.steps)) == ("1.1", "กพบ.", 2)
    assert row.latest_approved.percent == 50
    assert overview.measures[0].activities[1].latest_approved is None
    assert overview.activity_count == 2


def test_it_gives_round_progress_with_evidence(personas):
    world = PlanWorld(personas)
    report = make_report(world.activity, world.round, results="ผล", state="approved")
    Evidence.objects.create(report=report, url="https://example.go.th/e")
    progress = selectors.round_progress(world.plan, world.round)
    first, second = progress.activities
    assert first.progress.results == "ผล" and first.progress.evidence[0].is_link
    assert second.progress.report_pk is None
    assert (second.progress.status, second.progress.percent) == ("", 0)


@pytest.mark.parametrize("selector", ["plan_overview", "round_progress", "dashboard"])
def test_it_keeps_query_counts_fixed_with_5_or_200_activities(personas, selector):
    small = PlanWorld(personas)
    grow(small, personas, 5)
    calls = {
        "plan_overview": lambda plan, round_: selectors.plan_overview(plan),
        "round_progress": selectors.round_progress,
        "dashboard": lambda plan, round_: selectors.dashboard(plan, dt.date.today()),
    }
    few = count_queries(lambda: calls[selector](small.plan, small.round))
    small.plan.fiscal_year = 2560
    small.plan.save()
    large = PlanWorld(personas)
    grow(large, personas, 200)
    many = count_queries(lambda: calls[selector](large.plan, large.round))
    assert few == many


def test_it_pins_the_dashboard_queries(personas, django_assert_num_queries):
    world = PlanWorld(personas)
    grow(world, personas, 200)
    # rounds; activities with measure and lead unit; their units; the plan's reports
    with django_assert_num_queries(4):
        board = selectors.dashboard(world.plan, dt.date.today())
    assert sum(m.activities for m in board.by_measure) == 200


def test_it_finds_overdue_activities_and_missing_reports(personas):
    world = PlanWorld(personas)
    today = dt.date.today()
    world.activity.deadline = today - dt.timedelta(days=1)
    world.activity.save()
    make_report(world.other_activity, world.round, state="approved", status="done", percent=100)
    make_round(
        world.plan, 2, opens_on=today + dt.timedelta(days=30), due_on=today + dt.timedelta(days=60)
    )
    board = selectors.dashboard(world.plan, today)
    assert [o.number for o in board.overdue] == ["1.1"]
    assert [(m.number, m.round_pk) for m in board.missing] == [("1.1", world.round.pk)]
    assert board.by_measure[0].mean_percent == 50
    assert {u.label: u.done for u in board.by_unit} == {
        "กพบ. กลุ่มพัฒนาระบบบริหาร": 0,
        "ตสน. กลุ่มตรวจสอบภายใน": 1,
    }


def test_it_pins_the_overview_and_round_progress_queries(personas, django_assert_num_queries):
    world = PlanWorld(personas)
    grow(world, personas, 20)
    # rounds, measures, their questions, activities (+measure, lead unit), their units,
    # steps and questions, approved reports, their evidence
    with django_assert_num_queries(9):
        selectors.plan_overview(world.plan)
    # activities (+measure, lead unit), their units, the round's reports, their evidence
    with django_assert_num_queries(4):
        selectors.round_progress(world.plan, world.round)

"""A plan's overview and a round's progress."""

from decimal import Decimal

import pytest

from measures import selectors
from measures.models import Evidence
from tests.assessments.builders import make_oie_2563
from tests.measures.builders import (
    PlanWorld,
    grow,
    make_plan,
    make_report,
    make_round,
)

pytestmark = pytest.mark.django_db


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


def test_it_gives_the_plan_pages_indicators_owners_budget_and_months(
    personas, django_assert_num_queries
):
    world = PlanWorld(personas)
    grow(world, personas, 20)
    activity = world.activity
    activity.budget_planned, activity.months = Decimal("150000.00"), [10, 11, 3]
    activity.save()
    activity.owners.set([personas.staff])
    activity.indicators.create(order=1, name_th="ร้อยละของบุคลากรที่รับทราบ", target="ร้อยละ 80")
    # as plan_overview(plan), then the success indicators and the named owners
    with django_assert_num_queries(11):
        overview = selectors.plan_overview(world.plan, details=True)
    row = overview.measures[0].activities[0]
    assert (row.budget_planned, row.budget_spent, row.months) == (
        Decimal("150000.00"),
        None,
        [10, 11, 3],
    )
    assert [(i.name_th, i.target, i.result) for i in row.indicators] == [
        ("ร้อยละของบุคลากรที่รับทราบ", "ร้อยละ 80", "")
    ]
    assert row.people == ["staff"]
    assert selectors.plan_overview(world.plan).measures[0].activities[0].people == []

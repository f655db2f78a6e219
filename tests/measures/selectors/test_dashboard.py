"""The dashboard of a plan."""

import datetime as dt

import pytest

from measures import selectors
from measures.selectors.dashboard import Filters
from tests.measures.builders import (
    PlanWorld,
    grow,
    make_report,
    make_round,
)

pytestmark = pytest.mark.django_db


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


def test_it_narrows_the_dashboard_to_a_unit_or_a_person(personas):
    world = PlanWorld(personas)
    by_unit = selectors.dashboard(world.plan, dt.date.today(), Filters(unit=personas.other_unit))
    assert [row.number for row in by_unit.missing] == ["1.2"]
    world.other_activity.owners.set([personas.staff])
    mine = selectors.dashboard(world.plan, dt.date.today(), Filters(owner=personas.staff))
    assert [row.number for row in mine.missing] == ["1.1", "1.2"]  # a unit member, then named
    theirs = selectors.dashboard(world.plan, dt.date.today(), Filters(owner=personas.other_staff))
    assert theirs.missing == [] and sum(m.activities for m in theirs.by_measure) == 0


def test_it_narrows_the_dashboard_to_a_round_and_its_approved_reports(personas):
    world = PlanWorld(personas)
    second = make_round(world.plan, 2, opens_on=dt.date(2021, 3, 1))
    make_report(world.activity, world.round, state="approved", percent=60)
    board = selectors.dashboard(world.plan, dt.date.today(), Filters(round=second))
    assert {row.round_pk for row in board.missing} == {second.pk}
    assert board.by_measure[0].mean_percent == 0  # round 1's approval does not count in round 2
    first = selectors.dashboard(world.plan, dt.date.today(), Filters(round=world.round))
    assert str(first.by_measure[0].mean_percent) == "30.00"


@pytest.mark.parametrize(
    ("status", "numbers"), [("none", ["1.2"]), ("draft", ["1.1"]), ("approved", [])]
)
def test_it_narrows_the_dashboard_to_a_report_state(personas, status, numbers):
    world = PlanWorld(personas)
    make_report(world.activity, world.round, state="draft")
    board = selectors.dashboard(world.plan, dt.date.today(), Filters(status=status))
    assert [row.number for row in board.missing] == numbers

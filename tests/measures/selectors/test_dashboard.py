"""The dashboard of a plan."""

import datetime as dt

import pytest

from measures import selectors
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

"""The one rule: official figures count approved reports; submitted ones are awaiting approval."""

import datetime as dt
from decimal import Decimal

import pytest

from measures import selectors
from tests.measures.builders import PlanWorld, make_report, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    """1.1 approved at 60 %; 1.2 submitted at 90 % and awaiting review."""
    world = PlanWorld(personas)
    make_report(world.activity, world.round, state="approved", percent=60, results="อนุมัติ")
    make_report(world.other_activity, world.round, state="submitted", percent=90, results="รอ")
    return world


def test_it_averages_approved_reports_only_on_the_dashboard(world):
    board = selectors.dashboard(world.plan, dt.date.today())
    [measure] = board.by_measure
    assert (measure.mean_percent, measure.awaiting_review) == (Decimal("30.00"), 1)
    units = {u.label.split()[0]: (u.mean_percent, u.awaiting_review) for u in board.by_unit}
    assert units == {"กพบ.": (Decimal("60.00"), 0), "ตสน.": (Decimal("0.00"), 1)}
    assert board.awaiting_review == 1


def test_it_never_counts_a_draft_or_a_returned_report(world, personas):
    second = make_round(world.plan, 2)
    make_report(world.activity, second, state="draft", percent=100, status="done")
    make_report(world.other_activity, second, state="returned", percent=100, status="done")
    board = selectors.dashboard(world.plan, dt.date.today())
    assert board.by_measure[0].mean_percent == Decimal("30.00")
    assert board.by_measure[0].done == 0
    overview = selectors.plan_overview(world.plan)
    first, other = overview.measures[0].activities
    assert first.latest_approved.percent == 60 and other.latest_approved is None


def test_it_shows_a_later_approved_round_and_counts_what_awaits(world, personas):
    second = make_round(world.plan, 2)
    make_report(world.activity, second, state="submitted", percent=80)
    overview = selectors.plan_overview(world.plan)
    first, other = overview.measures[0].activities
    assert (first.latest_approved.percent, first.awaiting_review) == (60, 1)
    assert (other.latest_approved, other.awaiting_review) == (None, 1)
    assert overview.awaiting_review == 2


def test_it_prints_a_round_with_approved_reports_only(world):
    progress = selectors.round_progress(world.plan, world.round)
    approved, awaiting = (a.progress for a in progress.activities)
    assert (approved.percent, approved.results, approved.state_label) == (60, "อนุมัติ", "อนุมัติแล้ว")
    assert (awaiting.percent, awaiting.results, awaiting.state_label) == (0, "", "รออนุมัติ")
    assert awaiting.status_label == "ยังไม่มีรายงานที่อนุมัติ"
    assert (progress.mean_percent, progress.approved, progress.awaiting_review) == (
        Decimal("30.00"),
        1,
        1,
    )


def test_it_prints_nothing_of_a_draft(personas):
    world = PlanWorld(personas)
    make_report(world.activity, world.round, state="draft", percent=40, results="ร่างลับ")
    progress = selectors.round_progress(world.plan, world.round)
    draft = progress.activities[0].progress
    assert (draft.percent, draft.results, draft.state, draft.evidence) == (0, "", "", [])
    assert progress.mean_percent == Decimal("0.00") and progress.awaiting_review == 0

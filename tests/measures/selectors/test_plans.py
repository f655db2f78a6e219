"""Which plan is current, the year switcher, and what deleting a plan takes."""

import datetime as dt

import pytest

from measures import selectors
from tests.measures.builders import PlanWorld, make_plan, make_report, make_round

pytestmark = pytest.mark.django_db


def test_it_opens_the_latest_published_plan_not_an_empty_draft(personas):
    published = make_plan(personas.agency, 2564, is_published=True)
    draft = make_plan(personas.agency, 2565)
    assert selectors.current_plan([draft, published], dt.date(2026, 1, 1)) == published


def test_it_opens_the_plan_with_a_round_open_today_even_unpublished(personas):
    make_plan(personas.agency, 2565, is_published=True)
    working = make_plan(personas.agency, 2564)
    round_ = make_round(working, 2)  # open 1 Sep – 15 Oct 2564
    plans = list(personas.agency.plans.all())
    assert selectors.current_plan(plans, round_.due_on) == working
    assert selectors.current_plan(plans, round_.due_on + dt.timedelta(days=1)).fiscal_year == 2565


def test_it_finds_no_current_plan_among_drafts(personas):
    draft = make_plan(personas.agency, 2565)
    assert selectors.current_plan([draft], dt.date(2026, 1, 1)) is None


def test_it_lists_the_agency_plans_newest_first(personas):
    world = PlanWorld(personas)
    make_plan(personas.agency, 2565)
    make_plan(personas.other_agency, 2566)
    assert [p.fiscal_year for p in selectors.plan_years(world.plan)] == [2565, 2564]


def test_it_counts_what_a_plan_deletion_takes(personas):
    world = PlanWorld(personas)
    make_report(world.activity, world.round)
    contents = selectors.plan_contents(world.plan)
    assert (contents.rounds, contents.measures, contents.activities) == (1, 1, 2)
    assert (contents.drafts, contents.submitted, contents.can_delete) == (1, 0, True)
    make_report(world.other_activity, world.round, state="returned")
    assert not selectors.plan_contents(world.plan).can_delete

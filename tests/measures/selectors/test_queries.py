"""Every plan selector runs the same queries for a plan of 5 or 200 activities."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures import selectors
from tests.measures.builders import (
    PlanWorld,
    grow,
)

pytestmark = pytest.mark.django_db


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


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

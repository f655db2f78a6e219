"""Building a plan: plans, activities, rounds."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from measures import services
from measures.models import Plan

pytestmark = pytest.mark.django_db


def test_it_creates_a_plan_with_default_rounds(personas):
    plan = services.plan_create(
        plan=Plan(agency=personas.agency, fiscal_year=2566, title_th="แผน"), user=personas.admin
    )
    rounds = list(plan.rounds.all())
    assert [r.name_th for r in rounds] == ["รอบ 6 เดือน", "รอบ 12 เดือน"]
    assert rounds[0].period_start == dt.date(2022, 10, 1)
    assert rounds[0].period_end == dt.date(2023, 3, 31)
    assert rounds[1].period_end == dt.date(2023, 9, 30)


def test_it_saves_an_activity_with_its_steps_and_lead_unit(personas, world):
    activity = world.activity
    activity.lead_unit = personas.other_unit
    services.activity_save(
        activity=activity, user=personas.admin, units=[personas.unit], steps_th=["ก", "ข", "ค"]
    )
    assert [s.text_th for s in activity.steps.all()] == ["ก", "ข", "ค"]
    assert set(activity.units.all()) == {personas.unit, personas.other_unit}
    with pytest.raises(ValidationError):
        services.activity_save(
            activity=activity, user=personas.admin, units=[personas.foreign_unit], steps_th=["ก"]
        )

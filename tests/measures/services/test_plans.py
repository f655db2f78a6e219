"""Building a plan: plans, activities, rounds."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from measures import services
from measures.models import Plan, ProgressReport, Round
from tests.measures.builders import make_report, pdf_upload

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


def test_it_keeps_a_lock_taken_while_the_round_was_being_edited(personas, world):
    stale = Round.objects.get(pk=world.round.pk)
    services.round_lock(round_=world.round, user=personas.admin, lock=True)
    stale.name_th = "รอบแรก"
    services.round_save(round_=stale, user=personas.admin)
    world.round.refresh_from_db()
    assert world.round.is_locked and world.round.name_th == "รอบแรก"


def test_it_deletes_a_plan_with_drafts_only_and_their_files(
    personas, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    report = make_report(world.activity, world.round)
    evidence = services.evidence_add(report=report, user=personas.staff, file=pdf_upload())
    stored = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_delete(plan=world.plan, user=personas.admin)
    assert not Plan.objects.exists() and not ProgressReport.objects.exists()
    assert not stored.exists()


@pytest.mark.parametrize("state", ["submitted", "returned", "approved"])
def test_it_refuses_to_delete_a_plan_with_a_submitted_report(personas, world, state):
    make_report(world.activity, world.round, state=state)
    with pytest.raises(ValidationError) as error:
        services.plan_delete(plan=world.plan, user=personas.admin)
    assert error.value.code == "plan_has_reports"
    assert Plan.objects.filter(pk=world.plan.pk).exists()


def test_it_refuses_a_new_fiscal_year_that_leaves_dates_behind(personas, world):
    world.plan.fiscal_year = 2566
    with pytest.raises(ValidationError) as error:
        services.plan_save(plan=world.plan, user=personas.admin)
    assert error.value.error_dict["fiscal_year"][0].code == "dates_outside_year"
    assert Plan.objects.get(pk=world.plan.pk).fiscal_year == 2564


def test_it_saves_a_plan_whose_dates_stay_in_its_year(personas, world):
    world.plan.title_th = "มาตรการ ปรับชื่อ"
    services.plan_save(plan=world.plan, user=personas.admin)
    assert Plan.objects.get(pk=world.plan.pk).title_th == "มาตรการ ปรับชื่อ"

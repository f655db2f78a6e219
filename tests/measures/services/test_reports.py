"""The progress report's workflow: save, submit, review."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from measures import services
from measures.models import ProgressReport
from tests.measures.builders import PlanWorld

pytestmark = pytest.mark.django_db


def data(**fields) -> dict:
    values = {
        "status": ProgressReport.Status.IN_PROGRESS,
        "percent": 30,
        "steps_done": [],
        "results": "ผล",
        "obstacles": "",
        "next_steps": "",
    }
    values.update(fields)
    return values


def save(world, user, version, **fields):
    return services.report_save(
        activity=world.activity, round_=world.round, user=user, version=version, data=data(**fields)
    )


def test_it_creates_then_updates_a_report_bumping_its_version(personas, world):
    report = save(world, personas.staff, 0, results="แรก")
    assert report.version == 1
    report = save(world, personas.staff, 1, results="สอง", percent=60)
    assert (report.version, report.results, report.percent) == (2, "สอง", 60)
    assert report.history.count() == 2
    assert report.history.first().history_user == personas.staff


def test_it_refuses_a_save_based_on_an_old_version_and_keeps_the_first(personas, world):
    save(world, personas.staff, 0, results="ต้นฉบับ")
    save(world, personas.admin, 1, results="ของผู้ดูแล")
    with pytest.raises(services.EditConflict) as conflict:
        save(world, personas.staff, 1, results="ของเจ้าหน้าที่")
    assert conflict.value.current.results == "ของผู้ดูแล"
    assert ProgressReport.objects.get().results == "ของผู้ดูแล"


def test_it_refuses_creating_a_report_someone_else_created(personas, world):
    save(world, personas.admin, 0)
    with pytest.raises(services.EditConflict):
        save(world, personas.staff, 0)


def test_it_refuses_changes_in_a_locked_round(personas):
    world = PlanWorld(personas, locked=True)
    with pytest.raises(ValidationError) as error:
        save(world, personas.staff, 0)
    assert error.value.error_list[0].code == "round_locked"


def test_it_refuses_a_round_not_yet_open(personas, world):
    world.round.opens_on = dt.date.today() + dt.timedelta(days=5)
    world.round.due_on = world.round.opens_on + dt.timedelta(days=5)
    world.round.save()
    with pytest.raises(ValidationError):
        save(world, personas.staff, 0)


def test_it_runs_the_workflow_submit_return_resubmit_approve(personas, world):
    report = save(world, personas.staff, 0)
    report = services.report_submit(report=report, user=personas.staff, version=1)
    assert report.state == "submitted" and report.submitted_by == personas.staff
    with pytest.raises(ValidationError):
        save(world, personas.staff, report.version)
    with pytest.raises(ValidationError) as error:
        services.report_review(
            report=report, user=personas.manager, version=report.version, approve=False, comment=""
        )
    assert error.value.error_dict["review_comment"][0].code == "comment_required"
    report = services.report_review(
        report=report, user=personas.manager, version=2, approve=False, comment="แนบหลักฐาน"
    )
    assert (report.state, report.review_comment) == ("returned", "แนบหลักฐาน")
    report = save(world, personas.staff, report.version, results="แก้แล้ว")
    report = services.report_submit(report=report, user=personas.staff, version=report.version)
    report = services.report_review(
        report=report, user=personas.manager, version=report.version, approve=True, comment=""
    )
    assert report.state == "approved" and report.reviewed_by == personas.manager

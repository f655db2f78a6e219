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


def save_and_submit(world, user, version, **fields):
    return services.report_save_and_submit(
        activity=world.activity, round_=world.round, user=user, version=version, data=data(**fields)
    )


def refuse_submit(self, **kwargs):
    raise ValidationError("refused", code="report_state")


def test_it_saves_and_submits_in_one_call(personas, world):
    report = save_and_submit(world, personas.staff, 0, results="ส่งเลย")
    assert (report.state, report.results, report.version) == ("submitted", "ส่งเลย", 2)
    assert report.submitted_by == personas.staff


def test_it_saves_nothing_when_the_submit_after_a_first_save_fails(personas, world, monkeypatch):
    monkeypatch.setattr(ProgressReport, "submit", refuse_submit)
    with pytest.raises(ValidationError):
        save_and_submit(world, personas.staff, 0, results="ไม่ควรถูกบันทึก")
    assert not ProgressReport.objects.exists()
    assert not ProgressReport.history.exists()


def test_it_keeps_the_stored_text_when_the_submit_after_a_save_fails(personas, world, monkeypatch):
    save(world, personas.staff, 0, results="ฉบับที่บันทึกไว้")
    monkeypatch.setattr(ProgressReport, "submit", refuse_submit)
    with pytest.raises(ValidationError):
        save_and_submit(world, personas.staff, 1, results="ไม่ควรถูกบันทึก")
    report = ProgressReport.objects.get()
    assert (report.results, report.version, report.state) == ("ฉบับที่บันทึกไว้", 1, "draft")
    assert report.history.count() == 1


def test_it_records_what_each_change_of_the_report_was(personas, world):
    step = world.activity.steps.first()
    report = save(world, personas.staff, 0, steps_done=[step])
    report = services.report_submit(report=report, user=personas.staff, version=report.version)
    services.report_review(
        report=report, user=personas.manager, version=report.version, approve=True, comment=""
    )
    reasons = list(report.history.order_by("history_id").values_list("history_change_reason"))
    assert [r for (r,) in reasons if r != "saved"] == ["submitted", "approved"]
    assert {r for (r,) in reasons[:-2]} == {"saved"}


def test_it_refuses_approval_by_the_admin_who_wrote_and_submitted_it(personas, world):
    report = save_and_submit(world, personas.admin, 0)  # the admin is also of the unit กพบ.
    with pytest.raises(ValidationError) as error:
        services.report_review(
            report=report, user=personas.admin, version=report.version, approve=True, comment=""
        )
    assert error.value.code == "self_approval"
    report.refresh_from_db()
    assert (report.state, report.reviewed_by) == ("submitted", None)
    report = services.report_review(
        report=report, user=personas.manager, version=report.version, approve=True, comment=""
    )
    assert report.state == "approved" and report.reviewed_by != report.submitted_by


def test_it_refuses_approval_by_one_who_saved_the_text_another_submitted(personas, world):
    report = save(world, personas.admin, 0, results="ผู้ดูแลเขียน")
    report = services.report_submit(report=report, user=personas.staff, version=report.version)
    with pytest.raises(ValidationError) as error:
        services.report_review(
            report=report, user=personas.admin, version=report.version, approve=True, comment=""
        )
    assert error.value.code == "self_approval"


def test_it_lets_the_author_return_their_own_report(personas, world):
    report = save_and_submit(world, personas.admin, 0)
    report = services.report_review(
        report=report, user=personas.admin, version=report.version, approve=False, comment="ถอน"
    )
    assert report.state == "returned"


def test_it_lets_an_agency_that_allows_it_approve_its_own_report(personas, world):
    services.agency_set_self_approval(agency=personas.agency, allow=True)
    report = save_and_submit(world, personas.admin, 0)
    report = services.report_review(
        report=report, user=personas.admin, version=report.version, approve=True, comment=""
    )
    assert report.state == "approved" and report.reviewed_by == report.submitted_by


def test_it_refuses_a_too_long_text_and_saves_nothing(personas, world):
    with pytest.raises(ValidationError) as error:
        save(world, personas.staff, 0, results="ก" * 1_600_000)
    assert error.value.error_dict["results"][0].code == "too_long"
    assert not ProgressReport.objects.exists()

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from measures import services
from measures.models import Plan, ProgressReport
from tests.measures.builders import PlanWorld, make_report, pdf_upload

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


@pytest.fixture
def world(personas):
    return PlanWorld(personas)


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


def test_it_adds_and_removes_evidence(personas, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = make_report(world.activity, world.round)
    evidence = services.evidence_add(report=report, user=personas.staff, file=pdf_upload())
    assert evidence.original_name == "หลักฐาน.pdf"
    assert evidence.content_type == "application/pdf"
    assert "หลักฐาน" not in evidence.file.name
    link = services.evidence_add(report=report, user=personas.staff, url="https://example.go.th/x")
    assert link.is_link
    services.evidence_delete(evidence=link, user=personas.staff)
    assert report.evidence.count() == 1


def test_it_copies_a_plan_to_the_next_year_without_reports(personas, world):
    make_report(world.activity, world.round, state="approved", status="done", percent=100)
    new = services.plan_copy(plan=world.plan, user=personas.admin)
    assert new.fiscal_year == 2565 and new.title_th == "มาตรการ ปี 2565"
    assert not new.is_published
    assert [a.number for a in new.measures.get().activities.all()] == ["1.1", "1.2"]
    copied = new.measures.get().activities.get(number="1.1")
    assert copied.steps.count() == 2
    assert set(copied.units.all()) == {personas.unit}
    assert copied.deadline == world.activity.deadline.replace(year=world.activity.deadline.year + 1)
    assert new.rounds.get().locked_at is None
    assert not ProgressReport.objects.filter(activity__measure__plan=new).exists()
    with pytest.raises(ValidationError):
        services.plan_copy(plan=world.plan, user=personas.admin)


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


def test_it_drafts_one_measure_per_indicator_with_weak_questions(personas):
    from tests.assessments.builders import make_oie_2563

    assessment = make_oie_2563(personas.agency)
    plan = services.plan_draft_from_assessment(assessment=assessment, user=personas.admin)
    assert (plan.fiscal_year, plan.based_on) == (2564, assessment)
    measures = list(plan.measures.prefetch_related("questions"))
    # 22 weak questions fall in indicators 3 (I14 lowest), 4, 2, 5, 8, 1 and 7.
    assert [m.indicators for m in measures] == [[3], [4], [2], [5], [8], [1], [7]]
    assert sorted(q.code for q in measures[0].questions.all()) == ["I13", "I14", "I15", "I18"]
    assert sum(m.questions.count() for m in measures) == 22
    assert "I14 (66.02)" in measures[0].rationale_th
    assert plan.rounds.count() == 2
    with pytest.raises(ValidationError):
        services.plan_draft_from_assessment(assessment=assessment, user=personas.admin)

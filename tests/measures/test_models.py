"""One row's rules: dates inside the plan's fiscal year, the report's workflow, text limits."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from measures.models import ProgressReport
from tests.measures.builders import PlanWorld, make_report, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return PlanWorld(personas)


def errors_of(instance) -> dict[str, list[ValidationError]]:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.error_dict


@pytest.mark.parametrize("day", [dt.date(2020, 10, 1), dt.date(2021, 3, 31), dt.date(2021, 9, 30)])
def test_it_takes_a_deadline_inside_the_fiscal_year(world, day):
    world.activity.deadline = day
    world.activity.full_clean()


@pytest.mark.parametrize("day", [dt.date(2020, 9, 30), dt.date(2021, 10, 1), dt.date(2023, 3, 31)])
def test_it_refuses_a_deadline_outside_the_fiscal_year(world, day):
    world.activity.deadline = day
    [error] = errors_of(world.activity)["deadline"]
    assert error.code == "outside_fiscal_year"


def test_it_names_the_field_and_the_year_when_refusing_a_deadline(world):
    world.activity.deadline = dt.date(2023, 3, 31)  # 31/03/2566 typed for a 2564 plan
    with translation.override("th"):
        [message] = errors_of(world.activity)["deadline"][0].messages
    assert message == (
        "ระยะเวลาดำเนินการ 31 มี.ค. 2566 อยู่นอกปีงบประมาณ พ.ศ. 2564 (1 ต.ค. 2563 – 30 ก.ย. 2564)"
    )


def test_it_lets_a_round_fall_due_within_six_months_after_the_year(world):
    round_ = make_round(world.plan, 2)  # 12-month round, due 15 Oct 2564
    round_.full_clean()
    round_.due_on = dt.date(2022, 3, 31)
    round_.full_clean()


def test_it_refuses_round_dates_outside_the_plan_year(world):
    round_ = world.round
    round_.period_start = dt.date(2020, 9, 30)
    round_.due_on = dt.date(2022, 4, 1)
    errors = errors_of(round_)
    assert set(errors) == {"period_start", "due_on"}
    with translation.override("th"):
        assert "ต้องอยู่ระหว่าง 1 ต.ค. 2563 ถึง 31 มี.ค. 2565" in errors["due_on"][0].messages[0]


def test_it_refuses_writing_before_a_round_opens_or_once_it_is_locked(world):
    world.round.check_open(world.round.opens_on)
    with pytest.raises(ValidationError) as early:
        world.round.check_open(world.round.opens_on - dt.timedelta(days=1))
    assert early.value.code == "round_not_open"
    world.round.locked_at = timezone.now()
    with pytest.raises(ValidationError) as locked:
        world.round.check_open(world.round.opens_on)
    assert locked.value.code == "round_locked"


def test_it_submits_a_draft_and_refuses_to_submit_it_twice(world, personas):
    report = make_report(world.activity, world.round)
    report.submit(user=personas.staff, at=timezone.now())
    assert (report.state, report.submitted_by) == ("submitted", personas.staff)
    with pytest.raises(ValidationError) as error:
        report.submit(user=personas.staff, at=timezone.now())
    assert error.value.code == "report_state"


def test_it_reviews_only_a_submitted_report(world, personas):
    report = make_report(world.activity, world.round)
    with pytest.raises(ValidationError) as error:
        report.review(user=personas.manager, approve=True, comment="", at=timezone.now())
    assert error.value.code == "report_state"


def test_it_needs_a_comment_to_return_a_report(world, personas):
    report = make_report(world.activity, world.round, state="submitted")
    with pytest.raises(ValidationError) as error:
        report.review(user=personas.manager, approve=False, comment="  ", at=timezone.now())
    assert error.value.error_dict["review_comment"][0].code == "comment_required"
    report.review(user=personas.manager, approve=False, comment="แนบหลักฐาน", at=timezone.now())
    assert (report.state, report.reviewed_by) == ("returned", personas.manager)


def test_it_refuses_approval_by_the_one_who_submitted(world, personas):
    report = make_report(
        world.activity, world.round, state="submitted", submitted_by=personas.admin
    )
    report = ProgressReport.objects.select_related("round__plan__agency").get(pk=report.pk)
    with pytest.raises(ValidationError) as error:
        report.review(user=personas.admin, approve=True, comment="", at=timezone.now())
    assert error.value.code == "self_approval"
    assert report.state == "submitted"


def test_it_refuses_approval_by_one_who_wrote_part_of_it(world, personas):
    report = make_report(
        world.activity, world.round, state="submitted", submitted_by=personas.staff
    )
    report.results = "แก้โดยผู้ดูแล"
    report._history_user = personas.admin
    report._change_reason = ProgressReport.Change.SAVED
    report.save()
    assert report.author_ids() == {personas.admin.pk, personas.staff.pk}
    assert report.approval_refused_to(personas.admin)
    assert not report.approval_refused_to(personas.manager)


def test_it_lets_an_agency_allow_self_approval(world, personas):
    personas.agency.allow_self_approval = True
    personas.agency.save()
    report = make_report(
        world.activity, world.round, state="submitted", submitted_by=personas.admin
    )
    report = ProgressReport.objects.select_related("round__plan__agency").get(pk=report.pk)
    report.review(user=personas.admin, approve=True, comment="", at=timezone.now())
    assert report.state == "approved"


def test_it_keeps_a_done_activity_at_100_percent(world):
    report = make_report(world.activity, world.round, status="done", percent=90)
    assert errors_of(report)["percent"][0].code == "done_100"


@pytest.mark.parametrize(
    ("field", "limit", "label"),
    [
        ("results", 5000, "ผลการดำเนินงาน"),
        ("obstacles", 3000, "ปัญหาอุปสรรค"),
        ("next_steps", 3000, "แนวทางดำเนินการต่อไป"),
        ("review_comment", 2000, "ความเห็นผู้บริหาร"),
    ],
)
def test_it_limits_each_free_text_of_a_report_naming_the_field(world, field, limit, label):
    report = make_report(world.activity, world.round)
    setattr(report, field, "ก" * limit)
    report.full_clean()
    setattr(report, field, "ก" * (limit + 1))
    with translation.override("th"):
        [error] = errors_of(report)[field]
        assert error.code == "too_long"
        assert error.messages == [
            f"{label} ยาวได้ไม่เกิน {limit:,} ตัวอักษร (ข้อความนี้มี {limit + 1:,} ตัวอักษร)"
        ]


def test_it_limits_a_measure_rationale_and_a_step(world):
    world.measure.rationale_th = "ก" * 5001
    assert errors_of(world.measure)["rationale_th"][0].code == "too_long"
    step = world.activity.steps.first()
    step.text_th = "ก" * 1001
    assert errors_of(step)["text_th"][0].code == "too_long"

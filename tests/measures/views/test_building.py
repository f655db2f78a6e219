"""Building plans, measures, activities and rounds (admins)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import Plan
from tests.assessments.builders import make_oie_2563
from tests.measures.builders import make_report
from tests.measures.views.helpers import as_user

pytestmark = pytest.mark.django_db


def test_it_lets_only_admins_build_the_plan(client, personas, world):
    year = world.plan.fiscal_year
    urls = [
        reverse("measures:plan_create"),
        reverse("measures:plan_edit", args=[year]),
        reverse("measures:measure_create", args=[year]),
        reverse("measures:measure_edit", args=[year, world.measure.pk]),
        reverse("measures:round_create", args=[year]),
        reverse("measures:round_edit", args=[year, world.round.pk]),
        reverse("measures:activity_create", args=[world.measure.pk]),
        reverse("measures:activity_edit", args=[world.measure.pk, world.activity.pk]),
    ]
    posts = [
        reverse("measures:plan_publish", args=[year]),
        reverse("measures:plan_unpublish", args=[year]),
        reverse("measures:plan_copy", args=[year]),
        reverse("measures:round_lock", args=[year, world.round.pk]),
        reverse("measures:round_unlock", args=[year, world.round.pk]),
        reverse("measures:plan_draft"),
    ]
    for user in (personas.staff, personas.manager):
        as_user(client, user)
        for url in urls + posts:
            method = client.post if url in posts else client.get
            assert method(url).status_code == 403, (user, url)
    as_user(client, personas.admin)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_it_builds_a_plan_in_the_portal(client, personas):
    as_user(client, personas.admin)
    response = client.post(
        reverse("measures:plan_create"), {"fiscal_year": "2566", "title_th": "แผน 2566"}
    )
    assert response.url == reverse("measures:plan", args=[2566])
    plan = Plan.objects.get(fiscal_year=2566)
    assert plan.rounds.count() == 2
    response = client.post(
        reverse("measures:measure_create", args=[2566]),
        {"number": "1", "title_th": "มาตรการใหม่", "indicators_text": "๓, 4"},
    )
    measure = plan.measures.get()
    assert measure.indicators == [3, 4]
    response = client.post(
        reverse("measures:activity_create", args=[measure.pk]),
        {
            "number": "1.1",
            "title_th": "กิจกรรมใหม่",
            "lead_unit": personas.unit.pk,
            "units": [personas.other_unit.pk],
            "deadline": "31/03/2566",
            "cadence": "quarterly",
            "steps_text": "ขั้นแรก\n\nขั้นสอง\n",
        },
    )
    activity = measure.activities.get()
    assert response.url == reverse("measures:activity", args=[activity.pk])
    assert [s.text_th for s in activity.steps.all()] == ["ขั้นแรก", "ขั้นสอง"]
    assert set(activity.units.all()) == {personas.unit, personas.other_unit}
    response = client.post(
        reverse("measures:activity_create", args=[measure.pk]),
        {"number": "1.2", "title_th": "x", "lead_unit": personas.foreign_unit.pk},
    )
    assert response.status_code == 400
    round_ = plan.rounds.first()
    response = client.post(
        reverse("measures:round_edit", args=[2566, round_.pk]),
        {
            "number": "1",
            "name_th": "รอบ 6 เดือน",
            "period_start": "01/10/2565",
            "period_end": "31/03/2566",
            "opens_on": "20/04/2566",
            "due_on": "10/04/2566",
        },
    )
    assert response.status_code == 400 and b'data-testid="error-due_on"' in response.content
    client.post(reverse("measures:round_lock", args=[2566, round_.pk]))
    round_.refresh_from_db()
    assert round_.is_locked and round_.locked_by == personas.admin


def test_it_copies_a_plan_from_the_plan_page(client, personas, world):
    as_user(client, personas.admin)
    response = client.post(reverse("measures:plan_copy", args=[2564]))
    assert response.url == reverse("measures:plan", args=[2565])
    response = client.post(reverse("measures:plan_copy", args=[2564]))
    assert response.url == reverse("measures:plan", args=[2564])


def test_it_drafts_a_plan_from_an_assessment(client, personas):
    assessment = make_oie_2563(personas.agency)
    as_user(client, personas.admin)
    assert b'data-testid="plan-draft"' in client.get(reverse("measures:index")).content
    response = client.post(reverse("measures:plan_draft"), {"assessment": assessment.pk})
    assert response.url == reverse("measures:plan", args=[2564])
    assert client.post(reverse("measures:plan_draft"), {"assessment": "x"}).status_code == 400


def test_it_links_a_measure_to_the_weak_questions_of_its_assessment(client, personas):
    assessment = make_oie_2563(personas.agency)
    plan = Plan.objects.create(
        agency=personas.agency, fiscal_year=2564, title_th="แผน", based_on=assessment
    )
    question = assessment.version.questions.get(code="I14")
    as_user(client, personas.admin)
    page = client.get(reverse("measures:measure_create", args=[2564])).content.decode()
    assert "I14" in page and "O1 " not in page
    client.post(
        reverse("measures:measure_create", args=[2564]),
        {"number": "1", "title_th": "มาตรการ", "questions": [question.pk]},
    )
    assert list(plan.measures.get().questions.all()) == [question]
    assert list(question.measures.all()) == [plan.measures.get()]


def test_it_hides_plan_building_from_admins_of_other_agencies(client, personas, world):
    year = world.plan.fiscal_year
    as_user(client, personas.outsider_admin)
    gets = [
        reverse("measures:plan_edit", args=[year]),
        reverse("measures:measure_edit", args=[year, world.measure.pk]),
        reverse("measures:activity_edit", args=[world.measure.pk, world.activity.pk]),
        reverse("measures:round_edit", args=[year, world.round.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("measures:plan_publish", args=[year]),
        reverse("measures:plan_copy", args=[year]),
        reverse("measures:round_lock", args=[year, world.round.pk]),
    ]
    for url in posts:
        assert client.post(url).status_code == 404, url
    world.plan.refresh_from_db()
    world.round.refresh_from_db()
    assert not world.plan.is_published and not world.round.is_locked


def activity_post(personas, **fields):
    data = {
        "number": "1.3",
        "title_th": "กิจกรรมใหม่",
        "lead_unit": personas.unit.pk,
        "deadline": "31/03/2564",
        "cadence": "six_monthly",
        "steps_text": "ขั้นแรก",
    }
    data.update(fields)
    return data


def round_post(**fields):
    data = {
        "number": "1",
        "name_th": "รอบ 6 เดือน",
        "period_start": "01/10/2563",
        "period_end": "31/03/2564",
        "opens_on": "01/03/2564",
        "due_on": "15/04/2564",
    }
    data.update(fields)
    return data


def test_it_takes_and_shows_a_buddhist_era_deadline(client, personas, world):
    as_user(client, personas.admin)
    url = reverse("measures:activity_create", args=[world.measure.pk])
    page = client.get(url).content.decode()
    assert 'name="deadline"' in page and 'type="date"' not in page
    assert "วว/ดด/ปปปป (พ.ศ.)" in page
    client.post(url, activity_post(personas, deadline="๓๐/๐๙/๒๕๖๔"))
    activity = world.measure.activities.get(number="1.3")
    assert activity.deadline == dt.date(2021, 9, 30)
    edit = client.get(reverse("measures:activity_edit", args=[world.measure.pk, activity.pk]))
    assert 'value="30/09/2564"' in edit.content.decode()
    page = client.get(reverse("measures:activity", args=[activity.pk])).content.decode()
    assert "30 ก.ย. 2564" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "31/03/2566",
            "ระยะเวลาดำเนินการ 31 มี.ค. 2566 อยู่นอกปีงบประมาณ พ.ศ. 2564 (1 ต.ค. 2563 – 30 ก.ย. 2564)",
        ),
        ("01/10/2564", "ระยะเวลาดำเนินการ 1 ต.ค. 2564 อยู่นอกปีงบประมาณ พ.ศ. 2564"),
        ("31/03/2021", "ปี 2021 ดูเป็นปีคริสต์ศักราช (ค.ศ.): กรอกปีพุทธศักราช (พ.ศ.) เช่น 31/03/2564"),
        ("31/03/3109", "ปี พ.ศ. 3109 ไม่น่าจะถูกต้อง"),
    ],
)
def test_it_refuses_a_deadline_outside_the_plan_year(client, personas, world, typed, message):
    as_user(client, personas.admin)
    url = reverse("measures:activity_create", args=[world.measure.pk])
    response = client.post(url, activity_post(personas, deadline=typed))
    assert response.status_code == 400
    html = response.content.decode()
    error = html[html.index('data-testid="error-deadline"') :]
    assert message in error[: error.index("</div>")]
    assert not world.measure.activities.filter(number="1.3").exists()


def test_it_takes_buddhist_era_round_dates(client, personas, world):
    as_user(client, personas.admin)
    url = reverse("measures:round_edit", args=[2564, world.round.pk])
    assert 'value="01/10/2563"' in client.get(url).content.decode()
    response = client.post(url, round_post(due_on="30/04/2564"))
    assert response.status_code == 302
    world.round.refresh_from_db()
    assert world.round.due_on == dt.date(2021, 4, 30)


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("period_start", "30/09/2563"),
        ("period_end", "01/10/2564"),
        ("opens_on", "01/04/2565"),
        ("due_on", "31/03/2566"),
    ],
)
def test_it_refuses_a_round_date_outside_the_plan_year(client, personas, world, field, typed):
    as_user(client, personas.admin)
    url = reverse("measures:round_edit", args=[2564, world.round.pk])
    response = client.post(url, round_post(**{field: typed}))
    assert response.status_code == 400
    assert f'data-testid="error-{field}"' in response.content.decode()
    world.round.refresh_from_db()
    assert world.round.period_start == dt.date(2020, 10, 1)


def test_it_names_the_assessment_in_thai_on_the_plan_form(client, personas, world):
    make_oie_2563(personas.agency)
    as_user(client, personas.admin)
    html = client.get(reverse("measures:plan_edit", args=[2564])).content.decode()
    assert "ผลการประเมิน ITA ปี พ.ศ. 2563 ของสำนักงานเศรษฐกิจอุตสาหกรรม" in html
    assert "oie 2563" not in html


def test_it_refuses_a_too_long_title_naming_the_field(client, personas, world):
    as_user(client, personas.admin)
    url = reverse("measures:measure_edit", args=[2564, world.measure.pk])
    response = client.post(url, {"number": "1", "title_th": "ก" * 501})
    assert response.status_code == 400
    assert "ชื่อภาษาไทย ยาวได้ไม่เกิน 500 ตัวอักษร (ข้อความนี้มี 501 ตัวอักษร)" in (response.content.decode())


def test_it_asks_before_deleting_a_plan_then_deletes_it(client, personas, world):
    make_report(world.activity, world.round)  # a draft goes with the plan
    as_user(client, personas.admin)
    url = reverse("measures:plan_delete", args=[2564])
    page = client.get(url).content.decode()
    assert 'data-testid="confirm-delete"' in page and "ร่างรายงาน 1 ฉบับ" in page
    assert Plan.objects.filter(fiscal_year=2564).exists()
    response = client.post(url, follow=True)
    assert "ลบแผนปีงบประมาณ 2564 แล้ว" in response.content.decode()
    assert not Plan.objects.filter(fiscal_year=2564).exists()


def test_it_refuses_to_delete_a_plan_with_submitted_reports(client, personas, world):
    make_report(world.activity, world.round, state="submitted")
    as_user(client, personas.admin)
    url = reverse("measures:plan_delete", args=[2564])
    page = client.get(url).content.decode()
    assert 'data-testid="delete-refused"' in page and 'data-testid="confirm-delete"' not in page
    response = client.post(url, follow=True)
    assert "แผนนี้มีรายงานผลที่ส่งแล้ว จึงลบไม่ได้" in response.content.decode()
    assert Plan.objects.filter(fiscal_year=2564).exists()


def test_it_copies_to_next_year_again_once_the_draft_copy_is_deleted(client, personas, world):
    as_user(client, personas.admin)
    client.post(reverse("measures:plan_copy", args=[2564]))
    response = client.post(reverse("measures:plan_copy", args=[2564]), follow=True)
    assert "มีแผนของปีงบประมาณ 2565 อยู่แล้ว" in response.content.decode()
    client.post(reverse("measures:plan_delete", args=[2565]))
    response = client.post(reverse("measures:plan_copy", args=[2564]))
    assert response.url == reverse("measures:plan", args=[2565])


def test_only_the_agency_admin_deletes_a_plan(client, personas, world):
    url = reverse("measures:plan_delete", args=[2564])
    for user in (personas.staff, personas.manager):
        as_user(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    as_user(client, personas.outsider_admin)
    assert client.post(url).status_code == 404
    assert Plan.objects.filter(fiscal_year=2564).exists()


def test_the_agency_admin_sets_who_approves_reports(client, personas):
    url = reverse("measures:review_settings")
    for user in (personas.staff, personas.manager):
        as_user(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"allow_self_approval": "on"}).status_code == 403
    as_user(client, personas.admin)
    page = client.get(url).content.decode()
    assert "อนุญาตให้อนุมัติรายงานผลการดำเนินงานของตนเอง" in page
    client.post(url, {"allow_self_approval": "on"})
    personas.agency.refresh_from_db()
    assert personas.agency.allow_self_approval
    client.post(url, {})
    personas.agency.refresh_from_db()
    assert not personas.agency.allow_self_approval
    personas.other_agency.refresh_from_db()
    assert not personas.other_agency.allow_self_approval


def test_it_saves_the_plan_as_thai_agencies_write_it(client, personas, world):
    as_user(client, personas.admin)
    url = reverse("measures:activity_edit", args=[world.measure.pk, world.activity.pk])
    response = client.post(
        url,
        activity_post(
            personas,
            number="1.1",
            budget_planned="๑๕๐,๐๐๐",
            budget_spent="20,500.50 บาท",
            months=["10", "11", "3"],
            owners=[personas.other_staff.pk],
            indicator_1_name="ร้อยละของบุคลากรที่รับทราบหลักเกณฑ์",
            indicator_1_target="ร้อยละ 80",
            indicator_2_name="",
            indicator_3_name="จำนวนช่องทางการเผยแพร่",
            indicator_3_target="2 ช่องทาง",
            indicator_3_result="3 ช่องทาง",
        ),
    )
    assert response.status_code == 302
    activity = world.activity
    activity.refresh_from_db()
    assert (activity.budget_planned, activity.budget_spent) == (
        Decimal("150000.00"),
        Decimal("20500.50"),
    )
    assert activity.months == [10, 11, 3]
    assert list(activity.owners.all()) == [personas.other_staff]
    assert [(i.order, i.target, i.result) for i in activity.indicators.all()] == [
        (1, "ร้อยละ 80", ""),
        (2, "2 ช่องทาง", "3 ช่องทาง"),
    ]
    page = client.get(reverse("measures:activity", args=[activity.pk])).content.decode()
    assert "150,000.00" in page and "20,500.50" in page and "staff2" in page
    assert 'data-testid="timeline"' in page and "ร้อยละ 80" in page
    edit = client.get(url).content.decode()
    assert 'value="150,000.00"' in edit and 'name="indicator_4_name"' in edit


def test_it_leaves_out_what_the_plan_does_not_give(client, personas, world):
    as_user(client, personas.admin)
    page = client.get(reverse("measures:activity", args=[world.activity.pk])).content.decode()
    assert 'data-testid="timeline"' not in page and 'data-testid="activity-budget"' not in page
    assert 'data-testid="activity-indicators"' not in page


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("budget_planned", "หนึ่งแสน", "งบประมาณที่ได้รับ (บาท): ใส่จำนวนเงินเป็นบาท"),
        ("budget_spent", "-5", "งบประมาณที่ใช้ไป (บาท) ติดลบไม่ได้"),
        ("budget_planned", "10.555", "ใส่ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
    ],
)
def test_it_refuses_a_bad_budget_naming_the_field(client, personas, world, field, typed, message):
    as_user(client, personas.admin)
    url = reverse("measures:activity_create", args=[world.measure.pk])
    response = client.post(url, activity_post(personas, **{field: typed}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not world.measure.activities.filter(number="1.3").exists()


def test_it_refuses_an_indicator_without_its_target_naming_it(client, personas, world):
    as_user(client, personas.admin)
    url = reverse("measures:activity_create", args=[world.measure.pk])
    response = client.post(url, activity_post(personas, indicator_2_name="ร้อยละของผู้รับบริการ"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "ตัวชี้วัดความสำเร็จที่ 2: ระบุทั้งชื่อตัวชี้วัดและค่าเป้าหมาย" in body
    assert 'data-testid="error-indicator_2_target"' in body


def test_it_names_owners_of_the_agency_only(client, personas, world):
    as_user(client, personas.admin)
    url = reverse("measures:activity_create", args=[world.measure.pk])
    response = client.post(url, activity_post(personas, owners=[personas.outsider.pk]))
    assert response.status_code == 400
    assert 'data-testid="error-owners"' in response.content.decode()

"""Building plans, measures, activities and rounds (admins)."""

import pytest
from django.urls import reverse

from measures.models import Plan
from tests.assessments.builders import make_oie_2563
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

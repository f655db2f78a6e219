"""Plans copied into the next year or drafted from an assessment."""

import pytest
from django.core.exceptions import ValidationError

from measures import services
from measures.models import ProgressReport
from tests.measures.builders import make_report

pytestmark = pytest.mark.django_db


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

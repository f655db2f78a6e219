from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from assessments.models import Assessment, IndicatorScore, Question, QuestionScore
from tests.assessments.builders import load_version_2563

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(personas):
    version = load_version_2563()
    return Assessment.objects.create(agency=personas.agency, fiscal_year=2563, version=version)


@pytest.mark.parametrize("score", [Decimal("-0.01"), Decimal("100.01")])
def test_it_refuses_scores_outside_0_100_in_the_database(assessment, score):
    question = assessment.version.questions.get(code="I1")
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionScore.objects.create(assessment=assessment, question=question, score=score)
    indicator = assessment.version.indicators.get(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorScore.objects.create(assessment=assessment, indicator=indicator, score=score)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(reported_total=score)


def test_it_refuses_a_second_assessment_of_the_same_year(assessment):
    with pytest.raises(IntegrityError):
        Assessment.objects.create(
            agency=assessment.agency, fiscal_year=2563, version=assessment.version
        )


def test_it_refuses_an_item_without_sub_indicator(assessment):
    item = assessment.version.questions.get(code="O1")
    with pytest.raises(IntegrityError):
        Question.objects.filter(pk=item.pk).update(sub_indicator=None)


def test_it_keeps_history_of_scores(assessment):
    question = assessment.version.questions.get(code="I1")
    score = QuestionScore.objects.create(assessment=assessment, question=question, score=1)
    score.score = Decimal("2")
    score.save()
    assert [h.score for h in score.history.all()] == [Decimal("2"), Decimal("1")]


def test_it_lists_only_the_users_agency(personas, assessment):
    other = Assessment.objects.create(
        agency=personas.other_agency, fiscal_year=2563, version=assessment.version
    )
    assert list(Assessment.objects.for_user(personas.staff)) == [assessment]
    assert list(Assessment.objects.for_user(personas.outsider)) == [other]
    assert str(assessment) == "oie 2563"

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments.models import (
    GradeBand,
    Indicator,
    Instrument,
    InstrumentVersion,
    Question,
    QuestionScore,
    SubIndicator,
)
from assessments.services import (
    assessment_scores_set,
    assessment_upsert,
    instrument_version_copy,
    instrument_version_dump,
    item_answers_set,
)
from tests.assessments.builders import load_version_2563

pytestmark = pytest.mark.django_db


def test_it_loads_the_2563_instrument():
    version = load_version_2563()
    assert version.fiscal_year == 2563
    assert version.pass_mark == Decimal("85.00")
    assert list(version.instruments.values_list("code", "weight")) == [
        ("IIT", Decimal("0.30")),
        ("EIT", Decimal("0.30")),
        ("OIT", Decimal("0.40")),
    ]
    assert version.indicators.count() == 10
    assert version.questions.filter(kind=Question.Kind.QUESTION, code__startswith="I").count() == 30
    assert version.questions.filter(kind=Question.Kind.QUESTION, code__startswith="E").count() == 15
    assert version.questions.filter(kind=Question.Kind.ITEM).count() == 43
    sub_counts = [s.items.count() for s in SubIndicator.objects.filter(indicator__version=version)]
    assert sub_counts == [9, 8, 7, 4, 5, 8, 2]
    assert list(version.grade_bands.values_list("grade", flat=True)) == [
        "AA", "A", "B", "C", "D", "E", "F"
    ]  # fmt: skip
    assert version.questions.get(code="I14").indicator.number == 3


def test_it_loads_idempotently_without_new_history():
    version = load_version_2563()
    counts = [m.objects.count() for m in (Instrument, Indicator, SubIndicator, Question, GradeBand)]
    history = Question.history.count()
    load_version_2563()
    assert [
        m.objects.count() for m in (Instrument, Indicator, SubIndicator, Question, GradeBand)
    ] == counts
    assert Question.history.count() == history
    assert InstrumentVersion.objects.get() == version


def test_it_copies_a_version_to_a_new_year():
    source = load_version_2563()
    copy = instrument_version_copy(source=source, fiscal_year=2564, name_th="ITA 2564")
    assert copy.copied_from == source
    original, copied = (
        instrument_version_dump(version=source),
        instrument_version_dump(version=copy),
    )
    assert copied["instruments"] == original["instruments"]
    assert copied["grade_bands"] == original["grade_bands"]
    assert copied["fiscal_year"] == 2564


def test_it_refuses_to_copy_onto_an_existing_year():
    source = load_version_2563()
    with pytest.raises(ValidationError) as error:
        instrument_version_copy(source=source, fiscal_year=2563, name_th="again")
    assert error.value.error_dict["fiscal_year"][0].code == "exists"


def test_it_refuses_an_assessment_without_a_version(personas):
    with pytest.raises(ValidationError) as error:
        assessment_upsert(agency=personas.agency, fiscal_year=2570, values={})
    assert error.value.error_dict["fiscal_year"][0].code == "no_version"


def test_it_stores_and_forgets_scores(personas):
    load_version_2563()
    assessment = assessment_upsert(agency=personas.agency, fiscal_year=2563, values={})
    assessment_scores_set(assessment=assessment, questions={"I14": Decimal("66.02")})
    assert QuestionScore.objects.get().score == Decimal("66.02")
    assessment_scores_set(assessment=assessment, questions={"I14": None})
    assert not QuestionScore.objects.exists()


def test_it_refuses_unknown_codes_and_out_of_range_scores(personas):
    load_version_2563()
    assessment = assessment_upsert(agency=personas.agency, fiscal_year=2563, values={})
    with pytest.raises(ValidationError) as error:
        assessment_scores_set(assessment=assessment, questions={"I99": Decimal("50")})
    assert error.value.error_dict["questions"][0].code == "unknown_code"
    with pytest.raises(ValidationError):
        assessment_scores_set(assessment=assessment, indicators={1: Decimal("100.01")})
    with pytest.raises(ValidationError):
        assessment_scores_set(assessment=assessment, questions={"O1": Decimal("50")})


def test_it_stores_item_answers(personas):
    load_version_2563()
    assessment = assessment_upsert(agency=personas.agency, fiscal_year=2563, values={})
    item_answers_set(
        assessment=assessment,
        answers={"O1": {"present": True, "evidence_url": "https://oie.go.th/a"}, "O2": None},
    )
    answer = assessment.item_answers.get()
    assert (answer.question.code, answer.present, answer.score) == ("O1", True, Decimal("100"))

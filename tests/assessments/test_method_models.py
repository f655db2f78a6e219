"""Tests for the method as data in the database: versions with levels, scales and sample rules,
the loader's retire/refuse rule, and official results beside self-assessments."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments import answers
from assessments.models import (
    AnswerScale,
    Assessment,
    GradeBand,
    InstrumentVersion,
    ItemAnswer,
    Question,
    SubItem,
)
from assessments.selectors import assessment_report
from assessments.services import (
    assessment_scores_set,
    assessment_upsert,
    instrument_version_dump,
    instrument_version_load,
)
from assessments.versions import version_questions
from tests.assessments.builders import load_version_2563, make_oie_2563, version_2567_data

pytestmark = pytest.mark.django_db
D = Decimal


def test_it_loads_levels_scales_and_sample_rules():
    version = instrument_version_load(data=version_2567_data())
    levels = list(version.grade_bands.order_by("order"))
    assert [level.grade for level in levels][:3] == ["ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน"]
    assert levels[0].minimums == {"IIT": "95.00", "EIT": "95.00", "OIT": "95.00"}
    assert levels[3].upper == D("84.99")
    assert not levels[0].verified
    eit = version.instruments.get(code="EIT")
    assert (eit.sample_cap_over, eit.sample_cap_minimum, eit.sample_percent) == (4000, 400, D("10"))
    assert version.answer_scales.get(code="YN").kind == AnswerScale.Kind.YES_NO


def test_it_gives_the_survey_its_questions_with_options_and_sub_items():
    version = instrument_version_load(data=version_2567_data())
    forms = {form.question.code: form for form in version_questions(version)}
    assert list(forms) == ["I1", "I2", "E1"]
    i1 = forms["I1"]
    assert [(o.order, th) for o, th, _en in i1.options] == [
        (1, "น้อยที่สุด"),
        (2, "น้อย"),
        (3, "มาก"),
        (4, "ทุกครั้ง"),
    ]
    assert [(item.code, item.reversed) for item in i1.sub_items] == [
        ("I1.1", False),
        ("I1.2", True),
    ]
    scales = [form.scale for form in forms.values()]
    scores = answers.question_scores(scales, [{"I1.1": 4, "I1.2": 1, "I2": 1, "E1": 3}])
    assert scores == {"I1": D("100"), "I2": D("100"), "E1": D("67")}


def test_it_loads_a_version_twice_without_changes():
    instrument_version_load(data=version_2567_data())
    history = SubItem.history.count() + GradeBand.history.count()
    dumped = instrument_version_dump(version=InstrumentVersion.objects.get())
    instrument_version_load(data=dumped)
    assert SubItem.history.count() + GradeBand.history.count() == history
    assert instrument_version_dump(version=InstrumentVersion.objects.get()) == dumped


def test_it_retires_rows_the_file_drops_while_the_version_has_no_results():
    instrument_version_load(data=version_2567_data())
    data = version_2567_data()
    data["grade_bands"].pop(1)
    data["instruments"][0]["indicators"][0]["questions"].pop(1)
    data["answer_scales"].pop(1)
    version = instrument_version_load(data=data)
    assert not version.grade_bands.filter(grade="ผ่านดี").exists()
    assert not version.questions.filter(code="I2").exists()
    assert list(version.answer_scales.values_list("code", flat=True)) == ["L4"]


def test_it_refuses_to_retire_rows_once_the_version_has_results(personas):
    version = instrument_version_load(data=version_2567_data())
    assessment_upsert(agency=personas.agency, fiscal_year=2567, values={})
    data = version_2567_data()
    data["instruments"][0]["indicators"][0]["questions"].pop(1)
    with pytest.raises(ValidationError) as error:
        instrument_version_load(data=data)
    assert error.value.code == "has_results"
    assert "I2" in error.value.messages[0]
    assert version.questions.filter(code="I2").exists()


def test_it_refuses_an_unknown_scale():
    data = version_2567_data()
    data["instruments"][1]["indicators"][0]["questions"][0]["scale"] = "L9"
    with pytest.raises(ValidationError) as error:
        instrument_version_load(data=data)
    assert error.value.code == "unknown_scale"
    assert not InstrumentVersion.objects.exists()


def test_it_stores_a_thai_level_and_shows_the_gap(personas):
    instrument_version_load(data=version_2567_data())
    assessment = assessment_upsert(
        agency=personas.agency,
        fiscal_year=2567,
        values={"reported_total": D("95.20"), "reported_grade": "ผ่านดี"},
    )
    assessment_scores_set(
        assessment=assessment, instruments={"IIT": D("96"), "EIT": D("96"), "OIT": D("94")}
    )
    report = assessment_report(Assessment.objects.get(pk=assessment.pk))
    assert report.result.official_grade == "ผ่านดี"
    assert report.result.discrepancies == ()
    assert [(gap.target, gap.minimum_needs) for gap in report.gaps] == [
        ("ผ่านดีเยี่ยม", {"OIT": D("1.00")})
    ]


def test_it_judges_the_sample_by_the_versions_rule(personas):
    instrument_version_load(data=version_2567_data())
    assessment = assessment_upsert(
        agency=personas.agency,
        fiscal_year=2567,
        values={"eit_population": 5000, "eit_respondents": 399},
    )
    sample = assessment_report(assessment).sample["EIT"]
    assert (sample.required, sample.sufficient, sample.shortfall) == (400, False, 1)


def test_it_refuses_bad_level_minimums():
    version = load_version_2563()
    band = version.grade_bands.get(grade="AA")
    band.minimums = {"OIT": "101"}
    with pytest.raises(ValidationError) as error:
        band.full_clean()
    assert error.value.error_dict["minimums"][0].code == "bad_minimum"


def test_it_keeps_a_self_assessment_beside_the_official_result(personas):
    official = make_oie_2563(personas.agency)
    own = assessment_upsert(
        agency=personas.agency,
        fiscal_year=2563,
        values={"reported_total": D("80")},
        kind=Assessment.Kind.SELF,
    )
    assert own.pk != official.pk
    assert list(Assessment.objects.official()) == [official]
    with transaction.atomic(), pytest.raises(IntegrityError):
        Assessment.objects.create(
            agency=personas.agency, fiscal_year=2563, version=official.version, kind="self"
        )


def test_it_takes_reviewer_scores_only_from_the_allowed_values(personas):
    data = version_2567_data()
    data.update(oit_scoring="reviewer_score", oit_allowed_scores=["0", "0.5", "1"])
    instrument_version_load(data=data)
    assessment = assessment_upsert(agency=personas.agency, fiscal_year=2567, values={})
    item = Question.objects.get(code="O1")
    answer = ItemAnswer(assessment=assessment, question=item, present=True, reviewer_score=D("0.7"))
    with pytest.raises(ValidationError) as error:
        answer.full_clean()
    assert error.value.error_dict["reviewer_score"][0].code == "not_allowed"
    answer.reviewer_score = D("0.5")
    answer.full_clean()


def test_it_refuses_reviewer_scoring_without_allowed_values():
    data = version_2567_data()
    data["oit_scoring"] = "reviewer_score"
    with pytest.raises(ValidationError) as error:
        instrument_version_load(data=data)
    assert error.value.error_dict["oit_allowed_scores"][0].code == "no_scores"

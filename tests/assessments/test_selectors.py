from decimal import Decimal

import pytest

from accounts.models import Agency
from assessments import scoring
from assessments.models import Assessment
from assessments.selectors import assessment_report
from assessments.services import assessment_scores_set, assessment_upsert
from tests.assessments.builders import load_version_2563, make_oie_2563
from tests.reference import up2563_units

pytestmark = pytest.mark.django_db
D = Decimal


def fetch(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_related("agency", "version").get(pk=assessment.pk)


@pytest.fixture
def oie(personas):
    return fetch(make_oie_2563(personas.agency))


def test_it_reproduces_the_oie_2563_figures(oie):
    report = assessment_report(oie)
    assert report.total.display == D("91.50")
    assert report.grade == "A"
    assert [(r.code, r.figure.display) for r in report.instruments] == [
        ("IIT", D("83.81")),
        ("EIT", D("89.33")),
        ("OIT", D("98.89")),
    ]
    assert [r.weighted_display for r in report.instruments] == [D("25.14"), D("26.80"), D("39.56")]
    assert [(r.indicator_count, r.question_count) for r in report.instruments] == [
        (5, 30),
        (3, 15),
        (2, 43),
    ]
    assert [r.figure.display for r in report.indicators] == [
        D(v)
        for v in (
            [
                "90.08",
                "84.02",
                "80.81",
                "80.75",
                "83.41",
                "94.79",
                "88.92",
                "84.27",
                "97.78",
                "100.00",
            ]
        )
    ]
    assert [r.question_count for r in report.indicators] == [6] * 5 + [5] * 3 + [33, 10]
    assert report.indicators[8].figure.source == "computed"  # 9 from its sub-indicators
    assert report.highest_indicator.number == 10
    assert report.lowest_indicator.number == 4
    assert report.discrepancies == ()


def test_it_computes_indicator_9_from_the_sub_indicators(personas):
    assessment = make_oie_2563(personas.agency)
    assessment.indicator_scores.all().delete()
    assessment.instrument_scores.all().delete()
    report = assessment_report(fetch(assessment))
    assert report.result.indicators[9].display == D("97.78")
    assert report.result.indicators[9].source == "computed"
    assert [r.figure.display for r in report.sub_indicators[:5]] == [
        D("88.89"), D("100.00"), D("100.00"), D("100.00"), D("100.00")
    ]  # fmt: skip


def test_it_lists_the_22_weak_questions_lowest_first(oie):
    report = assessment_report(oie)
    weak = report.weak_questions
    assert len(weak) == 22
    assert [(w.code, w.score) for w in weak[:3]] == [
        ("I14", D("66.02")),
        ("I20", D("66.88")),
        ("I7", D("68.93")),
    ]
    assert weak[-1].code == "I8"
    assert sum(1 for w in weak if w.instrument_code == "IIT") == 18
    assert sum(1 for w in weak if w.instrument_code == "EIT") == 4
    first = weak[0]
    assert (first.indicator_number, first.indicator_name_th) == (3, "การใช้อำนาจ")
    assert first.text_th == "ประเมินผลการปฏิบัติงานตามระดับคุณภาพผลงาน"
    # I14 needs 18.98 to pass itself; indicator 3 (80.81, six questions) reaches 85 with 25.11 on
    # I14 alone. E14 lifts indicator 8 (84.27, five questions) with 3.63.
    assert (first.rise_to_pass, first.indicator_score, first.indicator_rise) == (
        D("18.98"), D("80.81"), D("25.11")
    )  # fmt: skip
    assert first.indicator_rise_to == D("91.13")
    e14 = next(w for w in weak if w.code == "E14")
    assert (e14.indicator_rise, e14.indicator_rise_to) == (D("3.63"), D("78.29"))
    e6 = next(w for w in weak if w.code == "E6")
    assert (e6.indicator_score, e6.indicator_rise, e6.indicator_rise_to) == (
        D("88.92"),
        D("0.00"),
        None,
    )
    assert report.known_question_count == 22
    assert report.question_count == 45


def test_it_judges_the_sample_and_the_gap_to_aa(oie):
    report = assessment_report(oie)
    iit, eit = report.sample["IIT"], report.sample["EIT"]
    assert (iit.respondents, iit.population, iit.required, iit.sufficient) == (35, 130, 30, True)
    assert (eit.respondents, eit.population, eit.required, eit.sufficient) == (38, 203, 30, True)
    assert report.gaps == (
        scoring.Gap("AA", D("3.50"), {"IIT": D("11.66"), "EIT": None, "OIT": None}),
    )


def test_it_flags_the_seeds_contradicting_text_figures(personas):
    assessment = make_oie_2563(personas.agency)
    assessment_scores_set(
        assessment=assessment,
        indicators={3: D("76.41"), 9: D("87.78")},
        instruments={"OIT": D("88.88")},
    )
    report = assessment_report(fetch(assessment))
    found = {(d.level, d.key): (d.computed, d.reported) for d in report.discrepancies}
    assert found[("indicator", "9")] == (D("97.78"), D("87.78"))
    assert found[("instrument", "OIT")] == (D("98.89"), D("88.88"))
    # Indicator 3's questions are only partly known, so 76.41 shows up in IIT's mean.
    assert found[("instrument", "IIT")] == (D("82.93"), D("83.81"))
    assert report.indicators[2].figure.value == D("76.41")
    assert report.indicators[8].figure.mismatch


def test_it_keeps_unknown_scores_unknown(personas):
    load_version_2563()
    assessment = assessment_upsert(agency=personas.agency, fiscal_year=2563, values={})
    report = assessment_report(fetch(assessment))
    assert report.total.value is None
    assert report.grade is None
    assert report.weak_questions == ()
    assert report.gaps == ()
    assert report.highest_indicator is None
    assert report.sample["IIT"].sufficient is None


@pytest.mark.parametrize("question_scores", [True, False])
def test_it_reads_a_report_in_ten_queries(personas, django_assert_num_queries, question_scores):
    assessment = fetch(make_oie_2563(personas.agency, question_scores=question_scores))
    # instruments, indicators, sub-indicators, questions, grade bands;
    # question scores, item answers, sub-indicator, indicator and instrument scores.
    with django_assert_num_queries(10):
        assessment_report(assessment)


def test_it_reproduces_all_39_published_up2563_totals_and_grades(db):
    load_version_2563()
    rows = up2563_units()
    assert len(rows) == 39
    for row in rows:
        agency = Agency.objects.create(code=f"up-{row['unit_id']}", name_th=row["unit_name"])
        assessment = assessment_upsert(agency=agency, fiscal_year=2563, values={})
        assessment_scores_set(
            assessment=assessment, indicators={n: D(row[f"ind{n}"]) for n in range(1, 11)}
        )
        report = assessment_report(fetch(assessment))
        assert (report.total.display, report.grade) == (D(row["total"]), row["grade"]), row

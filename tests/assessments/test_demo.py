import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings

from assessments.comparisons import agency_history
from assessments.models import (
    Assessment,
    IndicatorScore,
    InstrumentVersion,
    ItemAnswer,
    QuestionScore,
    SubIndicatorScore,
)


def snapshot():
    return (
        list(Assessment.objects.values_list("agency__code", "fiscal_year", "reported_total")),
        list(QuestionScore.objects.values_list("question__code", "score")),
        list(InstrumentVersion.objects.values_list("fiscal_year", "name_en", "copied_from")),
    )


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_it_loads_the_seed_twice_to_the_same_data():
    call_command("load_demo", stdout=io.StringIO())
    first = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == first
    oie = Assessment.objects.get(agency__code="oie", fiscal_year=2563)
    assert oie.question_scores.count() == 22
    assert QuestionScore.objects.get(question__code="I14").score == Decimal("66.02")
    assert IndicatorScore.objects.filter(assessment=oie).count() == 10
    assert SubIndicatorScore.objects.filter(assessment=oie).count() == 7
    assert not ItemAnswer.objects.exists()
    assert (oie.rank, oie.rank_of, oie.ministry_rank, oie.ministry_rank_of) == (22, 146, 4, 7)
    history = Assessment.objects.filter(agency__code="oie").order_by("fiscal_year")
    assert [(a.fiscal_year, a.reported_total, a.rank) for a in history][:4] == [
        (2559, Decimal("77.56"), 119),
        (2560, Decimal("79.47"), 115),
        (2561, Decimal("87.29"), 50),
        (2562, Decimal("86.61"), 94),
    ]
    # The years before 2563 have their own versions: none claims the 2563 instrument, and a year
    # known only by its total and rank gets no computed grade.
    for year in (2559, 2560, 2561, 2562):
        version = InstrumentVersion.objects.get(fiscal_year=year)
        assert not version.questions.exists() and not version.instruments.exists()
        assert version.copied_from is None and not version.verified
    rows = {row.fiscal_year: row.grade for row in agency_history(oie.agency)}
    assert rows == {2559: None, 2560: None, 2561: None, 2562: "A", 2563: "A"}
    assert (
        list(
            InstrumentVersion.objects.get(fiscal_year=2559).grade_bands.values_list(
                "lower", flat=True
            )
        )
        == [None] * 5
    )
    assert InstrumentVersion.objects.get(fiscal_year=2569).questions.filter(code="O26").exists()
    peers = Assessment.objects.filter(fiscal_year=2563, agency__ministry="กระทรวงอุตสาหกรรม")
    assert peers.count() == 7
    assert peers.get(agency__code="diw").reported_total == Decimal("93.97")

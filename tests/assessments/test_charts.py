from decimal import Decimal

from assessments.charts import HEIGHT, history_chart
from assessments.scoring import GradeBand

D = Decimal
BANDS = [
    GradeBand("AA", D("95")),
    GradeBand("A", D("85")),
    GradeBand("B", D("75")),
    GradeBand("C", D("65")),
    GradeBand("D", D("55")),
    GradeBand("E", D("50")),
    GradeBand("F", D("0")),
]


def test_it_places_higher_totals_higher_and_skips_unknown_years():
    chart = history_chart(
        [(2559, D("77.56"), "B"), (2560, None, None), (2563, D("91.50"), "A")], BANDS, D("85")
    )
    assert [p.year for p in chart.points] == [2559, 2563]
    assert chart.points[1].y < chart.points[0].y
    assert [year for year, _ in chart.years] == [2559, 2560, 2563]
    assert chart.points[0].x < chart.years[1][1] < chart.points[1].x
    assert chart.polyline.count(",") == 2


def test_it_draws_the_bands_from_50_up_to_100():
    chart = history_chart([(2563, D("91.50"), "A")], BANDS)
    assert [band.grade for band in chart.bands] == ["E", "D", "C", "B", "A", "AA"]
    assert chart.ticks[0].value == 50 and chart.ticks[-1].value == 100
    assert chart.ticks[-1].y == chart.top
    assert round(chart.ticks[0].y) == chart.bottom_edge
    assert chart.pass_mark_y is None


def test_it_lowers_the_floor_for_a_low_total():
    chart = history_chart([(2563, D("31.2"), "F")], BANDS, D("85"))
    assert chart.ticks[0].value == 30
    assert chart.bands[0].grade == "F"
    assert 0 < chart.points[0].y <= HEIGHT

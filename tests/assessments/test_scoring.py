"""Tests for the pure scoring engine: no database, no Django.

Figures come from the seed (OIE's ITA 2563 result as its measures document prints it) and from a
real external data set (University of Phayao's ITA 2563 pre-assessment, tests/data/up2563.tsv).
"""

from decimal import Decimal

import pytest

from assessments import scoring
from assessments.scoring import (
    CENT,
    TOLERANCE,
    Discrepancy,
    Figure,
    Gap,
    Given,
    GradeBand,
    IndicatorSpec,
    InstrumentSpec,
    Result,
    SampleStatus,
    SubIndicatorSpec,
    VersionSpec,
    agreement,
    compute,
    gaps_to_grades,
    grade_for,
    indicator_gap,
    mean,
    next_band,
    question_weight,
    required_sample,
    round2,
    rounded_mean,
    sample_status,
    weak_questions,
)
from tests.reference import up2563_units

D = Decimal


# --- Builders -------------------------------------------------------------------------------------


def codes(prefix: str, first: int, last: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{n}" for n in range(first, last + 1))


def version_2563() -> VersionSpec:
    """Build the ITA 2563 instrument as the production code would load it from the version rows."""
    iit = InstrumentSpec(
        code="IIT",
        weight=D("0.30"),
        indicators=tuple(
            IndicatorSpec(number=n, questions=codes("I", 6 * n - 5, 6 * n)) for n in range(1, 6)
        ),
    )
    eit = InstrumentSpec(
        code="EIT",
        weight=D("0.30"),
        indicators=tuple(
            IndicatorSpec(number=6 + k, questions=codes("E", 5 * k + 1, 5 * k + 5))
            for k in range(3)
        ),
    )
    oit = InstrumentSpec(
        code="OIT",
        weight=D("0.40"),
        indicators=(
            IndicatorSpec(
                number=9,
                sub_indicators=(
                    SubIndicatorSpec("9.1", codes("O", 1, 9)),
                    SubIndicatorSpec("9.2", codes("O", 10, 17)),
                    SubIndicatorSpec("9.3", codes("O", 18, 24)),
                    SubIndicatorSpec("9.4", codes("O", 25, 28)),
                    SubIndicatorSpec("9.5", codes("O", 29, 33)),
                ),
            ),
            IndicatorSpec(
                number=10,
                sub_indicators=(
                    SubIndicatorSpec("10.1", codes("O", 34, 41)),
                    SubIndicatorSpec("10.2", codes("O", 42, 43)),
                ),
            ),
        ),
    )
    bands = (
        GradeBand("AA", D("95")),
        GradeBand("A", D("85")),
        GradeBand("B", D("75")),
        GradeBand("C", D("65")),
        GradeBand("D", D("55")),
        GradeBand("E", D("50")),
        GradeBand("F", D("0")),
    )
    return VersionSpec(instruments=(iit, eit, oit), grade_bands=bands, pass_mark=D("85"))


SPEC = version_2563()
BANDS = SPEC.grade_bands

# OIE 2563, the seed's Table 1.
OIE_INDICATORS = {
    1: D("90.08"),
    2: D("84.02"),
    3: D("80.81"),
    4: D("80.75"),
    5: D("83.41"),
    6: D("94.79"),
    7: D("88.92"),
    8: D("84.27"),
    9: D("97.78"),
    10: D("100"),
}

# OIE 2563, the seed's Table 2: the 22 questions below 85, lowest first.
OIE_WEAK = [
    ("I14", "66.02"),
    ("I20", "66.88"),
    ("I7", "68.93"),
    ("I23", "69.14"),
    ("I30", "71.86"),
    ("I15", "72.04"),
    ("E14", "74.66"),
    ("E12", "75.53"),
    ("I24", "76.14"),
    ("I18", "76.89"),
    ("I29", "77.00"),
    ("I12", "77.21"),
    ("I13", "77.96"),
    ("E11", "79.00"),
    ("I2", "79.36"),
    ("I3", "81.71"),
    ("I1", "81.98"),
    ("I21", "83.09"),
    ("I28", "83.96"),
    ("I27", "84.17"),
    ("E6", "84.75"),
    ("I8", "84.93"),
]


def oie_items(absent: tuple[str, ...] = ("O9",)) -> dict[str, bool]:
    """Answer all 43 OIT items: OIE had 8 of 9 in 9.1 (O9 stands in for the missing one)."""
    return {code: code not in absent for code in codes("O", 1, 43)}


def oie_result() -> Result:
    return compute(SPEC, Given(indicator_scores=dict(OIE_INDICATORS)))


UP_ROWS = up2563_units()


def up_given(row: dict[str, str]) -> Given:
    return Given(indicator_scores={n: D(row[f"ind{n}"]) for n in range(1, 11)})


def grade_rank(grade: str) -> Decimal:
    return next(band.lower for band in BANDS if band.grade == grade)


# --- round2 and mean ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.125", "0.13"),  # ROUND_HALF_EVEN would give 0.12
        ("0.135", "0.14"),
        ("2.675", "2.68"),
        ("1.005", "1.01"),
        ("91.4982", "91.50"),
        ("83.814", "83.81"),
        ("94.995", "95.00"),
        ("94.9949999", "94.99"),
        ("-0.125", "-0.13"),
        ("100", "100.00"),
        ("0", "0.00"),
    ],
)
def test_it_rounds_half_up_to_cents(value: str, expected: str) -> None:
    assert str(round2(D(value))) == expected


def test_it_keeps_the_public_constants() -> None:
    assert D("0.01") == CENT
    assert D("0.01") == TOLERANCE


def test_it_takes_the_unrounded_mean() -> None:
    assert mean([D("90.08"), D("84.02"), D("80.81"), D("80.75"), D("83.41")]) == D("83.814")
    assert mean([D("94.79"), D("88.92"), D("84.27")]) == D("267.98") / 3


def test_it_takes_the_mean_of_any_iterable() -> None:
    assert mean(D(n) for n in (1, 2)) == D("1.5")
    assert mean([D("42.42")]) == D("42.42")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([100, 70, 40, 0, 0, 0], "35.00"),
        ([100, 70, 40], "70.00"),
        ([1, 0, 0], "0.33"),
        ([2, 0, 0], "0.67"),  # 0.666... half up
        ([D("0.125")], "0.13"),
        ([], "0.00"),
    ],
)
def test_it_takes_the_mean_as_shown(values: list, expected: str) -> None:
    assert str(rounded_mean(values)) == expected


def test_it_has_no_mean_of_nothing() -> None:
    assert mean([]) is None


def test_it_ignores_a_narrow_caller_decimal_context() -> None:
    from decimal import localcontext

    with localcontext(prec=3):
        assert mean([D("90.08"), D("84.02")]) == D("87.05")
        assert round2(oie_result().total.value) == D("91.50")


# --- Grades ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "AA"),
        ("95", "AA"),
        ("95.00", "AA"),
        ("94.995", "AA"),  # shown as 95.00
        ("94.9949", "A"),
        ("94.99", "A"),
        ("91.4982", "A"),
        ("85", "A"),
        ("84.995", "A"),
        ("84.99", "B"),
        ("75", "B"),
        ("74.99", "C"),
        ("65", "C"),
        ("64.99", "D"),
        ("55", "D"),
        ("54.99", "E"),
        ("50", "E"),
        ("49.995", "E"),
        ("49.99", "F"),
        ("0", "F"),
    ],
)
def test_it_grades_by_the_rounded_total(total: str, grade: str) -> None:
    assert grade_for(D(total), BANDS) == grade


def test_it_grades_with_bands_in_any_order() -> None:
    shuffled = (BANDS[3], BANDS[6], BANDS[0], BANDS[5], BANDS[1], BANDS[4], BANDS[2])
    assert grade_for(D("91.50"), shuffled) == "A"
    assert grade_for(D("49.99"), tuple(reversed(BANDS))) == "F"
    assert next_band(D("91.50"), shuffled) == GradeBand("AA", D("95"))


def test_it_refuses_a_total_below_every_band() -> None:
    with pytest.raises(ValueError, match="below the lowest grade band"):
        grade_for(D("10"), (GradeBand("P", D("50")), GradeBand("PP", D("80"))))


def test_it_refuses_a_version_without_bands() -> None:
    with pytest.raises(ValueError, match="at least one grade band"):
        grade_for(D("10"), ())


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        ("91.50", ("AA", "95")),
        ("84.99", ("A", "85")),
        ("84.995", ("AA", "95")),
        ("49.995", ("D", "55")),
        ("0", ("E", "50")),
        ("94.995", None),
        ("95", None),
        ("100", None),
    ],
)
def test_it_finds_the_band_just_above(total: str, expected: tuple[str, str] | None) -> None:
    band = next_band(D(total), BANDS)
    if expected is None:
        assert band is None
    else:
        assert band == GradeBand(expected[0], D(expected[1]))


# --- compute: the OIE 2563 figures ----------------------------------------------------------------


def test_it_reproduces_oie_2563_from_the_indicators() -> None:
    result = oie_result()

    assert result.instruments["IIT"].value == D("83.814")
    assert {code: fig.display for code, fig in result.instruments.items()} == {
        "IIT": D("83.81"),
        "EIT": D("89.33"),
        "OIT": D("98.89"),
    }
    assert {code: round2(term) for code, term in result.weighted.items()} == {
        "IIT": D("25.14"),
        "EIT": D("26.80"),
        "OIT": D("39.56"),
    }
    assert result.total == Figure(value=D("91.4982"), reported=None, source="computed")
    assert result.total.display == D("91.50")
    assert result.grade == "A"
    assert result.complete is True
    assert result.discrepancies == ()


def test_it_marks_where_each_oie_figure_came_from() -> None:
    result = oie_result()

    assert all(fig.source == "reported" for fig in result.indicators.values())
    assert result.indicators[4] == Figure(value=D("80.75"), reported=D("80.75"), source="reported")
    assert all(fig.source == "computed" for fig in result.instruments.values())
    assert all(fig.source == "missing" for fig in result.sub_indicators.values())
    assert list(result.sub_indicators) == ["9.1", "9.2", "9.3", "9.4", "9.5", "10.1", "10.2"]
    assert list(result.indicators) == list(range(1, 11))
    assert list(result.instruments) == ["IIT", "EIT", "OIT"]


def test_it_keeps_full_precision_in_the_weighted_terms() -> None:
    result = oie_result()

    assert result.weighted == {
        "IIT": D("0.30") * D("83.814"),
        "EIT": D("0.30") * (D("267.98") / 3),
        "OIT": D("0.40") * D("98.89"),
    }
    assert sum(result.weighted.values()) == result.total.value


def test_it_computes_indicator_9_from_the_oit_items() -> None:
    result = compute(SPEC, Given(item_answers=oie_items()))

    assert result.sub_indicators["9.1"].display == D("88.89")
    assert result.sub_indicators["9.1"].value == D(800) / 9
    for key in ("9.2", "9.3", "9.4", "9.5", "10.1", "10.2"):
        assert result.sub_indicators[key].value == D(100)
    assert result.indicators[9].source == "computed"
    assert result.indicators[9].display == D("97.78")
    assert result.indicators[10].display == D("100.00")
    assert result.instruments["OIT"].display == D("98.89")


def test_it_computes_indicator_9_from_reported_sub_indicators() -> None:
    reported = {"9.1": D("88.89"), "9.2": D(100), "9.3": D(100), "9.4": D(100), "9.5": D(100)}
    result = compute(SPEC, Given(sub_indicator_scores=reported))

    assert result.sub_indicators["9.1"].source == "reported"
    assert result.indicators[9] == Figure(value=D("97.778"), reported=None, source="computed")
    assert result.indicators[9].display == D("97.78")
    assert result.indicators[10].source == "missing"
    assert result.instruments["OIT"].source == "missing"


def test_it_reaches_91_50_from_items_and_indicators_together() -> None:
    indicators = {n: score for n, score in OIE_INDICATORS.items() if n not in (9, 10)}
    result = compute(SPEC, Given(item_answers=oie_items(), indicator_scores=indicators))

    # Indicator 9 is 97.777..., not 97.78, all the way up; the total still shows 91.50.
    assert (
        result.total.value
        == D("0.30") * D("83.814")
        + D("0.30") * (D("267.98") / 3)
        + D("0.40") * ((D(800) / 9 + 400) / 5 + 100) / 2
    )
    assert result.total.display == D("91.50")
    assert result.grade == "A"


def test_it_lists_the_22_weak_questions_of_oie_2563() -> None:
    scores = {code: D(score) for code, score in OIE_WEAK}
    weak = weak_questions(scores, SPEC.pass_mark)

    assert weak == [(code, D(score)) for code, score in OIE_WEAK]
    assert len(weak) == 22
    assert sum(code.startswith("I") for code, _ in weak) == 18
    assert sum(code.startswith("E") for code, _ in weak) == 4
    assert weak[0] == ("I14", D("66.02"))
    assert weak[-1] == ("I8", D("84.93"))


def test_it_lists_weak_questions_lowest_first_whatever_the_input_order() -> None:
    scores = {code: D(score) for code, score in reversed(OIE_WEAK)}
    assert [code for code, _ in weak_questions(scores, D("85"))] == [code for code, _ in OIE_WEAK]


def test_it_counts_a_question_at_the_pass_mark_as_passing() -> None:
    scores = {"I1": D("85.00"), "I2": D("84.99"), "I3": D("99.37"), "E1": D("100")}
    assert weak_questions(scores, D("85")) == [("I2", D("84.99"))]


def test_it_breaks_weak_question_ties_in_natural_code_order() -> None:
    scores = {"I10": D("80"), "I2": D("80"), "E10": D("80"), "E6": D("80"), "I1": D("79")}
    assert [code for code, _ in weak_questions(scores, D("85"))] == [
        "I1",
        "E6",
        "E10",
        "I2",
        "I10",
    ]


def test_it_finds_no_weak_questions_in_nothing() -> None:
    assert weak_questions({}, D("85")) == []


# --- compute: the seed's contradictions -----------------------------------------------------------


def test_it_flags_the_seeds_contradicting_figures() -> None:
    # Table 2's I13, I14, I15, I18; I16 and I17 are invented for the test so the six average 80.81.
    indicator_3 = {
        "I13": D("77.96"),
        "I14": D("66.02"),
        "I15": D("72.04"),
        "I16": D("95.95"),
        "I17": D("96.00"),
        "I18": D("76.89"),
    }
    reported = dict(OIE_INDICATORS) | {3: D("76.41"), 9: D("87.78")}
    result = compute(
        SPEC,
        Given(
            question_scores=indicator_3,
            item_answers=oie_items(),
            indicator_scores=reported,
            instrument_scores={"OIT": D("88.88")},
            total=D("91.50"),
            grade="A",
        ),
    )

    assert result.discrepancies == (
        Discrepancy("indicator", "3", D("80.81"), D("76.41"), D("4.40")),
        Discrepancy("indicator", "9", D("97.78"), D("87.78"), D("10.00")),
        Discrepancy("instrument", "OIT", D("98.89"), D("88.88"), D("10.01")),
    )
    # The reported figures stay beside the computed ones; the computed ones go upward.
    assert result.indicators[3] == Figure(value=D("80.81"), reported=D("76.41"), source="computed")
    assert result.indicators[3].mismatch is True
    assert result.indicators[9].reported == D("87.78")
    assert result.instruments["OIT"].reported == D("88.88")
    assert result.instruments["OIT"].display == D("98.89")
    assert result.total.source == "computed"
    assert result.total.reported == D("91.50")
    assert result.total.mismatch is False
    assert result.grade == "A"


@pytest.mark.parametrize(
    ("reported", "flagged"),
    [
        ("80.81", False),
        ("80.80", False),
        ("80.82", False),
        ("80.79", True),
        ("80.83", True),
        ("76.41", True),
    ],
)
def test_it_tolerates_one_cent_of_difference(reported: str, flagged: bool) -> None:
    scores = dict(zip(codes("I", 13, 18), ("80.81",) * 6, strict=True))
    given = Given(
        question_scores={code: D(score) for code, score in scores.items()},
        indicator_scores={3: D(reported)},
    )
    result = compute(SPEC, given)

    assert result.indicators[3].mismatch is flagged
    assert bool(result.discrepancies) is flagged


def test_it_compares_the_rounded_computed_value() -> None:
    # 80.805 is shown as 80.81: one cent from 80.80 (tolerated), two from 80.79 (flagged).
    scores = {code: D("80.805") for code in codes("I", 13, 18)}
    tolerated = compute(SPEC, Given(question_scores=scores, indicator_scores={3: D("80.80")}))
    flagged = compute(SPEC, Given(question_scores=scores, indicator_scores={3: D("80.79")}))

    assert tolerated.discrepancies == ()
    assert flagged.discrepancies == (
        Discrepancy("indicator", "3", D("80.81"), D("80.79"), D("0.02")),
    )


def test_it_flags_a_reported_sub_indicator_against_the_items() -> None:
    given = Given(item_answers=oie_items(), sub_indicator_scores={"9.1": D("77.78")})
    result = compute(SPEC, given)

    assert result.discrepancies == (
        Discrepancy("sub_indicator", "9.1", D("88.89"), D("77.78"), D("11.11")),
    )
    assert result.sub_indicators["9.1"].value == D(800) / 9


def test_it_flags_a_reported_total_against_the_computed_one() -> None:
    result = compute(SPEC, Given(indicator_scores=dict(OIE_INDICATORS), total=D("91.60")))

    assert result.discrepancies == (
        Discrepancy("total", "total", D("91.50"), D("91.60"), D("-0.10")),
    )
    assert result.total.value == D("91.4982")
    assert result.total.reported == D("91.60")


@pytest.mark.parametrize(("reported", "flagged"), [("A", False), (" A ", False), ("AA", True)])
def test_it_flags_a_reported_grade_that_disagrees(reported: str, flagged: bool) -> None:
    result = compute(SPEC, Given(indicator_scores=dict(OIE_INDICATORS), grade=reported))

    expected = (Discrepancy("grade", "grade", "A", reported, None),) if flagged else ()
    assert result.discrepancies == expected
    assert result.grade == "A"


def test_it_flags_a_reported_grade_that_contradicts_a_reported_total() -> None:
    result = compute(SPEC, Given(total=D("84.99"), grade="A"))

    assert result.grade == "B"
    assert result.discrepancies == (Discrepancy("grade", "grade", "B", "A", None),)


def test_it_lists_discrepancies_from_the_bottom_level_up() -> None:
    given = Given(
        item_answers=oie_items(),
        sub_indicator_scores={"10.2": D("50")},
        indicator_scores=dict(OIE_INDICATORS) | {10: D("75")},
        instrument_scores={"IIT": D("80")},
        total=D("90"),
        grade="B",
    )
    result = compute(SPEC, given)

    assert [(d.level, d.key) for d in result.discrepancies] == [
        ("sub_indicator", "10.2"),
        ("indicator", "10"),
        ("instrument", "IIT"),
        ("total", "total"),
        ("grade", "grade"),
    ]


# --- compute: the official figure and rounding notes ---------------------------------------------


@pytest.mark.parametrize(
    ("difference", "kind"),
    [
        (None, None),
        ("0", "agrees"),
        ("0.00", "agrees"),
        ("-0.00", "agrees"),
        ("0.01", "rounding"),
        ("-0.01", "rounding"),
        ("0.005", "rounding"),
        ("-0.0001", "rounding"),
        ("0.0100", "rounding"),
        ("0.0101", "differs"),
        ("0.02", "differs"),
        ("-0.02", "differs"),
        ("0.35", "differs"),
        ("-10.01", "differs"),
    ],
)
def test_it_classifies_a_difference(difference: str | None, kind: str | None) -> None:
    assert agreement(None if difference is None else D(difference)) == kind


@pytest.mark.parametrize(
    ("reported", "kind", "noted", "flagged"),
    [
        ("80.81", "agrees", False, False),
        ("80.80", "rounding", True, False),
        ("80.82", "rounding", True, False),
        ("80.79", "differs", False, True),
        ("80.83", "differs", False, True),
    ],
)
def test_it_notes_one_cent_as_rounding_and_more_as_an_error(
    reported: str, kind: str, noted: bool, flagged: bool
) -> None:
    scores = dict.fromkeys(codes("I", 13, 18), D("80.81"))
    result = compute(SPEC, Given(question_scores=scores, indicator_scores={3: D(reported)}))

    assert result.indicators[3].agreement == kind
    assert bool(result.rounding_notes) is noted
    assert bool(result.discrepancies) is flagged
    if noted:
        assert result.rounding_notes == (
            Discrepancy(
                "indicator", "3", D("80.81"), D(reported), D("80.81") - D(reported), "rounding"
            ),
        )


def test_it_notes_a_total_computed_from_rounded_instruments_one_cent_off() -> None:
    # 0.3 * 83.81 + 0.3 * 89.33 + 0.4 * 98.89 = 91.498 -> 91.50; published 91.49 is rounding.
    instruments = {"IIT": D("83.81"), "EIT": D("89.33"), "OIT": D("98.89")}
    result = compute(SPEC, Given(instrument_scores=instruments, total=D("91.49"), grade="A"))

    assert result.discrepancies == ()
    assert result.rounding_notes == (
        Discrepancy("total", "total", D("91.50"), D("91.49"), D("0.01"), "rounding"),
    )
    assert result.total.official == D("91.49")


def test_it_lists_rounding_notes_from_the_bottom_level_up() -> None:
    given = Given(
        item_answers=oie_items(),
        sub_indicator_scores={"9.1": D("88.88")},
        indicator_scores=dict(OIE_INDICATORS) | {9: D("97.77")},
        total=D("91.51"),
    )
    result = compute(SPEC, given)

    assert [(n.level, n.key) for n in result.rounding_notes] == [
        ("sub_indicator", "9.1"),
        ("indicator", "9"),
        ("total", "total"),
    ]
    assert result.discrepancies == ()


def test_it_makes_the_published_total_and_grade_the_official_ones() -> None:
    # The case: NACC announced 92.36 while the scores give 92.71.
    instruments = {"IIT": D("85.70"), "EIT": D("90.00"), "OIT": D("100")}
    result = compute(SPEC, Given(instrument_scores=instruments, total=D("92.36"), grade="A"))

    assert (result.total.display, result.total.official) == (D("92.71"), D("92.36"))
    assert (result.grade, result.official_grade) == ("A", "A")
    assert result.total.agreement == "differs"
    assert result.discrepancies == (
        Discrepancy("total", "total", D("92.71"), D("92.36"), D("0.35")),
    )


@pytest.mark.parametrize(
    ("total", "grade", "official_total", "official_grade"),
    [
        (None, None, "91.50", "A"),  # nothing published: the computed figures
        ("92.36", None, "92.36", "A"),  # a published total alone: its grade
        ("94.99", None, "94.99", "A"),
        (None, "AA", "91.50", "AA"),  # a published grade stands even against the scores
        ("92.36", " B ", "92.36", "B"),
    ],
)
def test_it_takes_each_official_figure_where_it_was_published(
    total: str | None, grade: str | None, official_total: str, official_grade: str
) -> None:
    given = Given(
        indicator_scores=dict(OIE_INDICATORS),
        total=None if total is None else D(total),
        grade=grade,
    )
    result = compute(SPEC, given)

    assert result.total.official == D(official_total)
    assert result.official_grade == official_grade
    assert result.grade == "A"  # the computed total's grade


def test_it_has_no_official_figure_without_any() -> None:
    result = compute(SPEC, Given())

    assert result.total.official is None
    assert result.official_grade is None
    assert result.rounding_notes == ()


# --- compute: partial and missing data ------------------------------------------------------------


def test_it_computes_an_indicator_from_all_its_questions() -> None:
    scores = dict(zip(codes("I", 1, 6), map(D, ("90", "91", "92", "93", "94", "95")), strict=True))
    result = compute(SPEC, Given(question_scores=scores))

    assert result.indicators[1] == Figure(value=D("92.5"), reported=None, source="computed")
    assert result.indicators[2].source == "missing"
    assert result.instruments["IIT"].source == "missing"


def test_it_falls_back_to_the_reported_indicator_on_partial_questions() -> None:
    scores = {code: D("50") for code in codes("I", 1, 5)}  # I6 unknown
    result = compute(SPEC, Given(question_scores=scores, indicator_scores={1: D("90.08")}))

    assert result.indicators[1] == Figure(value=D("90.08"), reported=D("90.08"), source="reported")
    assert result.discrepancies == ()


def test_it_leaves_an_indicator_missing_on_partial_questions_alone() -> None:
    scores = {code: D(s) for code, s in OIE_WEAK if code.startswith("I")}
    result = compute(SPEC, Given(question_scores=scores))

    assert all(fig.source == "missing" for fig in result.indicators.values())
    assert result.total == Figure(value=None, reported=None, source="missing")


def test_it_falls_back_to_the_reported_sub_indicator_on_partial_items() -> None:
    answers = dict.fromkeys(codes("O", 1, 8), True)  # O9 unanswered
    result = compute(SPEC, Given(item_answers=answers, sub_indicator_scores={"9.1": D("88.89")}))

    assert result.sub_indicators["9.1"] == Figure(D("88.89"), D("88.89"), "reported")


def test_it_leaves_a_sub_indicator_missing_on_partial_items_alone() -> None:
    answers = oie_items()
    del answers["O43"]
    result = compute(SPEC, Given(item_answers=answers))

    assert result.sub_indicators["10.2"].source == "missing"
    assert result.sub_indicators["10.1"].value == D(100)
    assert result.indicators[10].source == "missing"
    assert result.indicators[9].source == "computed"
    assert result.instruments["OIT"].source == "missing"


def test_it_scores_absent_items_as_zero() -> None:
    result = compute(SPEC, Given(item_answers=oie_items(absent=codes("O", 1, 43))))

    assert all(fig.value == 0 for fig in result.sub_indicators.values())
    assert result.instruments["OIT"].value == 0


def test_it_falls_back_to_the_reported_instrument() -> None:
    given = Given(indicator_scores={1: D("90")}, instrument_scores={"IIT": D("83.81")})
    result = compute(SPEC, given)

    assert result.instruments["IIT"] == Figure(D("83.81"), D("83.81"), "reported")
    assert result.weighted["IIT"] == D("0.30") * D("83.81")
    assert result.weighted["EIT"] is None


def test_it_computes_the_total_from_reported_instruments() -> None:
    given = Given(instrument_scores={"IIT": D("83.81"), "EIT": D("89.33"), "OIT": D("98.89")})
    result = compute(SPEC, given)

    assert result.total == Figure(D("91.498"), None, "computed")
    assert result.complete is True
    assert result.grade == "A"


def test_it_falls_back_to_the_reported_total_when_an_instrument_is_missing() -> None:
    given = Given(
        instrument_scores={"IIT": D("83.81"), "EIT": D("89.33")}, total=D("91.50"), grade="A"
    )
    result = compute(SPEC, given)

    assert result.total == Figure(D("91.50"), D("91.50"), "reported")
    assert result.grade == "A"
    assert result.complete is False
    assert result.weighted["OIT"] is None
    assert result.discrepancies == ()


def test_it_grades_a_reported_total_on_its_own() -> None:
    result = compute(SPEC, Given(total=D("94.995")))

    assert result.total.source == "reported"
    assert result.grade == "AA"
    assert result.complete is False


def test_it_returns_missing_figures_for_an_empty_assessment() -> None:
    result = compute(SPEC, Given(grade="A"))

    missing = Figure(value=None, reported=None, source="missing")
    assert set(result.sub_indicators.values()) == {missing}
    assert set(result.indicators.values()) == {missing}
    assert set(result.instruments.values()) == {missing}
    assert result.weighted == {"IIT": None, "EIT": None, "OIT": None}
    assert result.total == missing
    assert result.total.display is None
    assert result.grade is None
    assert result.complete is False
    assert result.discrepancies == ()


def test_it_rounds_only_at_the_end() -> None:
    # IIT 80.006, EIT 80.00333..., OIT 80.005: rounding them first would give 80.007 -> 80.01.
    given = Given(
        indicator_scores={
            1: D("80.01"),
            2: D("80.01"),
            3: D("80.01"),
            4: D("80.00"),
            5: D("80.00"),
            6: D("80.01"),
            7: D("80.00"),
            8: D("80.00"),
            9: D("80.01"),
            10: D("80.00"),
        }
    )
    result = compute(SPEC, given)

    assert result.instruments["IIT"].value == D("80.006")
    assert result.instruments["OIT"].value == D("80.005")
    assert result.total.value == D("80.0048")
    assert result.total.display == D("80.00")


@pytest.mark.parametrize(
    ("given", "unknown"),
    [
        (Given(question_scores={"I31": D("1")}), "question I31"),
        (Given(item_answers={"O44": True}), "item O44"),
        (Given(sub_indicator_scores={"9.6": D("1")}), "sub-indicator 9.6"),
        (Given(indicator_scores={11: D("1")}), "indicator 11"),
        (Given(instrument_scores={"XIT": D("1")}), "instrument XIT"),
    ],
)
def test_it_refuses_keys_outside_the_version(given: Given, unknown: str) -> None:
    with pytest.raises(ValueError, match=unknown):
        compute(SPEC, given)


def test_it_gives_each_given_its_own_dicts() -> None:
    first, second = Given(), Given()
    first.question_scores["I1"] = D("1")
    assert second.question_scores == {}


def test_it_reads_a_version_built_from_any_structure() -> None:
    # A later year might score OIT as one flat list of items under a single indicator.
    spec = VersionSpec(
        instruments=(
            InstrumentSpec("IIT", D("0.5"), (IndicatorSpec(1, questions=("Q1", "Q2")),)),
            InstrumentSpec(
                "OIT",
                D("0.5"),
                (IndicatorSpec(2, sub_indicators=(SubIndicatorSpec("2", ("X", "Y")),)),),
            ),
        ),
        grade_bands=(GradeBand("Pass", D("60")), GradeBand("Fail", D("0"))),
        pass_mark=D("60"),
    )
    result = compute(
        spec,
        Given(question_scores={"Q1": D("40"), "Q2": D("60")}, item_answers={"X": True, "Y": False}),
    )

    assert result.total.value == D("50")
    assert result.grade == "Fail"
    assert question_weight(spec, "Q1") == D("0.25")
    assert question_weight(spec, "X") == D("25")


# --- compute: University of Phayao ITA 2563, all 39 units -----------------------------------------


def test_it_reads_all_39_units() -> None:
    assert len(UP_ROWS) == 39


@pytest.mark.parametrize("row", UP_ROWS, ids=[row["unit_id"] for row in UP_ROWS])
def test_it_reproduces_the_published_up2563_total_and_grade(row: dict[str, str]) -> None:
    result = compute(SPEC, up_given(row))

    assert result.total.display == D(row["total"])
    assert result.grade == row["grade"]


@pytest.mark.parametrize("row", UP_ROWS, ids=[row["unit_id"] for row in UP_ROWS])
def test_it_agrees_with_the_published_up2563_figures(row: dict[str, str]) -> None:
    given = up_given(row)
    given.total, given.grade = D(row["total"]), row["grade"]

    assert compute(SPEC, given).discrepancies == ()


# --- Sample size ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "required"),
    [
        (0, 0),
        (1, 1),
        (29, 29),
        (30, 30),
        (130, 30),
        (203, 30),
        (300, 30),
        (301, 31),
        (999, 100),
        (1000, 100),
        (1001, 100),
        (5000, 100),
    ],
)
def test_it_requires_the_nacc_sample(population: int, required: int) -> None:
    assert required_sample(population) == required


def test_it_refuses_a_negative_population() -> None:
    with pytest.raises(ValueError, match="negative"):
        required_sample(-1)


@pytest.mark.parametrize(
    ("respondents", "population", "expected"),
    [
        (35, 130, SampleStatus(30, 35, 130, True, 0)),  # OIE 2563 IIT
        (38, 203, SampleStatus(30, 38, 203, True, 0)),  # OIE 2563 EIT
        (20, 130, SampleStatus(30, 20, 130, False, 10)),
        (30, 130, SampleStatus(30, 30, 130, True, 0)),
        (29, 29, SampleStatus(29, 29, 29, True, 0)),
        (28, 29, SampleStatus(29, 28, 29, False, 1)),
        (99, 5000, SampleStatus(100, 99, 5000, False, 1)),
        (None, 130, SampleStatus(30, None, 130, None, 0)),
        (35, None, SampleStatus(None, 35, None, None, 0)),
        (None, None, SampleStatus(None, None, None, None, 0)),
    ],
)
def test_it_judges_the_sample(
    respondents: int | None, population: int | None, expected: SampleStatus
) -> None:
    assert sample_status(respondents, population) == expected


# --- Question weights -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "weight"),
    [
        ("I1", D("0.01")),
        ("I14", D("0.01")),
        ("I30", D("0.01")),
        ("E1", D("0.02")),
        ("E14", D("0.02")),
        ("O1", D(40) / 90),  # 0.40 / 2 indicators / 5 sub-indicators / 9 items * 100
        ("O25", D("0.40") / 2 / 5 / 4 * 100),
        ("O34", D("1.25")),  # 0.40 / 2 / 2 / 8 * 100
        ("O42", D("5")),  # 0.40 / 2 / 2 / 2 * 100
    ],
)
def test_it_weighs_a_question_on_the_total(code: str, weight: Decimal) -> None:
    assert question_weight(SPEC, code) == weight


def test_it_weighs_iit_and_eit_questions_to_the_instrument_weights() -> None:
    iit = sum(question_weight(SPEC, code) for code in codes("I", 1, 30))
    eit = sum(question_weight(SPEC, code) for code in codes("E", 1, 15))
    assert (iit, eit) == (D("0.30"), D("0.30"))


@pytest.mark.parametrize("code", ["I31", "E16", "O44", "X1", ""])
def test_it_refuses_an_unknown_question(code: str) -> None:
    with pytest.raises(KeyError):
        question_weight(SPEC, code)


# --- Gaps to the next grade -----------------------------------------------------------------------


def test_it_measures_oie_2563_gap_to_aa() -> None:
    # 94.995 - 91.4982 = 3.4968 on the total; IIT needs 3.4968 / 0.30 = 11.656 -> 11.66.
    # EIT would need 89.33 + 11.66 and OIT 98.89 + 8.75 (3.4968 / 0.40 = 8.742), both past 100.
    assert gaps_to_grades(SPEC, oie_result()) == [
        Gap("AA", D("3.50"), {"IIT": D("11.66"), "EIT": None, "OIT": None}),
    ]


def test_it_makes_oie_aa_with_exactly_the_iit_gap() -> None:
    result = oie_result()
    values = {code: fig.value for code, fig in result.instruments.items()}

    def grade_with_iit_raised(rise: str) -> str | None:
        raised = values | {"IIT": values["IIT"] + D(rise)}
        return compute(SPEC, Given(instrument_scores=raised)).grade

    assert grade_with_iit_raised("11.66") == "AA"  # total 94.9962 -> 95.00
    assert grade_with_iit_raised("11.65") == "A"  # total 94.9932 -> 94.99


def test_it_measures_gaps_to_the_next_grade_and_to_the_top() -> None:
    row = next(row for row in UP_ROWS if row["unit_id"] == "54")  # total 82.1082, grade B
    result = compute(SPEC, up_given(row))

    # To A: 84.995 - 82.1082 = 2.8868 -> IIT, EIT 9.6227 -> 9.63, OIT 7.217 -> 7.22.
    # To AA: 12.8868 -> IIT 42.96 (85.21 + 42.96), EIT 42.96, OIT 32.22 (80.15 + 32.22): all > 100.
    assert gaps_to_grades(SPEC, result) == [
        Gap("A", D("2.89"), {"IIT": D("9.63"), "EIT": D("9.63"), "OIT": D("7.22")}),
        Gap("AA", D("12.89"), {"IIT": None, "EIT": None, "OIT": None}),
    ]


@pytest.mark.parametrize("row", UP_ROWS, ids=[row["unit_id"] for row in UP_ROWS])
def test_it_gives_the_smallest_sufficient_rises(row: dict[str, str]) -> None:
    result = compute(SPEC, up_given(row))
    total = result.total.value
    values = {code: fig.value for code, fig in result.instruments.items()}

    def reaches(target: str, values: dict[str, Decimal]) -> bool:
        grade = compute(SPEC, Given(instrument_scores=values)).grade
        return grade_rank(grade) >= grade_rank(target)

    for gap in gaps_to_grades(SPEC, result):
        needed = gap.points_needed_on_total
        assert grade_rank(grade_for(total + needed, BANDS)) >= grade_rank(gap.target)
        assert grade_rank(grade_for(total + needed - CENT, BANDS)) < grade_rank(gap.target)
        for code, rise in gap.per_instrument.items():
            if rise is None:
                assert not reaches(gap.target, values | {code: D(100)})
                continue
            assert values[code] + rise <= 100
            assert reaches(gap.target, values | {code: values[code] + rise})
            assert not reaches(gap.target, values | {code: values[code] + rise - CENT})


def test_it_has_no_gaps_at_the_top_grade() -> None:
    assert gaps_to_grades(SPEC, compute(SPEC, Given(total=D("94.995")))) == []
    assert gaps_to_grades(SPEC, compute(SPEC, Given(total=D("100")))) == []


def test_it_has_no_gaps_without_a_total() -> None:
    assert gaps_to_grades(SPEC, compute(SPEC, Given())) == []


def test_it_leaves_an_unknown_instrument_out_of_the_gaps() -> None:
    result = compute(SPEC, Given(instrument_scores={"IIT": D("60")}, total=D("84.99")))

    assert gaps_to_grades(SPEC, result) == [
        Gap("A", D("0.01"), {"IIT": D("0.02"), "EIT": None, "OIT": None}),
        Gap("AA", D("10.01"), {"IIT": D("33.35"), "EIT": None, "OIT": None}),
    ]


@pytest.mark.parametrize(
    ("code", "current", "target", "rise"),
    [
        # OIE's indicator 3 (I13-I18) is 80.81: a point on one of its six questions adds 1/6.
        ("I14", "66.02", "85", "25.11"),  # (84.995 - 80.81) * 6 = 25.11 -> 84.995, shown 85.00
        ("I14", "66.02", "84.995", "25.11"),  # a target between cents means the cent above
        ("I14", "66.02", "85.01", "25.17"),
        ("I15", "72.04", "85", "25.11"),
        ("I14", "66.02", "80.81", "0.00"),
        ("I14", "66.02", "80", "0.00"),
        ("I14", "80.00", "85", None),  # 105.11: past 100
        ("I14", "80.00", "100", None),  # needs 115.11: past 100
        ("I14", "74.89", "85", "25.11"),  # 74.89 + 25.11 = 100.00: just within reach
        ("I14", "74.90", "85", None),
        # Indicator 8 (E11-E15, five questions) is 84.27.
        ("E14", "74.66", "85", "3.63"),  # (84.995 - 84.27) * 5 = 3.625 -> 3.63
        ("E6", "84.75", "85", "0.00"),  # indicator 7 (E6-E10) is 88.92
    ],
)
def test_it_measures_how_far_one_question_must_rise_for_its_indicator(
    code: str, current: str, target: str, rise: str | None
) -> None:
    expected = None if rise is None else D(rise)
    assert indicator_gap(SPEC, oie_result(), code, D(current), D(target)) == expected


def test_it_lifts_the_indicator_with_exactly_the_indicator_gap() -> None:
    others = {code: D("84") for code in codes("I", 13, 18) if code != "I14"}

    def indicator_3(i14: Decimal) -> scoring.Figure:
        return compute(SPEC, Given(question_scores=others | {"I14": i14})).indicators[3]

    start = D("60")
    assert indicator_3(start).display == D("80.00")
    rise = indicator_gap(
        SPEC, compute(SPEC, Given(question_scores=others | {"I14": start})), "I14", start, D("85")
    )
    assert rise == D("29.97")  # (84.995 - 80) * 6
    assert indicator_3(start + rise).display == D("85.00")
    assert indicator_3(start + rise - CENT).display == D("84.99")


def test_it_has_no_indicator_gap_without_an_indicator_score() -> None:
    assert indicator_gap(SPEC, compute(SPEC, Given()), "I14", D("66.02"), D("85")) is None


@pytest.mark.parametrize("code", ["I99", "O9"])
def test_it_refuses_an_indicator_gap_for_a_code_outside_the_questions(code: str) -> None:
    with pytest.raises(KeyError):
        indicator_gap(SPEC, oie_result(), code, D("50"), D("85"))

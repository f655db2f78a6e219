"""Property-based tests of the scoring engine's invariants (Hypothesis): for any scores and bands.

The example-based tests in test_scoring.py pin the seed's figures; these check that the rules
hold everywhere: grades never fall as the total rises, every gap is the smallest rise that
reaches its threshold, rounding is half up to cents, and the weighted total is the weighted sum.
"""

from decimal import ROUND_FLOOR, Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from assessments.scoring import (
    CENT,
    TOLERANCE,
    Given,
    GradeBand,
    agreement,
    compute,
    gaps_to_grades,
    grade_for,
    indicator_gap,
    next_band,
    round2,
)
from tests.assessments.test_scoring import SPEC, codes

D = Decimal
HUNDRED = D(100)


def cents(low: int = 0, high: int = 10000) -> st.SearchStrategy[Decimal]:
    """Scores with two decimals between low / 100 and high / 100."""
    return st.integers(low, high).map(lambda n: D(n) / 100)


def fine(places: int = 6) -> st.SearchStrategy[Decimal]:
    """Unrounded values between 0 and 100 with up to `places` decimals."""
    return st.integers(0, 100 * 10**places).map(lambda n: D(n).scaleb(-places))


@st.composite
def band_sets(draw) -> tuple[GradeBand, ...]:
    """Grade bands with distinct lower bounds, one of them 0, in no particular order."""
    lowers = draw(st.sets(st.integers(1, 9999), max_size=8))
    grades = [f"G{i}" for i in range(len(lowers) + 1)]
    bands = [
        GradeBand(grade, D(lower) / 100) for grade, lower in zip(grades, [0, *lowers], strict=True)
    ]
    return tuple(draw(st.permutations(bands)))


def rank(grade: str, bands) -> Decimal:
    return next(band.lower for band in bands if band.grade == grade)


# --- Grades ---------------------------------------------------------------------------------------


@given(bands=band_sets(), low=fine(), high=fine())
def test_grades_never_fall_as_the_total_rises(bands, low, high) -> None:
    low, high = min(low, high), max(low, high)
    assert rank(grade_for(low, bands), bands) <= rank(grade_for(high, bands), bands)


@given(bands=band_sets(), total=fine())
def test_the_grade_is_the_highest_band_the_shown_total_reaches(bands, total) -> None:
    grade = grade_for(total, bands)
    assert rank(grade, bands) <= round2(total)
    following = next_band(total, bands)
    assert following is None or following.lower > round2(total)


# --- Rounding -------------------------------------------------------------------------------------


@given(value=st.integers(-(10**9), 10**9).map(lambda n: D(n).scaleb(-5)))
def test_it_rounds_half_up_to_the_nearest_cent(value) -> None:
    shown = round2(value)
    assert shown.as_tuple().exponent == -2
    assert abs(shown - value) <= CENT / 2
    # Half up, away from zero: the same as flooring |value| + half a cent.
    magnitude = (abs(value) + CENT / 2).quantize(CENT, rounding=ROUND_FLOOR)
    assert shown == (magnitude if value >= 0 else -magnitude)
    assert round2(shown) == shown


@given(difference=st.integers(-300, 300).map(lambda n: D(n).scaleb(-3)))
def test_one_cent_either_way_is_rounding_and_more_an_error(difference) -> None:
    kind = agreement(difference)
    if difference == 0:
        assert kind == "agrees"
    elif abs(difference) <= TOLERANCE:
        assert kind == "rounding"
    else:
        assert kind == "differs"


# --- The weighted total ---------------------------------------------------------------------------


@given(iit=cents(), eit=cents(), oit=cents())
def test_the_total_is_the_weighted_sum_of_the_instruments(iit, eit, oit) -> None:
    result = compute(SPEC, Given(instrument_scores={"IIT": iit, "EIT": eit, "OIT": oit}))
    weights = {instrument.code: instrument.weight for instrument in SPEC.instruments}
    assert sum(weights.values()) == 1
    assert result.total.value == weights["IIT"] * iit + weights["EIT"] * eit + weights["OIT"] * oit
    assert sum(result.weighted.values()) == result.total.value
    # Weights summing to one keep the total between the lowest and highest instrument.
    assert min(iit, eit, oit) <= result.total.value <= max(iit, eit, oit)


@given(scores=st.lists(cents(), min_size=6, max_size=6))
def test_an_indicator_is_the_mean_of_its_questions(scores) -> None:
    questions = dict(zip(codes("I", 1, 6), scores, strict=True))
    result = compute(SPEC, Given(question_scores=questions))
    assert abs(result.indicators[1].value * 6 - sum(scores)) < D("1e-20")


# --- Gaps -----------------------------------------------------------------------------------------


@given(iit=cents(), eit=cents(), oit=cents())
def test_each_gap_is_the_smallest_rise_that_reaches_its_grade(iit, eit, oit) -> None:
    scores = {"IIT": iit, "EIT": eit, "OIT": oit}
    result = compute(SPEC, Given(instrument_scores=scores))
    for gap in gaps_to_grades(SPEC, result):
        target = rank(gap.target, SPEC.grade_bands)
        assert round2(result.total.value) + gap.points_needed_on_total == target
        for code, rise in gap.per_instrument.items():
            if rise is None:
                # Out of reach: even 100 on that instrument alone does not get there.
                best = compute(SPEC, Given(instrument_scores=scores | {code: HUNDRED}))
                assert rank(best.grade, SPEC.grade_bands) < target
                continue
            assert rise > 0 and scores[code] + rise <= HUNDRED
            reached = compute(SPEC, Given(instrument_scores=scores | {code: scores[code] + rise}))
            short = compute(
                SPEC, Given(instrument_scores=scores | {code: scores[code] + rise - CENT})
            )
            assert rank(reached.grade, SPEC.grade_bands) >= target
            assert rank(short.grade, SPEC.grade_bands) < target


@given(scores=st.lists(cents(), min_size=6, max_size=6), target=cents(5000, 10000))
def test_each_indicator_gap_is_the_smallest_rise_that_reaches_its_target(scores, target) -> None:
    questions = dict(zip(codes("I", 13, 18), scores, strict=True))
    result = compute(SPEC, Given(question_scores=questions))
    rise = indicator_gap(SPEC, result, "I14", questions["I14"], target)
    shown = result.indicators[3].display
    if shown >= target:
        assert rise == D("0.00")
        return
    if rise is None:
        best = compute(SPEC, Given(question_scores=questions | {"I14": HUNDRED}))
        assert best.indicators[3].display < target
        return
    assume(rise > 0)
    lifted = compute(SPEC, Given(question_scores=questions | {"I14": questions["I14"] + rise}))
    short = compute(
        SPEC, Given(question_scores=questions | {"I14": questions["I14"] + rise - CENT})
    )
    assert lifted.indicators[3].display >= target
    assert short.indicators[3].display < target

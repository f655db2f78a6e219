"""Tests for the method as data (pure): result levels with minimums, gaps, sample rules, OIT
item scoring and roll-up, aggregation, and answers on scales. No database, no Django."""

from decimal import Decimal

import pytest

from assessments import answers, scoring
from assessments.scoring import (
    Given,
    GradeBand,
    IndicatorSpec,
    InstrumentSpec,
    SampleRule,
    SubIndicatorSpec,
    VersionSpec,
    compute,
    gaps_to_grades,
    level_for,
    minimum_sample,
    question_weight,
)

D = Decimal
EACH = ("IIT", "EIT", "OIT")

# The 2567+ levels as University of Phayao's UP ITA code implements them (issue 14).
LEVELS_2567 = (
    GradeBand("ผ่านดีเยี่ยม", D("95"), minimums=tuple((c, D("95")) for c in EACH), order=1),
    GradeBand("ผ่านดี", D("85"), minimums=tuple((c, D("85")) for c in EACH), order=2),
    GradeBand("ผ่าน", D("85"), order=3),
    GradeBand("ต้องปรับปรุง", D("70"), upper=D("84.99"), order=4),
    GradeBand("ต้องปรับปรุงโดยด่วน", D("0"), upper=D("69.99"), order=5),
)


def flat_spec(bands=LEVELS_2567, **settings) -> VersionSpec:
    """Build three instruments of one indicator each (30/30/40): scores given per instrument."""
    return VersionSpec(
        instruments=(
            InstrumentSpec("IIT", D("0.30"), (IndicatorSpec(1, questions=("I1",)),)),
            InstrumentSpec("EIT", D("0.30"), (IndicatorSpec(2, questions=("E1",)),)),
            InstrumentSpec(
                "OIT",
                D("0.40"),
                (IndicatorSpec(3, sub_indicators=(SubIndicatorSpec("3.1", ("O1",)),)),),
            ),
        ),
        grade_bands=bands,
        pass_mark=D("85"),
        **settings,
    )


def result_of(iit: str, eit: str, oit: str, bands=LEVELS_2567) -> scoring.Result:
    return compute(
        flat_spec(bands),
        Given(question_scores={"I1": D(iit), "E1": D(eit)}, sub_indicator_scores={"3.1": D(oit)}),
    )


# --- Levels ---------------------------------------------------------------------------------------


def test_it_gives_pass_good_not_excellent_when_oit_misses_its_minimum() -> None:
    result = result_of("96", "96", "94")
    assert result.total.display == D("95.20")
    assert result.grade == "ผ่านดี"


def test_it_gives_pass_when_one_instrument_is_below_85() -> None:
    result = result_of("80", "98", "100")
    assert result.total.display == D("93.40")
    assert result.grade == "ผ่าน"


@pytest.mark.parametrize(
    ("scores", "level"),
    [
        (("95", "95", "95"), "ผ่านดีเยี่ยม"),
        (("100", "100", "100"), "ผ่านดีเยี่ยม"),
        (("85", "85", "85"), "ผ่านดี"),
        (("84.99", "100", "100"), "ผ่าน"),
        (("84.99", "84.99", "84.99"), "ต้องปรับปรุง"),
        (("70", "70", "70"), "ต้องปรับปรุง"),
        (("69.99", "69.99", "69.99"), "ต้องปรับปรุงโดยด่วน"),
        (("0", "0", "0"), "ต้องปรับปรุงโดยด่วน"),
    ],
)
def test_it_gives_the_first_level_whose_conditions_hold(scores, level) -> None:
    assert result_of(*scores).grade == level


def test_it_reads_instrument_minimums_on_the_shown_score() -> None:
    # 94.995 is shown as 95.00, as the total is.
    level = level_for(D("96"), {"IIT": D("96"), "EIT": D("96"), "OIT": D("94.995")}, LEVELS_2567)
    assert level.grade == "ผ่านดีเยี่ยม"


def test_it_gives_no_level_when_a_needed_instrument_is_unknown() -> None:
    assert level_for(D("96"), {"IIT": D("96")}, LEVELS_2567) is None
    # The total alone settles the levels that need no instrument.
    assert level_for(D("80"), {}, LEVELS_2567).grade == "ต้องปรับปรุง"


def test_it_grades_a_reported_total_without_instruments_only_where_it_can() -> None:
    spec = flat_spec()
    assert compute(spec, Given(total=D("80"))).official_grade == "ต้องปรับปรุง"
    assert compute(spec, Given(total=D("96"))).official_grade is None


def test_it_gives_no_grade_in_a_version_without_levels() -> None:
    result = compute(flat_spec(bands=()), Given(total=D("77.56")))
    assert (result.total.official, result.grade, result.official_grade) == (D("77.56"), None, None)
    assert gaps_to_grades(flat_spec(bands=()), result) == []


# --- Gap to the next level ------------------------------------------------------------------------


def test_it_says_oit_needs_one_point_for_excellent() -> None:
    [gap] = gaps_to_grades(flat_spec(), result_of("96", "96", "94"))
    assert gap.target == "ผ่านดีเยี่ยม"
    assert gap.minimum_needs == {"OIT": D("1.00")}
    assert gap.points_needed_on_total == D("0.00")
    assert gap.per_instrument == {"IIT": None, "EIT": None, "OIT": D("1.00")}


def test_it_says_iit_needs_five_points_for_good_then_more_for_excellent() -> None:
    good, excellent = gaps_to_grades(flat_spec(), result_of("80", "98", "100"))
    assert (good.target, good.minimum_needs, good.points_needed_on_total) == (
        "ผ่านดี",
        {"IIT": D("5.00")},
        D("0.00"),
    )
    assert good.per_instrument == {"IIT": D("5.00"), "EIT": None, "OIT": None}
    assert (excellent.target, excellent.minimum_needs) == ("ผ่านดีเยี่ยม", {"IIT": D("15.00")})
    # With IIT at 95 the total is 97.90: nothing more is needed on the total.
    assert excellent.points_needed_on_total == D("0.00")


def test_it_adds_the_total_still_needed_after_the_minimums() -> None:
    [gap, top] = gaps_to_grades(flat_spec(), result_of("84", "84", "84"))
    assert (gap.target, gap.points_needed_on_total) == ("ผ่าน", D("1.00"))
    # 84 + 0.30 × 3.32 = 84.996, shown as 85.00.
    assert gap.per_instrument == {"IIT": D("3.32"), "EIT": D("3.32"), "OIT": D("2.49")}
    assert top.minimum_needs == {"IIT": D("11"), "EIT": D("11"), "OIT": D("11")}
    assert top.points_needed_on_total == D("0.00")
    assert top.per_instrument == {"IIT": None, "EIT": None, "OIT": None}


def test_it_has_no_gap_at_the_top_level() -> None:
    assert gaps_to_grades(flat_spec(), result_of("96", "96", "96")) == []


# --- Sample rules ---------------------------------------------------------------------------------

SEED = scoring.SEED_SAMPLE_RULE
OVEC_EIT = SampleRule(cap_over=4000, cap_minimum=400)
OBEC = SampleRule(percent=None, minimum=25, everyone_below=25, cap_over=None, cap_minimum=None)


@pytest.mark.parametrize(
    ("rule", "population", "required"),
    [
        (SEED, 0, 0),
        (SEED, 29, 29),
        (SEED, 30, 30),
        (SEED, 130, 30),
        (SEED, 301, 31),
        (SEED, 1000, 100),
        (SEED, 1001, 100),
        (SEED, 50000, 100),
        (OVEC_EIT, 1001, 101),
        (OVEC_EIT, 4000, 400),
        (OVEC_EIT, 4001, 400),
        (OVEC_EIT, 9000, 400),
        (OBEC, 24, 24),
        (OBEC, 500, 25),
        (SampleRule(percent=D("12.5"), minimum=None, everyone_below=None, cap_over=None), 9, 2),
    ],
)
def test_it_applies_each_sample_rule(rule, population, required) -> None:
    assert minimum_sample(rule, population) == required


def test_it_refuses_a_negative_population() -> None:
    with pytest.raises(ValueError, match="negative"):
        minimum_sample(SEED, -1)


def test_it_leaves_the_sample_unknown_without_a_rule() -> None:
    status = scoring.sample_status(10, 100, None)
    assert (status.required, status.sufficient) == (None, None)


# --- OIT item scoring and roll-up -----------------------------------------------------------------


def oit_spec(**settings) -> VersionSpec:
    return VersionSpec(
        instruments=(
            InstrumentSpec(
                "OIT",
                D("1"),
                (
                    IndicatorSpec(
                        9,
                        sub_indicators=(
                            SubIndicatorSpec("9.1", ("O1", "O2", "O3")),
                            SubIndicatorSpec("9.2", ("O4",)),
                        ),
                    ),
                    IndicatorSpec(10, sub_indicators=(SubIndicatorSpec("10.1", ("O5", "O6")),)),
                ),
            ),
        ),
        grade_bands=(GradeBand("P", D("0")),),
        pass_mark=D("85"),
        **settings,
    )


PRESENT = {"O1": True, "O2": True, "O3": False, "O4": True, "O5": True, "O6": False}


def test_it_scores_items_present_or_absent_by_sub_indicator_means() -> None:
    result = compute(oit_spec(), Given(item_answers=PRESENT))
    assert result.sub_indicators["9.1"].display == D("66.67")
    assert result.indicators[9].value == (D(200) / 3 + 100) / 2  # 83.33
    assert result.instruments["OIT"].display == D("66.67")  # (83.33 + 50) / 2


def test_it_scores_items_by_their_mean_when_the_version_says_so() -> None:
    result = compute(oit_spec(oit_rollup="item_mean"), Given(item_answers=PRESENT))
    assert result.indicators[9].display == D("75.00")  # 3 of 4 items
    assert result.instruments["OIT"].display == D("62.50")  # (75 + 50) / 2
    assert question_weight(oit_spec(oit_rollup="item_mean"), "O4") == D("12.5")


def test_it_scores_reviewer_scores_from_the_allowed_values() -> None:
    spec = oit_spec(oit_scoring="reviewer_score", oit_allowed_scores=(D("0"), D("0.5"), D("1")))
    scores = {
        "O1": D("1"),
        "O2": D("0.5"),
        "O3": D("0"),
        "O4": D("0.5"),
        "O5": D("1"),
        "O6": D("1"),
    }
    result = compute(spec, Given(item_scores=scores))
    assert result.sub_indicators["9.1"].display == D("50.00")
    assert result.sub_indicators["9.2"].display == D("50.00")
    assert result.instruments["OIT"].display == D("75.00")  # (50 + 100) / 2


def test_it_refuses_a_reviewer_score_outside_the_allowed_values() -> None:
    spec = oit_spec(oit_scoring="reviewer_score", oit_allowed_scores=(D("0"), D("0.5"), D("1")))
    with pytest.raises(ValueError, match="outside the allowed"):
        compute(spec, Given(item_scores={"O1": D("0.7")}))


def test_it_refuses_reviewer_scoring_without_allowed_values() -> None:
    with pytest.raises(ValueError, match="allowed scores"):
        compute(oit_spec(oit_scoring="reviewer_score"), Given())


# --- Aggregation ----------------------------------------------------------------------------------


def iit_spec(aggregation: str) -> VersionSpec:
    return VersionSpec(
        instruments=(
            InstrumentSpec(
                "IIT",
                D("1"),
                (
                    IndicatorSpec(1, questions=("I1", "I2", "I3")),
                    IndicatorSpec(2, questions=("I4",)),
                ),
            ),
        ),
        grade_bands=(GradeBand("P", D("0")),),
        pass_mark=D("85"),
        aggregation=aggregation,
    )


SCORES = {"I1": D("90"), "I2": D("90"), "I3": D("90"), "I4": D("50")}


def test_it_weighs_each_indicator_equally_by_default() -> None:
    result = compute(iit_spec("indicator_mean"), Given(question_scores=SCORES))
    assert result.instruments["IIT"].display == D("70.00")
    assert question_weight(iit_spec("indicator_mean"), "I4") == D("0.5")


def test_it_weighs_indicators_by_their_question_count_when_asked() -> None:
    result = compute(iit_spec("item_count"), Given(question_scores=SCORES))
    assert result.instruments["IIT"].display == D("80.00")
    assert question_weight(iit_spec("item_count"), "I4") == D("0.25")


def test_it_weighs_reported_indicators_by_count_too() -> None:
    result = compute(iit_spec("item_count"), Given(indicator_scores={1: D("90"), 2: D("50")}))
    assert result.instruments["IIT"].display == D("80.00")


# --- Answers on scales ----------------------------------------------------------------------------

# A Suan Dusit form's points (domain.md §8): four levels 0/33/67/100, yes/no 0/100.
FOUR = answers.ScaleSpec(
    "L4", tuple(answers.OptionSpec(o, D(p)) for o, p in enumerate(("0", "33", "67", "100"), 1))
)
YES_NO = answers.ScaleSpec("YN", (answers.OptionSpec(1, D("0")), answers.OptionSpec(2, D("100"))))
SIX = answers.ScaleSpec("L6", tuple(answers.OptionSpec(o, D(o)) for o in range(1, 7)))
UNKNOWN = answers.ScaleSpec("L6?", tuple(answers.OptionSpec(o, None) for o in range(1, 7)))

QUESTIONS = (
    answers.QuestionScale(
        "I1",
        FOUR,
        sub_items=(
            answers.SubItemSpec("I1.1", FOUR),
            answers.SubItemSpec("I1.2", FOUR, reversed=True),
        ),
    ),
    answers.QuestionScale("I2", YES_NO, reversed=True),
    answers.QuestionScale("I3", SIX),
)


def test_it_scores_sub_items_with_polarity_into_a_question() -> None:
    scores = answers.respondent_scores(QUESTIONS, {"I1.1": 4, "I1.2": 2, "I2": 1, "I3": 6})
    # I1.1 = 100; I1.2 (negative) = 100 - 33 = 67; I2 "no" on a negative yes/no = 100.
    assert scores == {"I1": D("83.5"), "I2": D("100"), "I3": D("100")}


def test_it_reads_any_scale_on_its_own_range() -> None:
    assert SIX.worth(1) == D("0") and SIX.worth(6) == D("100") and SIX.worth(3) == D("40")


def test_it_averages_questions_over_the_respondents_who_answered() -> None:
    scores = answers.question_scores(QUESTIONS, [{"I3": 6}, {"I3": 1}, {"I2": 2}])
    assert scores == {"I3": D("50"), "I2": D("0")}


def test_it_rolls_answers_up_by_the_versions_aggregation() -> None:
    spec = VersionSpec(
        instruments=(
            InstrumentSpec(
                "IIT",
                D("1"),
                (IndicatorSpec(1, questions=("I1", "I2")), IndicatorSpec(2, questions=("I3",))),
            ),
        ),
        grade_bands=(GradeBand("P", D("0")),),
        pass_mark=D("85"),
    )
    result = answers.answers_result(spec, QUESTIONS, [{"I1.1": 4, "I1.2": 1, "I2": 1, "I3": 4}])
    assert result.indicators[1].display == D("100.00")
    assert result.indicators[2].display == D("60.00")
    assert result.instruments["IIT"].display == D("80.00")


def test_it_refuses_answers_on_a_scale_without_points() -> None:
    with pytest.raises(ValueError, match="no points"):
        UNKNOWN.worth(1)
    with pytest.raises(ValueError, match="no option 9"):
        FOUR.worth(9)

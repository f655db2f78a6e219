"""The predicted OIT score and each item's cost, by hand on the 2563 structure (no database)."""

from dataclasses import replace
from decimal import Decimal

from assessments.scoring import IndicatorSpec, InstrumentSpec, SubIndicatorSpec, VersionSpec
from oit.scoring import predict


def _items(first: int, count: int) -> tuple[str, ...]:
    return tuple(f"O{n}" for n in range(first, first + count))


# ITA 2563's OIT: indicator 9 (9, 8, 7, 4, 5 items) and 10 (8, 2 items), weight 0.40.
OIT_2563 = InstrumentSpec(
    code="OIT",
    weight=Decimal("0.40"),
    indicators=(
        IndicatorSpec(
            number=9,
            sub_indicators=(
                SubIndicatorSpec("9.1", _items(1, 9)),
                SubIndicatorSpec("9.2", _items(10, 8)),
                SubIndicatorSpec("9.3", _items(18, 7)),
                SubIndicatorSpec("9.4", _items(25, 4)),
                SubIndicatorSpec("9.5", _items(29, 5)),
            ),
        ),
        IndicatorSpec(
            number=10,
            sub_indicators=(
                SubIndicatorSpec("10.1", _items(34, 8)),
                SubIndicatorSpec("10.2", _items(42, 2)),
            ),
        ),
    ),
)
ALL = [f"O{n}" for n in range(1, 44)]
SPEC_2563 = VersionSpec(instruments=(OIT_2563,), grade_bands=(), pass_mark=Decimal("85"))
# A reviewer-scored version (0 / 0.5 / 1) whose indicator is the mean of all its items.
REVIEWED = VersionSpec(
    instruments=(
        InstrumentSpec(
            code="OIT",
            weight=Decimal("0.40"),
            indicators=(
                IndicatorSpec(
                    number=3,
                    sub_indicators=(
                        SubIndicatorSpec("3.1", ("O1", "O2")),
                        SubIndicatorSpec("3.2", ("O3",)),
                    ),
                ),
            ),
        ),
    ),
    grade_bands=(),
    pass_mark=Decimal("85"),
    oit_scoring="reviewer_score",
    oit_allowed_scores=(Decimal("0"), Decimal("0.5"), Decimal("1")),
    oit_rollup="item_mean",
)


def test_it_reproduces_the_seeds_oit_with_one_basic_item_missing():
    values = {code: Decimal("1") for code in ALL if code != "O1"}
    prediction = predict(SPEC_2563, "OIT", values)
    # 9.1 = 8/9 = 88.89; 9 = (88.89 + 4 × 100) / 5 = 97.78; OIT = (97.78 + 100) / 2 = 98.89.
    assert prediction.sub_indicators["9.1"] == Decimal("88.89")
    assert prediction.indicators == {9: Decimal("97.78"), 10: Decimal("100.00")}
    assert prediction.oit == Decimal("98.89")
    assert prediction.on_total == Decimal("39.56")


def test_it_says_what_each_missing_item_costs_the_total():
    prediction = predict(SPEC_2563, "OIT", {})
    costs = {share.code: share.cost for share in prediction.missing}
    # An item of 9.1: 100 / (2 indicators × 5 subs × 9 items) × 0.40 = 0.444…;
    # an item of 10.2: 100 / (2 × 2 × 2) × 0.40 = 5.
    assert round(costs["O1"], 4) == Decimal("0.4444")
    assert costs["O42"] == Decimal("5")
    assert prediction.missing[0].code in ("O42", "O43")  # the costliest first
    assert prediction.oit == Decimal("0.00")
    # Every item at full marks adds up to the OIT's whole weight on the total.
    assert round(sum(share.on_total for share in prediction.items), 10) == Decimal("40")


def test_a_half_score_counts_half_and_costs_half():
    spec = replace(
        SPEC_2563, oit_scoring="reviewer_score", oit_allowed_scores=REVIEWED.oit_allowed_scores
    )
    values = {code: Decimal("1") for code in ALL}
    values["O43"] = Decimal("0.5")
    prediction = predict(spec, "OIT", values)
    assert prediction.sub_indicators["10.2"] == Decimal("75.00")
    assert prediction.oit == Decimal("93.75")  # (100 + 87.5) / 2
    assert [share.code for share in prediction.missing] == ["O43"]
    assert prediction.missing[0].cost == Decimal("2.5")


def test_it_rolls_up_as_the_version_says_the_mean_of_items():
    prediction = predict(REVIEWED, "OIT", {"O1": Decimal("1"), "O2": Decimal("0.5")})
    # O3 has no score: missing (0). Indicator 3 = mean(100, 50, 0) = 50 (its sub-indicators'
    # mean would be 37.50); OIT = 50; × 0.40 = 20. Each item is worth 0.40 × 100 / 3 = 13.33.
    assert prediction.indicators == {3: Decimal("50.00")}
    assert prediction.sub_indicators == {"3.1": Decimal("75.00"), "3.2": Decimal("0.00")}
    assert (prediction.oit, prediction.on_total) == (Decimal("50.00"), Decimal("20.00"))
    costs = [(share.code, round(share.cost, 2)) for share in prediction.missing]
    assert costs == [("O3", Decimal("13.33")), ("O2", Decimal("6.67"))]

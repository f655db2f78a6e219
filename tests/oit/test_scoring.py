"""The predicted OIT score and each item's cost, by hand on the 2563 structure (no database)."""

from decimal import Decimal

from assessments.scoring import IndicatorSpec, InstrumentSpec, SubIndicatorSpec
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


def test_it_reproduces_the_seeds_oit_with_one_basic_item_missing():
    values = {code: Decimal("1") for code in ALL if code != "O1"}
    prediction = predict(OIT_2563, values)
    # 9.1 = 8/9 = 88.89; 9 = (88.89 + 4 × 100) / 5 = 97.78; OIT = (97.78 + 100) / 2 = 98.89.
    assert prediction.sub_indicators["9.1"] == Decimal("88.89")
    assert prediction.indicators == {9: Decimal("97.78"), 10: Decimal("100.00")}
    assert prediction.oit == Decimal("98.89")
    assert prediction.on_total == Decimal("39.56")


def test_it_says_what_each_missing_item_costs_the_total():
    prediction = predict(OIT_2563, {})
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
    values = {code: Decimal("1") for code in ALL}
    values["O43"] = Decimal("0.5")
    prediction = predict(OIT_2563, values)
    assert prediction.sub_indicators["10.2"] == Decimal("75.00")
    assert prediction.oit == Decimal("93.75")  # (100 + 87.5) / 2
    assert [share.code for share in prediction.missing] == ["O43"]
    assert prediction.missing[0].cost == Decimal("2.5")

"""The OIT self-check's predicted score: pure arithmetic on the version's OIT spec, no Django.

Each item has a value from 0 to 1 (the reviewer's score; an item not accepted counts 0, as an
item NACC finds missing). The OIT score rolls up as the version does (assessments.scoring's
spec: sub-indicator = share of its items × 100, indicator = mean of its sub-indicators,
instrument = mean of its indicators), and the instrument's weight carries it to the total. What
a missing item costs is what it would add to the total at full marks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from assessments.scoring import MAX_SCORE, InstrumentSpec, round2

ONE = Decimal("1")
ZERO = Decimal("0")


@dataclass(frozen=True)
class ItemShare:
    code: str
    sub_key: str
    value: Decimal  # 0..1, what the item counts now
    per_item: Decimal  # points of the OIT score the item is worth at full marks
    on_total: Decimal  # points of the total the item is worth at full marks

    @property
    def cost(self) -> Decimal:
        """Return the points of the total the item loses now (full marks minus its value)."""
        return self.on_total * (ONE - self.value)


@dataclass(frozen=True)
class Prediction:
    sub_indicators: dict[str, Decimal]
    indicators: dict[int, Decimal]
    oit: Decimal
    on_total: Decimal  # the OIT score's share of the total (weight × score)
    items: tuple[ItemShare, ...]

    @property
    def missing(self) -> list[ItemShare]:
        """Return the items below full marks, costliest first."""
        below = [item for item in self.items if item.value < ONE]
        return sorted(below, key=lambda item: (-item.cost, item.code))


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, ZERO) / len(values) if values else ZERO


def predict(oit: InstrumentSpec, values: Mapping[str, Decimal]) -> Prediction:
    """Predict the OIT score and each item's worth from item values (0..1; absent = 0)."""
    subs: dict[str, Decimal] = {}
    indicators: dict[int, Decimal] = {}
    items: list[ItemShare] = []
    count = len(oit.indicators)
    for indicator in oit.indicators:
        scores = []
        for sub in indicator.sub_indicators:
            if not sub.items:
                continue
            per_item = MAX_SCORE / (count * len(indicator.sub_indicators) * len(sub.items))
            got = [values.get(code, ZERO) for code in sub.items]
            subs[sub.key] = _mean(got) * MAX_SCORE
            scores.append(subs[sub.key])
            for code, value in zip(sub.items, got, strict=True):
                items.append(ItemShare(code, sub.key, value, per_item, per_item * oit.weight))
        indicators[indicator.number] = _mean(scores)
    score = _mean(list(indicators.values()))
    return Prediction(
        sub_indicators={k: round2(v) for k, v in subs.items()},
        indicators={k: round2(v) for k, v in indicators.items()},
        oit=round2(score),
        on_total=round2(score * oit.weight),
        items=tuple(items),
    )

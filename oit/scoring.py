"""The OIT self-check's predicted score: the version's own engine on the round's items, no Django.

Each item has the reviewer's score once accepted (one of the version's allowed values, or 1/0
for present/absent); every other item counts as NACC would find it, missing (0, or the lowest
allowed score). The figures come from `assessments.scoring.compute`, so the OIT rolls up exactly
as the version says (item scoring, sub-indicator or item mean, aggregation), and the weight of an
item on the total from `question_weight`. What a missing item costs is what it would add to the
total at the highest allowed score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from assessments.scoring import Given, VersionSpec, compute, question_weight, round2

ONE = Decimal("1")
ZERO = Decimal("0")


@dataclass(frozen=True)
class ItemShare:
    code: str
    sub_key: str
    value: Decimal  # 0..1, the share of full marks the item counts now
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


def scale(spec: VersionSpec) -> tuple[Decimal, ...]:
    """Return the scores a reviewer gives an item of the version (present/absent: 0 and 1)."""
    if spec.oit_scoring == "reviewer_score":
        return tuple(sorted(spec.oit_allowed_scores))
    return (ZERO, ONE)


def predict(spec: VersionSpec, code: str, scores: Mapping[str, Decimal]) -> Prediction:
    """Predict the OIT instrument `code` from reviewers' scores; an item without one is missing."""
    instrument = next(i for i in spec.instruments if i.code == code)
    allowed = scale(spec)
    lowest, top = allowed[0], allowed[-1]
    subs = [(sub, ind) for ind in instrument.indicators for sub in ind.sub_indicators]
    values = {item: scores.get(item, lowest) for sub, _ind in subs for item in sub.items}
    if spec.oit_scoring == "reviewer_score":
        given = Given(item_scores=values)
    else:
        given = Given(item_answers={item: value == ONE for item, value in values.items()})
    result = compute(spec, given)
    score = result.instruments[code].value or ZERO
    return Prediction(
        sub_indicators={
            sub.key: round2(result.sub_indicators[sub.key].value or ZERO) for sub, _ind in subs
        },
        indicators={
            ind.number: round2(result.indicators[ind.number].value or ZERO)
            for ind in instrument.indicators
        },
        oit=round2(score),
        on_total=round2(score * instrument.weight),
        items=tuple(
            ItemShare(item, sub.key, values[item] / top, question_weight(spec, item))
            for sub, _ind in subs
            for item in sub.items
        ),
    )

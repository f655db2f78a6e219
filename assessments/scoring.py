"""ITA scoring engine: pure functions from an instrument version and known scores to every figure.

Nothing here imports Django. The caller builds a `VersionSpec` from the fiscal year's version rows
and a `Given` from whatever the assessment has (question scores, OIT item answers, reported figures
at any level); `compute` fills in every level it can from the lowest level given and records every
disagreement with a reported figure instead of silently choosing one. A reported (published)
figure is the official one; the computed figure stands beside it, and their difference is either a
rounding note (at most one cent: the published figures below it are rounded) or a data error.

One module, longer than the project's 400 lines, because it is one engine: the figures, the grades
and the gaps share the rounding rules and the decimal context, and tests/assessments/test_scoring.py
mirrors it section by section.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Context, Decimal, localcontext
from functools import wraps
from typing import Literal, ParamSpec, TypeVar

CENT = Decimal("0.01")
TOLERANCE = Decimal("0.01")
MAX_SCORE = Decimal("100")
# The smallest unrounded value that round2 lifts to a given cent (x.xx5 rounds up).
_HALF_CENT = CENT / 2
_NANO = Decimal("1e-9")

# Decimal arithmetic follows the thread's current context, which a caller may have narrowed; the
# engine always works in its own so that the same inputs give the same figures everywhere.
_CONTEXT = Context(prec=28)

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _in_own_context(function: Callable[_P, _R]) -> Callable[_P, _R]:
    @wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(_CONTEXT):
            return function(*args, **kwargs)

    return wrapper


@_in_own_context
def round2(value: Decimal) -> Decimal:
    """Round a score to two decimals, halves away from zero, as NACC publishes it."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _ceil_cent(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_CEILING)


@_in_own_context
def mean(values: Iterable[Decimal]) -> Decimal | None:
    """Return the unrounded arithmetic mean, or None when there are no values."""
    items = list(values)
    if not items:
        return None
    return sum(items, Decimal(0)) / len(items)


@_in_own_context
def rounded_mean(values: Iterable[Decimal | int]) -> Decimal:
    """Return the mean rounded half-up to cents, as shown; 0.00 when there are no values."""
    average = mean(Decimal(value) for value in values)
    return Decimal("0.00") if average is None else round2(average)


# --- Grades and result levels ---------------------------------------------------------------------


@dataclass(frozen=True)
class GradeBand:
    """A result level: its code, the lowest (and optionally highest) total, minimums per instrument.

    Levels are tried in `order` (then from the highest lowest total down); the first whose
    conditions all hold is the result. 2563's AA–F need only the total; from 2567 a level may also
    need each instrument at a minimum (ผ่านดีเยี่ยม: total ≥ 95 and IIT, EIT and OIT each ≥ 95).
    """

    grade: str
    lower: Decimal
    upper: Decimal | None = None
    # (instrument code, minimum shown score) pairs; a tuple so that the level stays hashable.
    minimums: tuple[tuple[str, Decimal], ...] = ()
    order: int = 0
    label: str = field(default="", compare=False)


def _ordered_levels(bands: Sequence[GradeBand]) -> list[GradeBand]:
    if not bands:
        raise ValueError("a version needs at least one grade band")
    return sorted(bands, key=lambda band: (band.order, -band.lower))


def _holds(
    band: GradeBand, shown: Decimal, instruments: Mapping[str, Decimal | None]
) -> bool | None:
    # None: the total fits but an instrument the level needs a minimum of is not known.
    if shown < band.lower or (band.upper is not None and shown > band.upper):
        return False
    unknown = False
    for code, minimum in band.minimums:
        value = instruments.get(code)
        if value is None:
            unknown = True
        elif round2(value) < minimum:
            return False
    return None if unknown else True


def _level_index(
    total: Decimal, ordered: list[GradeBand], instruments: Mapping[str, Decimal | None]
) -> int | None:
    # Levels follow the published (rounded) figures: 94.995 is shown as 95.00 and is therefore AA.
    shown = round2(total)
    for index, band in enumerate(ordered):
        holds = _holds(band, shown, instruments)
        if holds is None:
            return None
        if holds:
            return index
    lowest = min(band.lower for band in ordered)
    raise ValueError(f"total {total} is below the lowest grade band ({lowest})")


@_in_own_context
def level_for(
    total: Decimal, instruments: Mapping[str, Decimal | None], bands: Sequence[GradeBand]
) -> GradeBand | None:
    """Return the first level whose conditions hold; None when a needed instrument is unknown."""
    ordered = _ordered_levels(bands)
    index = _level_index(total, ordered, instruments)
    return None if index is None else ordered[index]


def grade_for(total: Decimal, bands: Sequence[GradeBand]) -> str:
    """Return the grade of the first level the rounded total meets (levels on the total alone)."""
    level = level_for(total, {}, bands)
    if level is None:
        raise ValueError("these levels need instrument scores: use level_for")
    return level.grade


def next_band(total: Decimal, bands: Sequence[GradeBand]) -> GradeBand | None:
    """Return the level just before the one the rounded total meets, or None at the top."""
    ordered = _ordered_levels(bands)
    index = _level_index(total, ordered, {})
    return ordered[index - 1] if index else None


# --- Instrument version ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SubIndicatorSpec:
    key: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorSpec:
    number: int
    questions: tuple[str, ...] = ()
    sub_indicators: tuple[SubIndicatorSpec, ...] = ()


@dataclass(frozen=True)
class InstrumentSpec:
    code: str
    weight: Decimal
    indicators: tuple[IndicatorSpec, ...]


# How a version rolls scores up (InstrumentVersion's settings, by their stored values).
Aggregation = Literal["indicator_mean", "item_count"]
OitScoring = Literal["present_absent", "reviewer_score"]
OitRollup = Literal["sub_indicator_mean", "item_mean"]


@dataclass(frozen=True)
class VersionSpec:
    instruments: tuple[InstrumentSpec, ...]
    grade_bands: tuple[GradeBand, ...]
    pass_mark: Decimal
    # indicator_mean: an instrument is the mean of its indicators, each weighing the same (2563);
    # item_count: each indicator weighs by its number of questions or items.
    aggregation: Aggregation = "indicator_mean"
    # present_absent: an OIT item is worth 100 or 0 (2563); reviewer_score: a reviewer gives one of
    # oit_allowed_scores and the item is worth that share of the highest allowed score.
    oit_scoring: OitScoring = "present_absent"
    oit_allowed_scores: tuple[Decimal, ...] = ()
    # sub_indicator_mean: an OIT indicator is the mean of its sub-indicators (2563); item_mean:
    # the mean of all its items.
    oit_rollup: OitRollup = "sub_indicator_mean"


# --- Computation ----------------------------------------------------------------------------------


@dataclass
class Given:
    question_scores: dict[str, Decimal] = field(default_factory=dict)
    item_answers: dict[str, bool] = field(default_factory=dict)
    # Reviewer scores of OIT items (one of the version's allowed scores), in reviewer_score mode.
    item_scores: dict[str, Decimal] = field(default_factory=dict)
    sub_indicator_scores: dict[str, Decimal] = field(default_factory=dict)
    indicator_scores: dict[int, Decimal] = field(default_factory=dict)
    instrument_scores: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal | None = None
    grade: str | None = None


Source = Literal["computed", "reported", "missing"]
# How a computed figure compares with the reported one: equal, within rounding, or not.
Agreement = Literal["agrees", "rounding", "differs"]
Level = Literal["sub_indicator", "indicator", "instrument", "total", "grade"]
# Discrepancies are listed level by level, from the bottom of the tree up.
_LEVELS: tuple[Level, ...] = ("sub_indicator", "indicator", "instrument", "total", "grade")


@dataclass(frozen=True)
class Figure:
    value: Decimal | None
    reported: Decimal | None
    source: Source

    @property
    def computed(self) -> Decimal | None:
        """Return the computed value, or None when the figure was not computed."""
        return self.value if self.source == "computed" else None

    @property
    def display(self) -> Decimal | None:
        """Return the value as shown: rounded to two decimals."""
        return None if self.value is None else round2(self.value)

    @property
    def official(self) -> Decimal | None:
        """Return the figure as published when it was reported, else as computed and shown."""
        return self.reported if self.reported is not None else self.display

    @property
    def agreement(self) -> Agreement | None:
        """Compare the computed and reported values; None unless both exist."""
        return agreement(self.difference)

    @property
    def mismatch(self) -> bool:
        """Tell whether the computed and reported values disagree by more than the tolerance."""
        return self.agreement == "differs"

    @property
    @_in_own_context
    def difference(self) -> Decimal | None:
        """Return rounded computed minus reported, or None unless both exist."""
        computed = self.computed
        if computed is None or self.reported is None:
            return None
        return round2(computed) - self.reported


def agreement(difference: Decimal | None) -> Agreement | None:
    """Classify a computed-minus-reported difference; None when there is nothing to compare.

    Up to one cent either way is rounding: a figure computed from published scores that were
    themselves rounded to cents can land one cent from the published figure above them.
    """
    if difference is None:
        return None
    if difference == 0:
        return "agrees"
    return "rounding" if abs(difference) <= TOLERANCE else "differs"


@dataclass(frozen=True)
class Discrepancy:
    level: Level
    key: str
    # For numeric levels: the computed value rounded as shown, and difference = computed - reported.
    computed: Decimal | str
    reported: Decimal | str
    difference: Decimal | None
    # "differs" is a data error to correct; "rounding" a note (a grade can only differ).
    kind: Agreement = "differs"


@dataclass(frozen=True)
class Result:
    sub_indicators: dict[str, Figure]
    indicators: dict[int, Figure]
    instruments: dict[str, Figure]
    weighted: dict[str, Decimal | None]
    total: Figure
    # The grade of the total that stands (computed first), and the official one: as reported, or
    # else the grade of the official total.
    grade: str | None
    official_grade: str | None
    discrepancies: tuple[Discrepancy, ...]
    rounding_notes: tuple[Discrepancy, ...]
    complete: bool


def _figure(computed: Decimal | None, reported: Decimal | None) -> Figure:
    if computed is not None:
        return Figure(value=computed, reported=reported, source="computed")
    if reported is not None:
        return Figure(value=reported, reported=reported, source="reported")
    return Figure(value=None, reported=None, source="missing")


def _all_known(values: Sequence[Decimal | None]) -> list[Decimal] | None:
    # A level is computed only from a complete set below it: a partial mean looks exact but isn't.
    if not values or any(value is None for value in values):
        return None
    return [value for value in values if value is not None]


def _item_share(items: tuple[str, ...], values: Mapping[str, Decimal]) -> Decimal | None:
    if not items or any(item not in values for item in items):
        return None
    return sum((values[item] for item in items), Decimal(0)) / len(items)


def item_values(spec: VersionSpec, given: Given) -> dict[str, Decimal]:
    """Return each answered OIT item's worth (0–100) under the version's item scoring."""
    if spec.oit_scoring == "reviewer_score":
        if not spec.oit_allowed_scores:
            raise ValueError("reviewer scoring needs the allowed scores")
        top = max(spec.oit_allowed_scores)
        refused = [
            f"{code}={value}"
            for code, value in given.item_scores.items()
            if value not in spec.oit_allowed_scores
        ]
        if refused:
            allowed = ", ".join(str(value) for value in spec.oit_allowed_scores)
            raise ValueError(f"item scores outside the allowed {allowed}: {', '.join(refused)}")
        return {code: value * MAX_SCORE / top for code, value in given.item_scores.items()}
    return {
        code: MAX_SCORE if present else Decimal(0) for code, present in given.item_answers.items()
    }


def _size(indicator: IndicatorSpec) -> int:
    return len(indicator.questions) + sum(len(sub.items) for sub in indicator.sub_indicators)


def _roll_up(
    spec: VersionSpec, indicators: tuple[IndicatorSpec, ...], values: list[Decimal]
) -> Decimal:
    # The instrument from its indicators: equal weights, or weights by number of questions/items.
    if spec.aggregation == "item_count":
        sizes = [_size(indicator) for indicator in indicators]
        if sum(sizes):
            weighted = sum(
                (size * value for size, value in zip(sizes, values, strict=True)), Decimal(0)
            )
            return weighted / sum(sizes)
    return sum(values, Decimal(0)) / len(values)


def _check_known_keys(spec: VersionSpec, given: Given) -> None:
    # A key outside the version means the data belongs to another year's instrument; say so loudly.
    questions: set[str] = set()
    items: set[str] = set()
    subs: set[str] = set()
    indicators: set[int] = set()
    for instrument in spec.instruments:
        for indicator in instrument.indicators:
            indicators.add(indicator.number)
            questions.update(indicator.questions)
            for sub in indicator.sub_indicators:
                subs.add(sub.key)
                items.update(sub.items)
    instruments = {instrument.code for instrument in spec.instruments}
    unknown = [
        *(f"question {key}" for key in given.question_scores if key not in questions),
        *(f"item {key}" for key in given.item_answers if key not in items),
        *(f"item {key}" for key in given.item_scores if key not in items),
        *(f"sub-indicator {key}" for key in given.sub_indicator_scores if key not in subs),
        *(f"indicator {key}" for key in given.indicator_scores if key not in indicators),
        *(f"instrument {key}" for key in given.instrument_scores if key not in instruments),
    ]
    if unknown:
        raise ValueError(f"not part of this instrument version: {', '.join(unknown)}")


def _level_code(
    total: Decimal | None, figures: Mapping[str, Figure], spec: VersionSpec, *, official: bool
) -> str | None:
    # A version without levels (a pre-2562 year known only by its total) gives no grade.
    if total is None or not spec.grade_bands:
        return None
    scores = {code: fig.official if official else fig.value for code, fig in figures.items()}
    level = level_for(total, scores, spec.grade_bands)
    return None if level is None else level.grade


@_in_own_context
def compute(spec: VersionSpec, given: Given) -> Result:
    """Compute every level from the lowest level given; record disagreements with reported ones."""
    _check_known_keys(spec, given)
    found: dict[Level, list[Discrepancy]] = {level: [] for level in _LEVELS}

    def settle(
        level: Level, key: str, computed: Decimal | None, reported: Decimal | None
    ) -> Figure:
        figure = _figure(computed, reported)
        kind = figure.agreement
        if kind in ("differs", "rounding") and figure.value is not None:
            found[level].append(
                Discrepancy(
                    level=level,
                    key=key,
                    computed=round2(figure.value),
                    reported=figure.reported,
                    difference=figure.difference,
                    kind=kind,
                )
            )
        return figure

    sub_figures: dict[str, Figure] = {}
    indicator_figures: dict[int, Figure] = {}
    instrument_figures: dict[str, Figure] = {}
    weighted: dict[str, Decimal | None] = {}
    values = item_values(spec, given)

    for instrument in spec.instruments:
        for indicator in instrument.indicators:
            if indicator.sub_indicators:
                for sub in indicator.sub_indicators:
                    sub_figures[sub.key] = settle(
                        "sub_indicator",
                        sub.key,
                        _item_share(sub.items, values),
                        given.sub_indicator_scores.get(sub.key),
                    )
                below = [sub_figures[sub.key].value for sub in indicator.sub_indicators]
                if spec.oit_rollup == "item_mean":
                    items = tuple(item for sub in indicator.sub_indicators for item in sub.items)
                    below = [values.get(item) for item in items]
            else:
                below = [given.question_scores.get(code) for code in indicator.questions]
            known = _all_known(below)
            indicator_figures[indicator.number] = settle(
                "indicator",
                str(indicator.number),
                None if known is None else mean(known),
                given.indicator_scores.get(indicator.number),
            )

        known = _all_known([indicator_figures[i.number].value for i in instrument.indicators])
        figure = settle(
            "instrument",
            instrument.code,
            None if known is None else _roll_up(spec, instrument.indicators, known),
            given.instrument_scores.get(instrument.code),
        )
        instrument_figures[instrument.code] = figure
        weighted[instrument.code] = (
            None if figure.value is None else instrument.weight * figure.value
        )

    terms = _all_known(list(weighted.values()))
    total = settle("total", "total", None if terms is None else sum(terms, Decimal(0)), given.total)

    grade = _level_code(total.value, instrument_figures, spec, official=False)
    official_grade = given.grade.strip() if given.grade and given.grade.strip() else None
    if official_grade is None:
        official_grade = _level_code(total.official, instrument_figures, spec, official=True)
    if grade is not None and given.grade is not None and given.grade.strip() != grade:
        # Compared with the grade of whichever total stands, so a reported total and grade that
        # contradict each other are caught even when nothing below them was given.
        found["grade"].append(
            Discrepancy(
                level="grade", key="grade", computed=grade, reported=given.grade, difference=None
            )
        )

    listed = [d for level in found.values() for d in level]
    return Result(
        sub_indicators=sub_figures,
        indicators=indicator_figures,
        instruments=instrument_figures,
        weighted=weighted,
        total=total,
        grade=grade,
        official_grade=official_grade,
        discrepancies=tuple(d for d in listed if d.kind == "differs"),
        rounding_notes=tuple(d for d in listed if d.kind == "rounding"),
        complete=all(figure.value is not None for figure in instrument_figures.values()),
    )


# --- Weaknesses and sample size -------------------------------------------------------------------


def _natural_key(code: str) -> tuple[str | int, ...]:
    # re.split with a capturing group alternates text and digits, so positions always compare alike.
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def weak_questions(
    question_scores: Mapping[str, Decimal], pass_mark: Decimal
) -> list[tuple[str, Decimal]]:
    """List the questions scoring below the pass mark, lowest first, ties in natural code order."""
    weak = [(code, score) for code, score in question_scores.items() if score < pass_mark]
    return sorted(weak, key=lambda pair: (pair[1], _natural_key(pair[0])))


@dataclass(frozen=True)
class SampleRule:
    """A version's minimum sample for one instrument; None switches a part of the rule off."""

    percent: Decimal | None = Decimal("10")
    minimum: int | None = 30
    # Below this population everyone is asked.
    everyone_below: int | None = 30
    # Over cap_over people, cap_minimum respondents are enough (the seed: over 1,000 → 100).
    cap_over: int | None = 1000
    cap_minimum: int | None = 100


# The seed's rule for IIT and EIT in 2563 (domain.md §2), the default of a version's instruments.
SEED_SAMPLE_RULE = SampleRule()


@_in_own_context
def minimum_sample(rule: SampleRule, population: int) -> int:
    """Return the minimum number of respondents a sample rule asks of a population."""
    if population < 0:
        raise ValueError(f"population cannot be negative: {population}")
    if rule.everyone_below is not None and population < rule.everyone_below:
        return population
    if rule.cap_over is not None and rule.cap_minimum is not None and population > rule.cap_over:
        return min(population, rule.cap_minimum)
    share = 0
    if rule.percent is not None:
        share = int((rule.percent * population / 100).to_integral_value(rounding=ROUND_CEILING))
    return min(population, max(rule.minimum or 0, share))


def required_sample(population: int) -> int:
    """Return the seed's (NACC 2563) minimum number of IIT/EIT respondents for a population."""
    return minimum_sample(SEED_SAMPLE_RULE, population)


@dataclass(frozen=True)
class SampleStatus:
    required: int | None
    respondents: int | None
    population: int | None
    sufficient: bool | None
    shortfall: int


def sample_status(
    respondents: int | None, population: int | None, rule: SampleRule | None = SEED_SAMPLE_RULE
) -> SampleStatus:
    """Say whether the respondents meet the rule's sample; unknown without a rule or a count."""
    required = None if population is None or rule is None else minimum_sample(rule, population)
    if required is None or respondents is None:
        sufficient, shortfall = None, 0
    else:
        sufficient, shortfall = respondents >= required, max(0, required - respondents)
    return SampleStatus(
        required=required,
        respondents=respondents,
        population=population,
        sufficient=sufficient,
        shortfall=shortfall,
    )


# --- What it would take ---------------------------------------------------------------------------


def _locate(spec: VersionSpec, code: str) -> tuple[Decimal, bool]:
    # Gives the code's weight on the total and whether it is an OIT item (worth 100 when present).
    for instrument in spec.instruments:
        sizes = sum(_size(indicator) for indicator in instrument.indicators)
        for indicator in instrument.indicators:
            if spec.aggregation == "item_count" and sizes:
                share = instrument.weight * _size(indicator) / sizes
            else:
                share = instrument.weight / len(instrument.indicators)
            if code in indicator.questions:
                return share / len(indicator.questions), False
            subs = len(indicator.sub_indicators)
            items = sum(len(sub.items) for sub in indicator.sub_indicators)
            for sub in indicator.sub_indicators:
                if code in sub.items:
                    within = items if spec.oit_rollup == "item_mean" else subs * len(sub.items)
                    return share * MAX_SCORE / within, True
    raise KeyError(code)


@_in_own_context
def question_weight(spec: VersionSpec, code: str) -> Decimal:
    """Return the effect on the total of one point on a question, or of an OIT item's presence."""
    weight, _ = _locate(spec, code)
    return weight


def _rise_to_reach(threshold: Decimal, total: Decimal, per_point: Decimal) -> Decimal:
    # The smallest rise, in whole cents, whose effect lifts the unrounded total to the threshold.
    return _ceil_cent((threshold - total) / per_point)


@dataclass(frozen=True)
class Gap:
    target: str
    points_needed_on_total: Decimal
    # The rise on each instrument alone that reaches the level (None: not by that one alone).
    per_instrument: dict[str, Decimal | None]
    # What each instrument short of the level's minimum needs (e.g. OIT +1.00 for ผ่านดีเยี่ยม).
    minimum_needs: dict[str, Decimal] = field(default_factory=dict)
    label: str = field(default="", compare=False)


@_in_own_context
def level_gap(spec: VersionSpec, result: Result, band: GradeBand) -> Gap:
    """Return what it takes to reach a level: on the total, and on each instrument's minimum."""
    total = result.total.value
    if total is None:
        raise ValueError("no total to measure a gap from")
    scores = {code: figure.value for code, figure in result.instruments.items()}
    needs = {
        code: minimum - round2(value)
        for code, minimum in band.minimums
        if (value := scores.get(code)) is not None and round2(value) < minimum
    }
    weights = {instrument.code: instrument.weight for instrument in spec.instruments}
    # The total once every minimum is met; the rest is what the total still lacks.
    after = total + sum((weights[code] * rise for code, rise in needs.items()), Decimal(0))
    threshold = band.lower - _HALF_CENT
    per_instrument: dict[str, Decimal | None] = {}
    for instrument in spec.instruments:
        value = scores.get(instrument.code)
        rise = None
        others_short = any(code != instrument.code for code in needs)
        if value is not None and instrument.weight > 0 and not others_short:
            own = needs.get(instrument.code, Decimal("0.00"))
            lifted = total + instrument.weight * own
            rise = own + max(Decimal("0.00"), _rise_to_reach(threshold, lifted, instrument.weight))
            if value + rise > MAX_SCORE:
                rise = None
        per_instrument[instrument.code] = rise
    return Gap(
        target=band.grade,
        # Equal to the smallest whole-cent rise of the unrounded total that gets there.
        points_needed_on_total=max(Decimal("0.00"), band.lower - round2(after)),
        per_instrument=per_instrument,
        minimum_needs=needs,
        label=band.label,
    )


@_in_own_context
def gaps_to_grades(spec: VersionSpec, result: Result) -> list[Gap]:
    """Return what it takes to reach the next level up and the top level; empty at the top."""
    if result.total.value is None or not spec.grade_bands:
        return []
    ordered = _ordered_levels(spec.grade_bands)
    scores = {code: figure.value for code, figure in result.instruments.items()}
    index = _level_index(result.total.value, ordered, scores)
    if not index:
        return []
    targets = [ordered[index - 1]] if index == 1 else [ordered[index - 1], ordered[0]]
    return [level_gap(spec, result, band) for band in targets]


def _indicator_of(spec: VersionSpec, code: str) -> IndicatorSpec:
    for instrument in spec.instruments:
        for indicator in instrument.indicators:
            if code in indicator.questions:
                return indicator
    raise KeyError(code)


@_in_own_context
def indicator_gap(
    spec: VersionSpec, result: Result, code: str, current: Decimal, target: Decimal
) -> Decimal | None:
    """Return the rise one question needs, alone, to lift its indicator's shown score to a target.

    0.00 when the indicator already shows the target; None when the indicator has no score or the
    question would pass 100. Only IIT/EIT questions (an OIT item has no indicator of questions).
    """
    indicator = _indicator_of(spec, code)
    value = result.indicators[indicator.number].value
    if value is None:
        return None
    # A target between cents is only reached once the shown score reaches the cent above it.
    threshold = _ceil_cent(target) - _HALF_CENT
    if value >= threshold:
        return Decimal("0.00")
    # The indicator is the mean of its questions: a point on one moves it by 1 / n. The exact rise
    # has at most three decimals (cent scores, a half-cent threshold); a mean of n such as 1/6 is
    # not exact in Decimal, so its last-digit error is dropped before rounding up to the cent.
    needed = ((threshold - value) * len(indicator.questions)).quantize(_NANO)
    rise = _ceil_cent(needed)
    return None if current + rise > MAX_SCORE else rise

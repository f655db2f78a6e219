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


# --- Grades ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeBand:
    grade: str
    lower: Decimal


def _sorted_bands(bands: Sequence[GradeBand]) -> list[GradeBand]:
    if not bands:
        raise ValueError("a version needs at least one grade band")
    return sorted(bands, key=lambda band: band.lower)


def _band_index(total: Decimal, ordered: list[GradeBand]) -> int:
    # Grades follow the published (rounded) total: 94.995 is shown as 95.00 and is therefore AA.
    shown = round2(total)
    for index in range(len(ordered) - 1, -1, -1):
        if ordered[index].lower <= shown:
            return index
    raise ValueError(f"total {total} is below the lowest grade band ({ordered[0].lower})")


def grade_for(total: Decimal, bands: Sequence[GradeBand]) -> str:
    """Return the grade of the band holding the rounded total."""
    ordered = _sorted_bands(bands)
    return ordered[_band_index(total, ordered)].grade


def next_band(total: Decimal, bands: Sequence[GradeBand]) -> GradeBand | None:
    """Return the band just above the one holding the rounded total, or None at the top."""
    ordered = _sorted_bands(bands)
    index = _band_index(total, ordered) + 1
    return ordered[index] if index < len(ordered) else None


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


@dataclass(frozen=True)
class VersionSpec:
    instruments: tuple[InstrumentSpec, ...]
    grade_bands: tuple[GradeBand, ...]
    pass_mark: Decimal


# --- Computation ----------------------------------------------------------------------------------


@dataclass
class Given:
    question_scores: dict[str, Decimal] = field(default_factory=dict)
    item_answers: dict[str, bool] = field(default_factory=dict)
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


def _item_share(items: tuple[str, ...], answers: Mapping[str, bool]) -> Decimal | None:
    if not items or any(item not in answers for item in items):
        return None
    present = sum(1 for item in items if answers[item])
    return Decimal(present) * MAX_SCORE / len(items)


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
        *(f"sub-indicator {key}" for key in given.sub_indicator_scores if key not in subs),
        *(f"indicator {key}" for key in given.indicator_scores if key not in indicators),
        *(f"instrument {key}" for key in given.instrument_scores if key not in instruments),
    ]
    if unknown:
        raise ValueError(f"not part of this instrument version: {', '.join(unknown)}")


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

    for instrument in spec.instruments:
        for indicator in instrument.indicators:
            if indicator.sub_indicators:
                for sub in indicator.sub_indicators:
                    sub_figures[sub.key] = settle(
                        "sub_indicator",
                        sub.key,
                        _item_share(sub.items, given.item_answers),
                        given.sub_indicator_scores.get(sub.key),
                    )
                below = [sub_figures[sub.key].value for sub in indicator.sub_indicators]
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
            None if known is None else mean(known),
            given.instrument_scores.get(instrument.code),
        )
        instrument_figures[instrument.code] = figure
        weighted[instrument.code] = (
            None if figure.value is None else instrument.weight * figure.value
        )

    terms = _all_known(list(weighted.values()))
    total = settle("total", "total", None if terms is None else sum(terms, Decimal(0)), given.total)

    grade = None if total.value is None else grade_for(total.value, spec.grade_bands)
    official_grade = given.grade.strip() if given.grade and given.grade.strip() else None
    if official_grade is None and total.official is not None:
        official_grade = grade_for(total.official, spec.grade_bands)
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


def required_sample(population: int) -> int:
    """Return the NACC minimum number of IIT/EIT respondents for a population."""
    if population < 0:
        raise ValueError(f"population cannot be negative: {population}")
    if population < 30:
        return population
    if population > 1000:
        return 100
    ten_percent = -(-population // 10)  # integer ceiling, no float rounding
    return min(population, max(30, ten_percent))


@dataclass(frozen=True)
class SampleStatus:
    required: int | None
    respondents: int | None
    population: int | None
    sufficient: bool | None
    shortfall: int


def sample_status(respondents: int | None, population: int | None) -> SampleStatus:
    """Say whether the respondents meet the required sample; unknown if either count is missing."""
    required = None if population is None else required_sample(population)
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
        indicators = len(instrument.indicators)
        for indicator in instrument.indicators:
            if code in indicator.questions:
                return instrument.weight / (indicators * len(indicator.questions)), False
            subs = len(indicator.sub_indicators)
            for sub in indicator.sub_indicators:
                if code in sub.items:
                    return instrument.weight * MAX_SCORE / (
                        indicators * subs * len(sub.items)
                    ), True
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
    per_instrument: dict[str, Decimal | None]


@_in_own_context
def gaps_to_grades(spec: VersionSpec, result: Result) -> list[Gap]:
    """Return what it takes to reach the next grade up and the top grade; empty at the top."""
    if result.total.value is None:
        return []
    total = result.total.value
    ordered = _sorted_bands(spec.grade_bands)
    following = next_band(total, ordered)
    if following is None:
        return []
    targets = [following] if following == ordered[-1] else [following, ordered[-1]]

    gaps = []
    for band in targets:
        threshold = band.lower - _HALF_CENT
        per_instrument: dict[str, Decimal | None] = {}
        for instrument in spec.instruments:
            value = result.instruments[instrument.code].value
            rise = None
            if value is not None and instrument.weight > 0:
                rise = _rise_to_reach(threshold, total, instrument.weight)
                if value + rise > MAX_SCORE:
                    rise = None
            per_instrument[instrument.code] = rise
        gaps.append(
            Gap(
                target=band.grade,
                # Equal to the smallest whole-cent rise of the unrounded total that gets there.
                points_needed_on_total=band.lower - round2(total),
                per_instrument=per_instrument,
            )
        )
    return gaps


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

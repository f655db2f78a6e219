"""Reads across years and agencies: an agency's history, indicator changes, a ministry's ranking.

Like assessments.selectors, each runs a fixed number of queries whatever the number of years or
agencies: the assessments, their versions' rows and their scores, one query per table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Agency
from assessments import scoring
from assessments.models import Assessment
from assessments.selectors import assessment_results

# --- Across years and agencies --------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    assessment: Assessment
    fiscal_year: int
    # The official total and grade (as published, else as computed), and where the total is from.
    total: Decimal | None
    total_source: scoring.Source
    grade: str | None
    rank: int | None
    rank_of: int | None
    ministry_rank: int | None
    ministry_rank_of: int | None
    indicators: dict[int, Decimal | None]
    indicator_names: dict[int, tuple[str, str]]
    # The year's grade bands, (grade, lowest total) from the top, and pass mark.
    bands: tuple[tuple[str, Decimal], ...]
    pass_mark: Decimal


def agency_history(agency: Agency, *, up_to: int | None = None) -> list[HistoryRow]:
    """List an agency's totals, grades and ranks by year, ascending (eleven queries).

    With up_to, only that fiscal year and earlier ones.
    """
    assessments = Assessment.objects.official().filter(agency=agency)
    if up_to is not None:
        assessments = assessments.filter(fiscal_year__lte=up_to)
    return assessment_rows(assessments.order_by("fiscal_year"))


def assessment_rows(queryset) -> list[HistoryRow]:
    """Summarise each assessment of a queryset, in its order (eleven queries for any number)."""
    assessments = list(queryset.select_related("agency", "version"))
    versions, results = assessment_results(assessments)
    rows = []
    for a in assessments:
        result = results[a.pk][1]
        data = versions[a.version_id]
        names = {i.number: (i.name_th, i.name_en) for i in data.indicators}
        rows.append(
            HistoryRow(
                assessment=a,
                fiscal_year=a.fiscal_year,
                total=result.total.official,
                total_source="reported"
                if result.total.reported is not None
                else result.total.source,
                grade=result.official_grade,
                rank=a.rank,
                rank_of=a.rank_of,
                ministry_rank=a.ministry_rank,
                ministry_rank_of=a.ministry_rank_of,
                indicators={n: f.display for n, f in result.indicators.items()},
                indicator_names=names,
                bands=tuple((band.grade, band.lower) for band in data.grade_bands),
                pass_mark=data.version.pass_mark,
            )
        )
    return rows


def total_changes(history: list[HistoryRow]) -> list[tuple[HistoryRow, Decimal | None]]:
    """Pair each year with its total's change from the year before (None unless both known)."""
    pairs = []
    for previous, row in zip([None, *history], history, strict=False):
        before = None if previous is None else previous.total
        change = None if before is None or row.total is None else row.total - before
        pairs.append((row, change))
    return pairs


@dataclass(frozen=True)
class IndicatorChangeRow:
    number: int
    name_th: str
    name_en: str
    before: Decimal | None
    after: Decimal | None

    @property
    def change(self) -> Decimal | None:
        """Return after minus before, or None unless both are known."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def indicator_changes(
    history: list[HistoryRow], year_from: int, year_to: int
) -> list[IndicatorChangeRow]:
    """Compare the indicators of two years of a history, matched by number (no queries)."""
    by_year = {row.fiscal_year: row for row in history}
    before, after = by_year.get(year_from), by_year.get(year_to)
    if before is None or after is None:
        return []
    # Names come from the later year's instrument, which the reader knows best.
    names = before.indicator_names | after.indicator_names
    numbers = sorted(set(before.indicators) | set(after.indicators))
    return [
        IndicatorChangeRow(
            number=n,
            name_th=names.get(n, ("", ""))[0],
            name_en=names.get(n, ("", ""))[1],
            before=before.indicators.get(n),
            after=after.indicators.get(n),
        )
        for n in numbers
    ]


@dataclass(frozen=True)
class PeerRow:
    agency: Agency
    total: Decimal | None
    grade: str | None
    position: int | None
    is_home: bool


def ministry_peers(agency: Agency, fiscal_year: int) -> list[PeerRow]:
    """Rank the agencies of an agency's ministry by their total in a year (eleven queries).

    Equal shown totals share a position; agencies without a total come last, unranked.
    """
    if agency.ministry:
        scope = Assessment.objects.official().filter(agency__ministry=agency.ministry)
    else:
        scope = Assessment.objects.official().filter(agency=agency)
    assessments = list(scope.filter(fiscal_year=fiscal_year).select_related("agency", "version"))
    _, results = assessment_results(assessments)
    figures = [(a, results[a.pk][1]) for a in assessments]
    figures.sort(
        key=lambda pair: (
            pair[1].total.official is None,
            -(pair[1].total.official or 0),
            pair[0].agency.name_th,
        )
    )
    rows: list[PeerRow] = []
    for index, (a, result) in enumerate(figures, start=1):
        total = result.total.official
        position = None
        if total is not None:
            tied = rows and rows[-1].total == total
            position = rows[-1].position if tied else index
        rows.append(
            PeerRow(
                agency=a.agency,
                total=total,
                grade=result.official_grade,
                position=position,
                is_home=a.agency_id == agency.pk,
            )
        )
    return rows

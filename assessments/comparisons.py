"""Reads across years and agencies: an agency's history, indicator changes, a ministry's ranking.

Like assessments.selectors, each runs a fixed number of queries whatever the number of years or
agencies: the assessments, their versions' rows and their scores, one query per table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import F, Q, Window
from django.db.models.functions import Collate, Rank

from accounts.models import Agency
from assessments import crosswalk, scoring
from assessments.models import Assessment, GradeBand, QuestionLink, QuestionScore
from assessments.selectors import assessment_results
from assessments.standings import results_store

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
    # The level row of the grade: its Thai label and the rule that gives it.
    level: GradeBand | None = None


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
                bands=tuple(
                    (band.grade, band.lower) for band in data.grade_bands if band.lower is not None
                ),
                pass_mark=data.version.pass_mark,
                level=data.level(result.official_grade),
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
    level: GradeBand | None = None


# How names compare when totals tie: by code point, as Python compares them, on either database
# (PostgreSQL's own collation would put Thai words by their consonants, skipping a leading vowel).
_CODE_POINT_ORDER = {"postgresql": "C", "sqlite": "BINARY"}


class Ranking:
    """The agencies of an agency's ministry ranked by their total in a year, read a page at a time.

    Equal totals share a position; agencies without a total come last, unranked; equal totals
    go by name. The database ranks the stored results (assessments.standings) and returns only
    the rows asked for, so a page of a ministry of 8,000 agencies builds 50 rows, not 8,000.
    A Paginator takes it as it takes a queryset (count and slices).
    """

    def __init__(self, agency: Agency, fiscal_year: int) -> None:
        self.agency = agency
        scope = Assessment.objects.official().filter(fiscal_year=fiscal_year)
        if agency.ministry:
            scope = scope.filter(agency__ministry=agency.ministry)
        else:
            scope = scope.filter(agency=agency)
        # The ranking reads stored results: compute the missing ones first (one query if none).
        results_store(list(scope.filter(stored_result__isnull=True).select_related("version")))
        name = Collate("agency__name_th", _CODE_POINT_ORDER.get(connection.vendor, "BINARY"))
        self._scope = scope.annotate(sort_name=name)
        total = F("stored_result__total").desc(nulls_last=True)
        self._ranked = self._scope.annotate(position=Window(Rank(), order_by=[total])).order_by(
            total, "sort_name", "pk"
        )

    def count(self) -> int:
        return self._scope.count()

    def __len__(self) -> int:
        return self.count()

    def home_index(self) -> int:
        """Return where (0-based) the agency stands in the ranking, or 0 if it is not in it."""
        home = (
            self._scope.filter(agency_id=self.agency.pk)
            .values_list("stored_result__total", "sort_name", "pk")
            .first()
        )
        if home is None:
            return 0
        # The rows ahead of it in the ranking's order: total (none last), name, id.
        total, name, pk = home
        same_total_ahead = Q(sort_name__lt=name) | Q(sort_name=name, pk__lt=pk)
        if total is None:
            ahead = Q(stored_result__total__isnull=False) | (
                Q(stored_result__total__isnull=True) & same_total_ahead
            )
        else:
            ahead = Q(stored_result__total__gt=total) | (
                Q(stored_result__total=total) & same_total_ahead
            )
        return self._scope.filter(ahead).count()

    def __getitem__(self, index: slice) -> list[PeerRow]:
        # The window is computed over the whole ministry before the page is cut: only the ids and
        # positions go through it, then the page's rows are read by id.
        page = list(self._ranked.values_list("pk", "position")[index])
        found = Assessment.objects.select_related("agency", "stored_result").in_bulk(
            [pk for pk, _ in page]
        )
        results = {pk: getattr(found[pk], "stored_result", None) for pk, _ in page}
        grades = {result.grade for result in results.values() if result and result.grade}
        levels = (
            {
                (band.version_id, band.grade): band
                for band in GradeBand.objects.filter(
                    version_id__in={found[pk].version_id for pk, _ in page}, grade__in=grades
                )
            }
            if grades
            else {}
        )
        rows = []
        for pk, position in page:
            a, result = found[pk], results[pk]
            total = result.total if result else None
            grade = result.grade if result else ""
            rows.append(
                PeerRow(
                    agency=a.agency,
                    total=total,
                    grade=grade or None,
                    position=position if total is not None else None,
                    is_home=a.agency_id == self.agency.pk,
                    level=levels.get((a.version_id, grade)),
                )
            )
        return rows


def ministry_peers(agency: Agency, fiscal_year: int) -> list[PeerRow]:
    """Rank the whole of an agency's ministry by their total in a year (four queries).

    The stored results missing are computed first (ten queries more and one insert, once).
    """
    return Ranking(agency, fiscal_year)[:]


@dataclass(frozen=True)
class TrendPoint:
    fiscal_year: int
    code: str
    score: Decimal | None
    # How this year's question relates to the one asked about (same, renumbered, merged, …).
    kind: str


def question_trend(agency: Agency, fiscal_year: int, code: str) -> list[TrendPoint]:
    """Follow one question across the years by the crosswalk, with the agency's scores (4 queries).

    Only the official results; a year whose assessment lacks the score shows it as unknown.
    """
    rows = QuestionLink.objects.select_related("earlier__version", "later__version")
    links = [
        crosswalk.Link(
            earlier=(row.earlier.version.fiscal_year, row.earlier.code),
            later=None if row.later_id is None else (row.later.version.fiscal_year, row.later.code),
            kind=row.kind,
        )
        for row in rows
    ]
    # A later year's question is described by the link that reaches it, an earlier one's by the
    # link that leaves it.
    arriving = {link.later: link.kind for link in links if link.later is not None}
    leaving = {link.earlier: link.kind for link in links if link.later is not None}
    line = crosswalk.lineage(links, (fiscal_year, code))
    assessments = {
        a.fiscal_year: a.pk
        for a in Assessment.objects.official().filter(agency=agency, fiscal_year__in=line)
    }
    scores = {
        (year, question_code): score
        for year, question_code, score in QuestionScore.objects.filter(
            assessment_id__in=assessments.values(), question__version__fiscal_year__in=line
        ).values_list("assessment__fiscal_year", "question__code", "score")
    }
    return [
        TrendPoint(
            fiscal_year=year,
            code=question_code,
            score=scores.get((year, question_code)),
            kind=(
                "asked"
                if year == fiscal_year
                else (arriving if year > fiscal_year else leaving).get((year, question_code))
                or QuestionLink.Kind.SAME
            ),
        )
        for year, codes in line.items()
        for question_code in codes
    ]

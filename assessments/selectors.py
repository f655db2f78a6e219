"""Reads for pages and reports: an assessment's figures, an agency's history, a ministry's ranking.

Every selector runs a fixed number of queries whatever the number of agencies, years or scores:
the versions' rows and the assessments' scores are each fetched in one query per table, then
`scoring.compute` does the arithmetic in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F

from accounts.models import Agency
from assessments import scoring
from assessments.models import (
    Assessment,
    GradeBand,
    Indicator,
    IndicatorScore,
    Instrument,
    InstrumentScore,
    InstrumentVersion,
    ItemAnswer,
    Question,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
)

# --- Version structure ----------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionData:
    """A version's rows, in display order, and the scoring spec built from them."""

    version: InstrumentVersion
    instruments: tuple[Instrument, ...]
    indicators: tuple[Indicator, ...]
    sub_indicators: tuple[SubIndicator, ...]
    questions: tuple[Question, ...]
    grade_bands: tuple[GradeBand, ...]
    spec: scoring.VersionSpec


def _build_spec(
    version: InstrumentVersion,
    instruments: list[Instrument],
    indicators: list[Indicator],
    subs: list[SubIndicator],
    questions: list[Question],
    bands: list[GradeBand],
) -> scoring.VersionSpec:
    question_codes: dict[int, list[str]] = defaultdict(list)
    item_codes: dict[int, list[str]] = defaultdict(list)
    for question in questions:
        if question.sub_indicator_id is None:
            question_codes[question.indicator_id].append(question.code)
        else:
            item_codes[question.sub_indicator_id].append(question.code)
    sub_specs: dict[int, list[scoring.SubIndicatorSpec]] = defaultdict(list)
    for sub in subs:
        sub_specs[sub.indicator_id].append(
            scoring.SubIndicatorSpec(key=sub.key, items=tuple(item_codes[sub.pk]))
        )
    indicator_specs: dict[int, list[scoring.IndicatorSpec]] = defaultdict(list)
    for indicator in indicators:
        indicator_specs[indicator.instrument_id].append(
            scoring.IndicatorSpec(
                number=indicator.number,
                questions=tuple(question_codes[indicator.pk]),
                sub_indicators=tuple(sub_specs[indicator.pk]),
            )
        )
    return scoring.VersionSpec(
        instruments=tuple(
            scoring.InstrumentSpec(
                code=instrument.code,
                weight=instrument.weight,
                indicators=tuple(indicator_specs[instrument.pk]),
            )
            for instrument in instruments
        ),
        grade_bands=tuple(scoring.GradeBand(grade=b.grade, lower=b.lower) for b in bands),
        pass_mark=version.pass_mark,
    )


def _group(rows: Iterable, key: str) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def version_data_many(versions: Iterable[InstrumentVersion]) -> dict[int, VersionData]:
    """Load the rows of several versions in five queries, keyed by version id."""
    by_id = {version.pk: version for version in versions}
    ids = list(by_id)
    instruments = _group(
        Instrument.objects.filter(version_id__in=ids).order_by("order", "code"), "version_id"
    )
    indicators = _group(
        Indicator.objects.filter(version_id__in=ids).order_by("order", "number"), "version_id"
    )
    subs = _group(
        SubIndicator.objects.filter(indicator__version_id__in=ids)
        .annotate(version_id=F("indicator__version_id"))
        .order_by("indicator__order", "indicator__number", "order", "key"),
        "version_id",
    )
    questions = _group(
        Question.objects.filter(version_id__in=ids).order_by("order", "id"), "version_id"
    )
    bands = _group(GradeBand.objects.filter(version_id__in=ids).order_by("-lower"), "version_id")
    data = {}
    for pk, version in by_id.items():
        rows = (instruments[pk], indicators[pk], subs[pk], questions[pk], bands[pk])
        data[pk] = VersionData(version, *(tuple(r) for r in rows), spec=_build_spec(version, *rows))
    return data


def version_data(version: InstrumentVersion) -> VersionData:
    """Load one version's rows (five queries)."""
    return version_data_many([version])[version.pk]


def version_spec(version: InstrumentVersion) -> scoring.VersionSpec:
    """Build the scoring spec of a version from its rows (five queries)."""
    return version_data(version).spec


# --- Given scores ---------------------------------------------------------------------------------


def _given_many(
    assessments: list[Assessment], versions: dict[int, VersionData]
) -> dict[int, scoring.Given]:
    """Gather each assessment's known scores by code, in five queries for all of them."""
    ids = [a.pk for a in assessments]
    givens = {
        a.pk: scoring.Given(total=a.reported_total, grade=(a.reported_grade.strip() or None))
        for a in assessments
    }
    # Rows pointing into another version than the assessment's are not part of its instrument.
    lookups = {}
    for a in assessments:
        data = versions[a.version_id]
        lookups[a.pk] = (
            {q.pk: q.code for q in data.questions},
            {s.pk: s.key for s in data.sub_indicators},
            {i.pk: i.number for i in data.indicators},
            {i.pk: i.code for i in data.instruments},
        )
    for assessment_id, question_id, score in QuestionScore.objects.filter(
        assessment_id__in=ids
    ).values_list("assessment_id", "question_id", "score"):
        code = lookups[assessment_id][0].get(question_id)
        if code is not None:
            givens[assessment_id].question_scores[code] = score
    for assessment_id, question_id, present in ItemAnswer.objects.filter(
        assessment_id__in=ids
    ).values_list("assessment_id", "question_id", "present"):
        code = lookups[assessment_id][0].get(question_id)
        if code is not None:
            givens[assessment_id].item_answers[code] = present
    for model, field, position, target in (
        (SubIndicatorScore, "sub_indicator_id", 1, "sub_indicator_scores"),
        (IndicatorScore, "indicator_id", 2, "indicator_scores"),
        (InstrumentScore, "instrument_id", 3, "instrument_scores"),
    ):
        for assessment_id, object_id, score in model.objects.filter(
            assessment_id__in=ids
        ).values_list("assessment_id", field, "score"):
            key = lookups[assessment_id][position].get(object_id)
            if key is not None:
                getattr(givens[assessment_id], target)[key] = score
    return givens


def _split_items(given: scoring.Given, data: VersionData) -> None:
    # A score stored for an OIT item (or an answer for a question) is not the engine's input.
    items = {q.code for q in data.questions if q.kind == Question.Kind.ITEM}
    for code in [c for c in given.question_scores if c in items]:
        del given.question_scores[code]
    for code in [c for c in given.item_answers if c not in items]:
        del given.item_answers[code]


def _results_many(assessments: list[Assessment]) -> tuple[dict[int, VersionData], dict]:
    versions = version_data_many({a.version_id: a.version for a in assessments}.values())
    givens = _given_many(assessments, versions)
    results = {}
    for a in assessments:
        data = versions[a.version_id]
        _split_items(givens[a.pk], data)
        results[a.pk] = (givens[a.pk], scoring.compute(data.spec, givens[a.pk]))
    return versions, results


# --- One assessment -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstrumentRow:
    code: str
    name_th: str
    name_en: str
    weight: Decimal
    indicator_count: int
    question_count: int
    figure: scoring.Figure
    weighted: Decimal | None

    @property
    def weighted_display(self) -> Decimal | None:
        """Return the weighted value rounded as shown."""
        return None if self.weighted is None else scoring.round2(self.weighted)


@dataclass(frozen=True)
class IndicatorRow:
    number: int
    name_th: str
    name_en: str
    instrument_code: str
    question_count: int
    figure: scoring.Figure


@dataclass(frozen=True)
class SubIndicatorRow:
    key: str
    name_th: str
    name_en: str
    indicator_number: int
    item_count: int
    items_present: int | None
    figure: scoring.Figure


@dataclass(frozen=True)
class WeakQuestionRow:
    question_id: int
    code: str
    text_th: str
    text_en: str
    score: Decimal
    indicator_number: int
    indicator_name_th: str
    indicator_name_en: str
    instrument_code: str
    # Points the question needs to reach the pass mark itself.
    rise_to_pass: Decimal
    # The indicator's shown score, and the rise this question alone needs for the indicator to
    # reach the pass mark: 0.00 when it already does, None when it cannot (past 100) or is unknown.
    indicator_score: Decimal | None
    indicator_rise: Decimal | None

    @property
    def indicator_rise_to(self) -> Decimal | None:
        """Return the question's score once it has risen enough to lift its indicator."""
        return None if not self.indicator_rise else self.score + self.indicator_rise


@dataclass(frozen=True)
class AssessmentReport:
    assessment: Assessment
    agency: Agency
    version: InstrumentVersion
    spec: scoring.VersionSpec
    result: scoring.Result
    instruments: tuple[InstrumentRow, ...]
    indicators: tuple[IndicatorRow, ...]
    sub_indicators: tuple[SubIndicatorRow, ...]
    weak_questions: tuple[WeakQuestionRow, ...]
    sample: dict[str, scoring.SampleStatus]
    discrepancies: tuple[scoring.Discrepancy, ...]
    gaps: tuple[scoring.Gap, ...]
    highest_indicator: IndicatorRow | None
    lowest_indicator: IndicatorRow | None
    known_question_count: int
    question_count: int

    @property
    def total(self) -> scoring.Figure:
        return self.result.total

    @property
    def grade(self) -> str | None:
        return self.result.grade


def assessment_report(assessment: Assessment) -> AssessmentReport:
    """Gather every figure of one assessment as plain data (ten queries, whatever the data size).

    The caller passes an assessment fetched with select_related("agency", "version").
    """
    versions, results = _results_many([assessment])
    data = versions[assessment.version_id]
    given, result = results[assessment.pk]
    spec = data.spec

    questions_by_indicator: dict[int, list[Question]] = defaultdict(list)
    items_by_sub: dict[int, list[Question]] = defaultdict(list)
    for question in data.questions:
        questions_by_indicator[question.indicator_id].append(question)
        if question.sub_indicator_id is not None:
            items_by_sub[question.sub_indicator_id].append(question)
    instrument_codes = {i.pk: i.code for i in data.instruments}

    indicator_rows = tuple(
        IndicatorRow(
            number=indicator.number,
            name_th=indicator.name_th,
            name_en=indicator.name_en,
            instrument_code=instrument_codes[indicator.instrument_id],
            question_count=len(questions_by_indicator[indicator.pk]),
            figure=result.indicators[indicator.number],
        )
        for indicator in data.indicators
    )
    instrument_rows = tuple(
        InstrumentRow(
            code=instrument.code,
            name_th=instrument.name_th,
            name_en=instrument.name_en,
            weight=instrument.weight,
            indicator_count=sum(1 for r in indicator_rows if r.instrument_code == instrument.code),
            question_count=sum(
                r.question_count for r in indicator_rows if r.instrument_code == instrument.code
            ),
            figure=result.instruments[instrument.code],
            weighted=result.weighted[instrument.code],
        )
        for instrument in data.instruments
    )
    indicator_numbers = {i.pk: i.number for i in data.indicators}
    sub_rows = []
    for sub in data.sub_indicators:
        items = items_by_sub[sub.pk]
        answered = [given.item_answers.get(q.code) for q in items]
        sub_rows.append(
            SubIndicatorRow(
                key=sub.key,
                name_th=sub.name_th,
                name_en=sub.name_en,
                indicator_number=indicator_numbers[sub.indicator_id],
                item_count=len(items),
                items_present=(
                    None if not items or None in answered else sum(1 for a in answered if a)
                ),
                figure=result.sub_indicators[sub.key],
            )
        )

    gaps = tuple(scoring.gaps_to_grades(spec, result))
    by_code = {q.code: q for q in data.questions}
    indicators_by_pk = {i.pk: i for i in data.indicators}
    weak_rows = []
    pass_mark = data.version.pass_mark
    for code, score in scoring.weak_questions(given.question_scores, pass_mark):
        question = by_code[code]
        indicator = indicators_by_pk[question.indicator_id]
        weak_rows.append(
            WeakQuestionRow(
                question_id=question.pk,
                code=code,
                text_th=question.text_th,
                text_en=question.text_en,
                score=score,
                indicator_number=indicator.number,
                indicator_name_th=indicator.name_th,
                indicator_name_en=indicator.name_en,
                instrument_code=instrument_codes[indicator.instrument_id],
                rise_to_pass=pass_mark - score,
                indicator_score=result.indicators[indicator.number].display,
                indicator_rise=scoring.indicator_gap(spec, result, code, score, pass_mark),
            )
        )

    known = [row for row in indicator_rows if row.figure.value is not None]
    highest = max(known, key=lambda row: (row.figure.value, -row.number), default=None)
    lowest = min(known, key=lambda row: (row.figure.value, row.number), default=None)
    return AssessmentReport(
        assessment=assessment,
        agency=assessment.agency,
        version=data.version,
        spec=spec,
        result=result,
        instruments=instrument_rows,
        indicators=indicator_rows,
        sub_indicators=tuple(sub_rows),
        weak_questions=tuple(weak_rows),
        sample={
            "IIT": scoring.sample_status(assessment.iit_respondents, assessment.iit_population),
            "EIT": scoring.sample_status(assessment.eit_respondents, assessment.eit_population),
        },
        discrepancies=result.discrepancies,
        gaps=gaps,
        highest_indicator=highest,
        lowest_indicator=lowest,
        known_question_count=len(given.question_scores),
        question_count=sum(1 for q in data.questions if q.kind == Question.Kind.QUESTION),
    )


# --- Across years and agencies --------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    assessment: Assessment
    fiscal_year: int
    total: Decimal | None
    total_source: scoring.Source
    grade: str | None
    rank: int | None
    rank_of: int | None
    ministry_rank: int | None
    ministry_rank_of: int | None
    indicators: dict[int, Decimal | None]
    indicator_names: dict[int, tuple[str, str]]


def agency_history(agency: Agency) -> list[HistoryRow]:
    """List an agency's totals, grades and ranks by year, ascending (eleven queries)."""
    return assessment_rows(Assessment.objects.filter(agency=agency).order_by("fiscal_year"))


def assessment_rows(queryset) -> list[HistoryRow]:
    """Summarise each assessment of a queryset, in its order (eleven queries for any number)."""
    assessments = list(queryset.select_related("agency", "version"))
    versions, results = _results_many(assessments)
    rows = []
    for a in assessments:
        result = results[a.pk][1]
        names = {i.number: (i.name_th, i.name_en) for i in versions[a.version_id].indicators}
        rows.append(
            HistoryRow(
                assessment=a,
                fiscal_year=a.fiscal_year,
                total=result.total.display,
                total_source=result.total.source,
                grade=result.grade,
                rank=a.rank,
                rank_of=a.rank_of,
                ministry_rank=a.ministry_rank,
                ministry_rank_of=a.ministry_rank_of,
                indicators={n: f.display for n, f in result.indicators.items()},
                indicator_names=names,
            )
        )
    return rows


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
        scope = Assessment.objects.filter(agency__ministry=agency.ministry)
    else:
        scope = Assessment.objects.filter(agency=agency)
    assessments = list(scope.filter(fiscal_year=fiscal_year).select_related("agency", "version"))
    _, results = _results_many(assessments)
    figures = [(a, results[a.pk][1]) for a in assessments]
    figures.sort(
        key=lambda pair: (
            pair[1].total.display is None,
            -(pair[1].total.display or 0),
            pair[0].agency.name_th,
        )
    )
    rows: list[PeerRow] = []
    for index, (a, result) in enumerate(figures, start=1):
        total = result.total.display
        position = None
        if total is not None:
            tied = rows and rows[-1].total == total
            position = rows[-1].position if tied else index
        rows.append(
            PeerRow(
                agency=a.agency,
                total=total,
                grade=result.grade,
                position=position,
                is_home=a.agency_id == agency.pk,
            )
        )
    return rows


@dataclass(frozen=True)
class MeasureLink:
    pk: int
    number: int
    title_th: str
    title_en: str
    plan_year: int


def measures_by_question(
    agency: Agency, version: InstrumentVersion
) -> dict[int, list[MeasureLink]]:
    """Map each question of a version to the agency's measures addressing it (one query)."""
    from measures.models import Measure  # measures builds on assessments, not the reverse

    links: dict[int, list[MeasureLink]] = defaultdict(list)
    rows = (
        Measure.objects.filter(plan__agency=agency, questions__version=version)
        .order_by("-plan__fiscal_year", "number")
        .values_list("questions", "pk", "number", "title_th", "title_en", "plan__fiscal_year")
    )
    for question_id, pk, number, title_th, title_en, year in rows:
        links[question_id].append(MeasureLink(pk, number, title_th, title_en, year))
    return links

"""Reads for pages and reports: the figures of assessments, and one assessment's report.

Every selector runs a fixed number of queries whatever the number of assessments or scores: the
versions' rows (assessments.versions) and the assessments' scores are each fetched in one query
per table, then `scoring.compute` does the arithmetic in Python. Reads across years and agencies
are in assessments.comparisons.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Agency
from assessments import scoring
from assessments.models import (
    Assessment,
    IndicatorScore,
    InstrumentScore,
    InstrumentVersion,
    ItemAnswer,
    Question,
    QuestionScore,
    SubIndicatorScore,
)
from assessments.versions import VersionData, sample_rule, version_data_many


def _sample(assessment: Assessment, data: VersionData) -> dict[str, scoring.SampleStatus]:
    # Each instrument's own rule; a version without IIT/EIT rows (a year known only by its total)
    # has no rule, so the required sample stays unknown.
    rules = {instrument.code: sample_rule(instrument) for instrument in data.instruments}
    counts = {
        "IIT": (assessment.iit_respondents, assessment.iit_population),
        "EIT": (assessment.eit_respondents, assessment.eit_population),
    }
    return {code: scoring.sample_status(*pair, rules.get(code)) for code, pair in counts.items()}


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


def assessment_results(assessments: list[Assessment]) -> tuple[dict[int, VersionData], dict]:
    """Compute several assessments, keyed by id: (their versions' rows, {id: (given, result)})."""
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
    versions, results = assessment_results([assessment])
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
        sample=_sample(assessment, data),
        discrepancies=result.discrepancies,
        gaps=gaps,
        highest_indicator=highest,
        lowest_indicator=lowest,
        known_question_count=len(given.question_scores),
        question_count=sum(1 for q in data.questions if q.kind == Question.Kind.QUESTION),
    )

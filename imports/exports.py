"""Write workbooks in the import format: a year's or an agency's scores, and a template."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext
from openpyxl import Workbook

from accounts.models import Agency
from assessments.models import (
    Assessment,
    IndicatorScore,
    InstrumentVersion,
    ItemAnswer,
    Question,
    QuestionScore,
)
from imports.cleaning import escape
from imports.format import (
    AGENCIES,
    INDICATOR_SCORES,
    OFFICIAL_RESULTS,
    OIT_ITEMS,
    QUESTION_SCORES,
    REFERENCE_TITLES,
    SHEETS,
)
from imports.lookups import CHUNK, RESULT_FIELDS, chunks

# --- Export and template --------------------------------------------------------------------------


def scores_export(
    *, fiscal_year: int | None = None, agency: Agency | None = None, lang: str = "th"
) -> bytes:
    """Write a year's scores, or an agency's history, as a workbook in the import format."""
    assessments = Assessment.objects.official().select_related("agency")
    if fiscal_year is not None:
        assessments = assessments.filter(fiscal_year=fiscal_year)
    if agency is not None:
        assessments = assessments.filter(agency=agency)
    assessments = assessments.order_by("agency__code", "fiscal_year")
    agencies: dict[int, Agency] = {}
    results = []
    for assessment in assessments:
        agencies[assessment.agency_id] = assessment.agency
        results.append(
            [
                assessment.fiscal_year,
                assessment.agency.code,
                assessment.reported_total,
                assessment.reported_grade or None,
                *(getattr(assessment, name) for name in RESULT_FIELDS[2:]),
            ]
        )
    ids = list(assessments.values_list("pk", flat=True))
    return write_workbook(
        {
            AGENCIES.key: (
                [a.code, a.name_th, a.name_en, a.abbreviation, a.ministry]
                for a in sorted(agencies.values(), key=lambda a: a.code)
            ),
            INDICATOR_SCORES.key: _export_rows(
                IndicatorScore, ids, "indicator__number", ("score",)
            ),
            QUESTION_SCORES.key: _export_rows(QuestionScore, ids, "question__code", ("score",)),
            OIT_ITEMS.key: _export_rows(
                ItemAnswer, ids, "question__code", ("present", "evidence_url", "note")
            ),
            OFFICIAL_RESULTS.key: results,
        },
        lang=lang,
    )


def _export_rows(
    model: type[models.Model], ids: list[int], code: str, fields: tuple[str, ...]
) -> Iterable[list]:
    order = code.replace("code", "order")
    for chunk in chunks(ids, 900):
        queryset = (
            model.objects.filter(assessment_id__in=chunk)
            .order_by("assessment__agency__code", "assessment__fiscal_year", order, "pk")
            .values_list("assessment__fiscal_year", "assessment__agency__code", code, *fields)
        )
        for row in queryset.iterator(chunk_size=CHUNK):
            # Yes/no as 1/0: the same in every language and read back as such.
            yield [*row[:3], *(int(v) if isinstance(v, bool) else v for v in row[3:])]


def template_build(
    *, version: InstrumentVersion, agencies: Iterable[Agency] = (), lang: str = "th"
) -> bytes:
    """Write an empty workbook for a year's version, with a row per code for each agency given."""
    indicators = list(version.indicators.order_by("order", "number"))
    questions = list(
        version.questions.select_related("indicator", "sub_indicator").order_by("order", "pk")
    )
    agencies = list(agencies)
    year = version.fiscal_year
    reference = [[gettext("code"), gettext("kind"), gettext("indicator"), gettext("text")]]
    reference += [[i.number, gettext("indicator"), i.number, i.name_th] for i in indicators]
    reference += [
        [
            q.code,
            q.get_kind_display(),
            q.sub_indicator.key if q.sub_indicator_id else q.indicator.number,
            q.text_th,
        ]
        for q in questions
    ]
    return write_workbook(
        {
            AGENCIES.key: [
                [a.code, a.name_th, a.name_en, a.abbreviation, a.ministry] for a in agencies
            ],
            INDICATOR_SCORES.key: [
                [year, a.code, i.number, None] for a in agencies for i in indicators
            ],
            QUESTION_SCORES.key: [
                [year, a.code, q.code, None]
                for a in agencies
                for q in questions
                if q.kind == Question.Kind.QUESTION
            ],
            OIT_ITEMS.key: [
                [year, a.code, q.code, None, None, None]
                for a in agencies
                for q in questions
                if q.kind == Question.Kind.ITEM
            ],
            OFFICIAL_RESULTS.key: [[year, a.code] for a in agencies],
        },
        lang=lang,
        reference=reference,
    )


# --- Writing --------------------------------------------------------------------------------------


def write_workbook(
    rows: dict[str, Iterable[Iterable[Any]]],
    *,
    lang: str = "th",
    reference: Iterable[Iterable[Any]] = (),
) -> bytes:
    """Write the five sheets (and an optional code reference sheet) as xlsx bytes."""
    workbook = Workbook(write_only=True)
    for spec in SHEETS:
        sheet = workbook.create_sheet(spec.title(lang))
        sheet.append([column.header(lang) for column in spec.columns])
        for row in rows.get(spec.key, ()):
            sheet.append([escape(value) for value in row])
    reference_rows = list(reference)
    if reference_rows:
        sheet = workbook.create_sheet(REFERENCE_TITLES[lang == "th"])
        for row in reference_rows:
            sheet.append([escape(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

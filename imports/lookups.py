"""Everything a workbook's rows are checked against, loaded a chunk of rows at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models

from accounts.models import Agency
from assessments.models import (
    Assessment,
    GradeBand,
    Indicator,
    IndicatorScore,
    InstrumentVersion,
    ItemAnswer,
    Question,
    QuestionScore,
)
from imports.format import INDICATOR_SCORES, OIT_ITEMS, QUESTION_SCORES

CHUNK = 2_000
RESULT_FIELDS = (
    "reported_total",
    "reported_grade",
    "rank",
    "rank_of",
    "ministry_rank",
    "ministry_rank_of",
    "iit_respondents",
    "iit_population",
    "eit_respondents",
    "eit_population",
)
# official results column → Assessment field
RESULT_COLUMNS = {"total": "reported_total", "grade": "reported_grade"} | {
    name: name for name in RESULT_FIELDS[2:]
}
PROVENANCE = ["batch", "source_sheet", "source_row"]
# score model → (its target column, the columns an import writes)
SCORE_MODELS: dict[type[models.Model], tuple[str, tuple[str, ...]]] = {
    IndicatorScore: ("indicator_id", ("score",)),
    QuestionScore: ("question_id", ("score",)),
    ItemAnswer: ("question_id", ("present", "evidence_url", "note")),
}
SHEET_MODELS = {
    INDICATOR_SCORES.key: IndicatorScore,
    QUESTION_SCORES.key: QuestionScore,
    OIT_ITEMS.key: ItemAnswer,
}

# --- Cached lookups -------------------------------------------------------------------------------


@dataclass
class _Version:
    version: InstrumentVersion
    indicators: dict[int, int]
    questions: dict[str, tuple[int, str]]
    grades: set[str]


@dataclass
class Resolved:
    """What writing a checked plan needs of the lookups: the years, agencies and versions."""

    years: list[int]
    agencies: dict[str, int]
    version_ids: dict[int, int]


class Lookups:
    """Everything rows are checked against, loaded as rows first name it: a few queries a chunk."""

    def resolved(self) -> Resolved:
        """Return what the writer needs, as plain data (it can be stored beside the upload)."""
        return Resolved(
            sorted(self.years),
            dict(self.agencies),
            {year: entry.version.pk for year, entry in self.versions.items()},
        )

    def __init__(self) -> None:
        self.years: set[int] = set()
        self.versions: dict[int, _Version] = {}
        self.agencies: dict[str, int] = {}
        self.assessments: dict[tuple[int, int], dict[str, Any]] = {}
        self._codes: set[str] = set()
        self._pairs: set[tuple[int, int]] = set()

    def load(self, years: set[int], codes: set[str]) -> None:
        """Load what the next rows name: versions of new years, new agencies, their assessments."""
        new_years = years - self.years
        if new_years:
            self.years |= new_years
            self._load_versions(new_years)
        new_codes = codes - self._codes
        if new_codes:
            self._codes |= new_codes
            for chunk in chunks(sorted(new_codes), 900):
                self.agencies.update(
                    (code.lower(), pk)
                    for code, pk in Agency.objects.filter(code__in=chunk).values_list("code", "pk")
                )
        pairs = {
            (agency_id, year)
            for agency_id in filter(None, map(self.agencies.get, codes))
            for year in years
        } - self._pairs
        if not pairs:
            return
        self._pairs |= pairs
        by_year: dict[int, list[int]] = defaultdict(list)
        for agency_id, year in pairs:
            by_year[year].append(agency_id)
        for year, agency_ids in by_year.items():
            for chunk in chunks(sorted(agency_ids), 900):
                for row in (
                    Assessment.objects.official()
                    .filter(fiscal_year=year, agency_id__in=chunk)
                    .values("pk", "agency_id", "fiscal_year", *RESULT_FIELDS)
                ):
                    self.assessments[(row["agency_id"], row["fiscal_year"])] = row

    def _load_versions(self, years: set[int]) -> None:
        found = {}
        for version in InstrumentVersion.objects.nacc().filter(fiscal_year__in=years):
            found[version.pk] = self.versions[version.fiscal_year] = _Version(
                version, {}, {}, set()
            )
        if not found:
            return
        for version_id, number, pk in Indicator.objects.filter(version__in=found).values_list(
            "version_id", "number", "pk"
        ):
            found[version_id].indicators[number] = pk
        for version_id, code, kind, pk in Question.objects.filter(version__in=found).values_list(
            "version_id", "code", "kind", "pk"
        ):
            found[version_id].questions[code.upper()] = (pk, kind)
        for version_id, grade in GradeBand.objects.filter(version__in=found).values_list(
            "version_id", "grade"
        ):
            found[version_id].grades.add(grade.upper())

    def scores_for(
        self, model: type[models.Model], assessment_ids: set[int], target_ids: set[int]
    ) -> dict[tuple[int, int], tuple]:
        """Return the stored rows of a few assessments and targets: (assessment, target) → row."""
        if not assessment_ids or not target_ids:
            return {}
        target, fields = SCORE_MODELS[model]
        queryset = model.objects.filter(
            assessment_id__in=assessment_ids, **{f"{target}__in": target_ids}
        ).values_list("pk", "assessment_id", target, *fields)
        return {(row[1], row[2]): (row[0], *row[3:]) for row in queryset}


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

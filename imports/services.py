"""Score import services: preview and commit a workbook, roll a batch back, export, template.

`scores_import` streams a workbook (imports/workbook.py) a chunk of rows at a time, checks
each chunk against the database with cached lookups, marks each row new, changed (old → new),
unchanged, skipped or an error, and, unless it is a dry run or anything is wrong, writes every
change in one transaction with bulk queries, each stored row pointing at its `ImportBatch`, sheet
and row. The audit trail (django-simple-history) receives one historical record per written row,
copied in the database from the rows just written, so `batch_rollback` can restore what a batch
replaced.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import Agency, User
from assessments.models import (
    Assessment,
    GradeBand,
    ImportBatch,
    Indicator,
    IndicatorScore,
    InstrumentVersion,
    ItemAnswer,
    Question,
    QuestionScore,
)
from imports.workbook import (
    AGENCIES,
    INDICATOR_SCORES,
    MAX_PROBLEMS,
    OFFICIAL_RESULTS,
    OIT_ITEMS,
    QUESTION_SCORES,
    Problem,
    Sheet,
    SheetSpec,
    WorkbookReader,
    WorkbookRefused,
    write_workbook,
)

logger = logging.getLogger(__name__)

NEW, CHANGED, UNCHANGED, SKIPPED, ERROR = "new", "changed", "unchanged", "skipped", "error"
STATUSES = (NEW, CHANGED, UNCHANGED, SKIPPED, ERROR)
# The report keeps this many rows of detail for the preview page; callers wanting every row
# (the management command) pass on_row.
ROWS_KEPT = 2_000
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
_url = URLValidator()


@dataclass(slots=True)
class RowReport:
    sheet: str
    row: int
    status: str
    key: str
    old: str = ""
    new: str = ""
    message: str = ""


@dataclass
class ImportReport:
    file_name: str
    sha256: str
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    rows: list[RowReport] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    sheet_counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    batch: ImportBatch | None = None
    earlier_batches: list[ImportBatch] = field(default_factory=list)
    row_count: int = 0

    @property
    def refused(self) -> bool:
        """Tell whether the file was refused (it changes nothing)."""
        return bool(self.problems)

    @property
    def changes(self) -> int:
        """Return how many rows would add or change something."""
        return self.counts[NEW] + self.counts[CHANGED]

    @property
    def rows_truncated(self) -> bool:
        """Tell whether the report holds fewer rows than the file had."""
        return sum(self.counts.values()) > len(self.rows)


class ImportRefused(Exception):
    """A refused import; the report says why."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("; ".join(str(problem) for problem in report.problems[:5]))
        self.report = report


def _fmt(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)


def _label(name: str) -> str:
    return str(Assessment._meta.get_field(name).verbose_name)


# --- Cached lookups -------------------------------------------------------------------------------


@dataclass
class _Version:
    version: InstrumentVersion
    indicators: dict[int, int]
    questions: dict[str, tuple[int, str]]
    grades: set[str]


class _Lookups:
    """Everything rows are checked against, loaded as rows first name it: a few queries a chunk."""

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
            for chunk in _chunks(sorted(new_codes), 900):
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
            for chunk in _chunks(sorted(agency_ids), 900):
                for row in Assessment.objects.filter(fiscal_year=year, agency_id__in=chunk).values(
                    "pk", "agency_id", "fiscal_year", *RESULT_FIELDS
                ):
                    self.assessments[(row["agency_id"], row["fiscal_year"])] = row

    def _load_versions(self, years: set[int]) -> None:
        found = {}
        for version in InstrumentVersion.objects.filter(fiscal_year__in=years):
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


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Planning -------------------------------------------------------------------------------------


@dataclass
class _Plan:
    new_agencies: dict[str, tuple[dict[str, str], str, int]] = field(default_factory=dict)
    # (agency code, year) → (sheet, row) of the first row needing the assessment
    new_assessments: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)
    # one shared key tuple per new assessment, however many rows refer to it
    new_assessments_keys: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)
    result_updates: list[tuple[tuple[str, int], dict[str, Any], str, int]] = field(
        default_factory=list
    )
    # model → rows to insert: (assessment id or new assessment's key, target id, row, *values)
    creates: defaultdict[type[models.Model], list[tuple]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # model → rows to update: (stored pk, row, *values)
    updates: defaultdict[type[models.Model], list[tuple]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # model → the title of the sheet its rows come from
    titles: dict[type[models.Model], str] = field(default_factory=dict)


class _Planner:
    def __init__(
        self,
        reader: WorkbookReader,
        report: ImportReport,
        on_row: Callable[[RowReport], None] | None,
    ) -> None:
        self.reader = reader
        self.lookups = _Lookups()
        self.report = report
        self.on_row = on_row
        self.plan = _Plan()
        self.problems: list[Problem] = []
        self.existing: dict[tuple[int, int], tuple] = {}
        self.sheet: Sheet | None = None
        # how many of the reader's problems have been recorded as rows
        self.recorded = 0

    @property
    def detailed(self) -> bool:
        """Tell whether the next row's old and new values are wanted (formatting costs time)."""
        return self.on_row is not None or len(self.report.rows) < ROWS_KEPT

    def record(
        self,
        sheet: str,
        row: int,
        status: str,
        key: tuple,
        old: Any = (),
        new: Any = (),
        message="",
    ) -> None:
        report = self.report
        report.counts[status] += 1
        report.sheet_counts[sheet][status] += 1
        if not self.detailed:
            return
        entry = RowReport(
            sheet,
            row,
            status,
            " · ".join(map(str, key)),
            old if isinstance(old, str) else " · ".join(map(_fmt, old)),
            new if isinstance(new, str) else " · ".join(map(_fmt, new)),
            message,
        )
        if len(report.rows) < ROWS_KEPT:
            report.rows.append(entry)
        if self.on_row is not None:
            self.on_row(entry)

    def fail(
        self,
        spec: SheetSpec,
        title: str,
        number: int,
        key: tuple,
        column: str,
        code: str,
        template: Any,
        /,
        **params: Any,
    ) -> None:
        labels = self.sheet.labels if self.sheet is not None else {}
        problem = Problem(
            code, template, params, self.reader.file_name, title, number, labels.get(column, column)
        )
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        self.record(title, number, ERROR, key, message=problem.reason)

    def run(self) -> _Plan:
        for sheet in self.reader.sheets():
            self.sheet = sheet
            spec = sheet.spec
            handler = getattr(self, f"_{spec.key}")
            model = SHEET_MODELS.get(spec.key)
            if model is not None:
                self.plan.titles[model] = sheet.title
            rows = sheet.rows()
            # A chunk of rows at a time: what they name is looked up together, and a national
            # file never sits in memory whole.
            while chunk := list(islice(rows, CHUNK)):
                self._record_read_problems()
                self._load(spec, model, [values for _number, values in chunk if values])
                for number, values in chunk:
                    if values is None:
                        self.record(sheet.title, number, SKIPPED, ())
                    else:
                        handler(spec, sheet.title, number, values)
            self._record_read_problems()
        self.sheet = None
        return self.plan

    def _record_read_problems(self) -> None:
        # Rows whose cells could not be read are reported beside the others, in one preview.
        problems = self.reader.problems
        for problem in problems[self.recorded :]:
            if problem.row is not None and problem.row > 1:
                self.record(problem.sheet, problem.row, ERROR, (), message=problem.reason)
        self.recorded = len(problems)

    def _load(self, spec: SheetSpec, model: type[models.Model] | None, rows: list[tuple]) -> None:
        lookups = self.lookups
        if spec is AGENCIES:
            lookups.load(set(), {values[0] for values in rows})
            return
        lookups.load({values[0] for values in rows}, {values[1] for values in rows})
        if model is None:
            return
        # Stored rows are fetched a chunk at a time: a national file never holds every stored
        # score in memory beside its own rows.
        assessment_ids: set[int] = set()
        target_ids: set[int] = set()
        for values in rows:
            year, code, target = values[0], values[1], values[2]
            version = lookups.versions.get(year)
            existing = lookups.assessments.get((lookups.agencies.get(code), year))
            if version is None or existing is None:
                continue
            assessment_ids.add(existing["pk"])
            if model is IndicatorScore:
                target_id = version.indicators.get(target)
            else:
                target_id = version.questions.get(target, (None,))[0]
            if target_id is not None:
                target_ids.add(target_id)
        self.existing = lookups.scores_for(model, assessment_ids, target_ids)

    def _agencies(self, spec, title, number, values) -> None:
        code, name_th, name_en, abbreviation, ministry = values
        key = (code,)
        if code in self.lookups.agencies:
            self.record(title, number, UNCHANGED, key)
        elif not re.fullmatch(r"[-a-z0-9_]{1,40}", code):
            self.fail(
                spec,
                title,
                number,
                code,
                "agency_code",
                "bad_agency_code",
                _("“%(code)s” is not a valid agency code (letters a–z, digits, - and _)."),
                code=code,
            )
        elif not name_th:
            self.fail(
                spec,
                title,
                number,
                code,
                "name_th",
                "new_agency_needs_name",
                _("“%(code)s” is a new agency; give its Thai name."),
                code=code,
            )
        else:
            fields = {
                "name_th": name_th,
                "name_en": name_en or "",
                "abbreviation": abbreviation or "",
                "ministry": ministry or "",
            }
            self.plan.new_agencies[code] = (fields, title, number)
            self.record(title, number, NEW, key, new=name_th)

    def _assessment(self, spec, title, number, year: int, code: str, key: tuple):
        """Return (version entry, agency id or None, existing assessment or None), or None."""
        version = self.lookups.versions.get(year)
        if version is None:
            self.fail(
                spec,
                title,
                number,
                key,
                "fiscal_year",
                "no_version",
                _("there is no instrument version for the fiscal year %(year)s; create it first."),
                year=year,
            )
            return None
        agency_id = self.lookups.agencies.get(code)
        if agency_id is None and code not in self.plan.new_agencies:
            self.fail(
                spec,
                title,
                number,
                key,
                "agency_code",
                "unknown_agency",
                _(
                    "the agency “%(code)s” is not in the portal; add it to the agencies sheet "
                    "with its Thai name."
                ),
                code=code,
            )
            return None
        existing = None if agency_id is None else self.lookups.assessments.get((agency_id, year))
        if existing is None:
            self.plan.new_assessments.setdefault((code, year), (title, number))
        return version, agency_id, existing

    def _score_row(self, model, spec, title, number, values, target_id, key) -> None:
        year, code = values[0], values[1]
        found = self._assessment(spec, title, number, year, code, key)
        if found is None:
            return
        _version, agency_id, existing_assessment = found
        # A score sheet's columns are the year, the agency, the target, then the model's fields.
        new_values = values[3:]
        if existing_assessment is None:
            akey = self.plan.new_assessments_keys.setdefault((code, year), (code, year))
            self.plan.creates[model].append((akey, target_id, number, *new_values))
            self.record(title, number, NEW, key, new=new_values)
            return
        assessment_id = existing_assessment["pk"]
        current = self.existing.get((assessment_id, target_id))
        if current is None:
            self.plan.creates[model].append((assessment_id, target_id, number, *new_values))
            self.record(title, number, NEW, key, new=new_values)
            return
        # A column the file leaves out (None) keeps the stored value.
        merged = tuple(
            old if new is None else new for old, new in zip(current[1:], new_values, strict=True)
        )
        if merged == current[1:]:
            self.record(title, number, UNCHANGED, key, old=current[1:])
            return
        self.plan.updates[model].append((current[0], number, *merged))
        self.record(title, number, CHANGED, key, old=current[1:], new=merged)

    def _indicator_scores(self, spec, title, number, values) -> None:
        year, code, indicator, _score = values
        key = (code, year, indicator)
        version = self.lookups.versions.get(year)
        target = None if version is None else version.indicators.get(indicator)
        if version is not None and target is None:
            self.fail(
                spec,
                title,
                number,
                key,
                "indicator",
                "unknown_indicator",
                _("the %(year)s instrument has no indicator %(number)s."),
                year=year,
                number=indicator,
            )
            return
        self._score_row(IndicatorScore, spec, title, number, values, target, key)

    def _question(self, spec, title, number, values, column: str, kind: str):
        year, code, question = values[0], values[1], values[2]
        key = (code, year, question)
        version = self.lookups.versions.get(year)
        if version is None:
            return key, None
        found = version.questions.get(question)
        if found is None or found[1] != kind:
            template = (
                _("the %(year)s instrument has no question %(code)s (IIT/EIT questions only).")
                if kind == Question.Kind.QUESTION
                else _("the %(year)s instrument has no OIT item %(code)s.")
            )
            self.fail(
                spec,
                title,
                number,
                key,
                column,
                "unknown_question",
                template,
                year=year,
                code=question,
            )
            return key, False
        return key, found[0]

    def _question_scores(self, spec, title, number, values) -> None:
        key, target = self._question(
            spec, title, number, values, "question", Question.Kind.QUESTION
        )
        if target is False:
            return
        self._score_row(QuestionScore, spec, title, number, values, target, key)

    def _oit_items(self, spec, title, number, values) -> None:
        key, target = self._question(spec, title, number, values, "item", Question.Kind.ITEM)
        if target is False:
            return
        url = values[spec.index("evidence_url")]
        if url:
            try:
                if len(url) > 500:
                    raise ValidationError("too long", code="max_length")
                _url(url)
            except ValidationError:
                self.fail(
                    spec,
                    title,
                    number,
                    key,
                    "evidence_url",
                    "bad_url",
                    _(
                        "“%(url)s” is not a web address (http:// or https://, "
                        "500 characters at most)."
                    ),
                    url=url[:60],
                )
                return
        self._score_row(ItemAnswer, spec, title, number, values, target, key)

    def _official_results(self, spec, title, number, values) -> None:
        year, code = values[0], values[1]
        key = (code, year)
        given = {
            RESULT_COLUMNS[column.key]: values[index]
            for index, column in enumerate(spec.columns[2:], start=2)
            if values[index] is not None and values[index] != ""
        }
        if not given:
            self.record(title, number, SKIPPED, key)
            return
        found = self._assessment(spec, title, number, year, code, key)
        if found is None:
            return
        version, _agency_id, existing = found
        grade = given.get("reported_grade")
        if grade and grade not in version.grades:
            self.fail(
                spec,
                title,
                number,
                key,
                "grade",
                "unknown_grade",
                _("“%(grade)s” is not a grade of the %(year)s instrument (%(grades)s)."),
                grade=grade,
                year=year,
                grades=", ".join(sorted(version.grades)),
            )
            return
        current = dict.fromkeys(RESULT_FIELDS) | {"reported_grade": ""}
        if existing is not None:
            current = {name: existing[name] for name in RESULT_FIELDS}
        merged = current | given
        for rank, of, column in (
            ("rank", "rank_of", "rank"),
            ("ministry_rank", "ministry_rank_of", "ministry_rank"),
        ):
            if merged[rank] is not None and merged[of] is not None and merged[rank] > merged[of]:
                self.fail(
                    spec,
                    title,
                    number,
                    key,
                    column,
                    "rank_over_count",
                    _("the rank %(rank)s is beyond the number of agencies ranked (%(of)s)."),
                    rank=merged[rank],
                    of=merged[of],
                )
                return
        changed = {name: value for name, value in given.items() if current[name] != value}
        if not changed and existing is not None:
            self.record(title, number, UNCHANGED, key)
            return
        akey = (code, year) if existing is None else existing["pk"]
        if changed:
            self.plan.result_updates.append((akey, changed, title, number))
        self.record(
            title,
            number,
            NEW if existing is None else CHANGED,
            key,
            old="; ".join(f"{_label(n)} {_fmt(current[n])}" for n in changed) if existing else "",
            new="; ".join(f"{_label(n)} {_fmt(changed[n])}" for n in changed),
        )


# --- Committing -----------------------------------------------------------------------------------


def _reason(batch: ImportBatch) -> str:
    return f"import #{batch.pk}"


def _commit(plan: _Plan, lookups: _Lookups, report: ImportReport, user: User | None) -> ImportBatch:
    now = timezone.now()
    years = sorted(lookups.years)
    batch = ImportBatch(
        file_name=report.file_name[:255],
        sha256=report.sha256,
        uploaded_by=user,
        fiscal_year=years[0] if len(years) == 1 else None,
        row_count=report.row_count,
        summary={},
    )
    batch.full_clean()
    batch.save()
    reason = _reason(batch)
    history = {"default_user": user, "default_change_reason": reason, "default_date": now}

    agencies = dict(lookups.agencies)
    created_agencies = []
    if plan.new_agencies:
        objs = [Agency(code=code, **fields) for code, (fields, _t, _n) in plan.new_agencies.items()]
        for obj in objs:
            obj.full_clean(validate_unique=False)
        for agency in Agency.objects.bulk_create(objs, batch_size=CHUNK):
            agencies[agency.code] = agency.pk
            created_agencies.append(agency.pk)

    assessment_ids: dict[tuple[str, int], int] = {}
    # Official results of a new assessment are written with it: one insert, one history record.
    new_results = {key: rest for key, *rest in plan.result_updates if isinstance(key, tuple)}
    if plan.new_assessments:
        objs = []
        for (code, year), (title, row) in plan.new_assessments.items():
            changed, title, row = new_results.get((code, year), ({}, title, row))
            objs.append(
                Assessment(
                    agency_id=agencies[code],
                    fiscal_year=year,
                    version=lookups.versions[year].version,
                    batch=batch,
                    source_sheet=title[:100],
                    source_row=row,
                    **changed,
                )
            )
        for chunk in _chunks(objs, CHUNK):
            bulk_create_with_history(chunk, Assessment, batch_size=CHUNK, **history)
        for key, obj in zip(plan.new_assessments, objs, strict=True):
            assessment_ids[key] = obj.pk

    def resolve(key: int | tuple[str, int]) -> int:
        return key if isinstance(key, int) else assessment_ids[key]

    updates = [entry for entry in plan.result_updates if isinstance(entry[0], int)]
    if updates:
        objs = Assessment.objects.in_bulk([key for key, *_rest in updates])
        fields: set[str] = set()
        for key, changed, title, row in updates:
            obj = objs[key]
            for name, value in changed.items():
                setattr(obj, name, value)
            fields.update(changed)
            obj.batch, obj.source_sheet, obj.source_row = batch, title[:100], row
            obj.updated_at = now
        bulk_update_with_history(
            list(objs.values()),
            Assessment,
            sorted(fields) + PROVENANCE + ["updated_at"],
            batch_size=CHUNK,
            **history,
        )

    for model, (target, fields) in SCORE_MODELS.items():
        title = plan.titles.get(model, "")[:100]
        creates = plan.creates.get(model, [])
        if creates:
            _insert_rows(
                model,
                ["assessment", target, *fields, *PROVENANCE],
                (
                    (resolve(akey), target_id, *_defaults(model, values), batch.pk, title, row)
                    for akey, target_id, row, *values in creates
                ),
            )
            # Nothing but this batch's inserts points at it yet: their audit trail in one query.
            _record_history(model, "+", history, batch_id=batch.pk)
        for chunk in _chunks(plan.updates.get(model, []), 900):
            _update_rows(
                model,
                [*fields, *PROVENANCE],
                [(pk, *values, batch.pk, title, row) for pk, row, *values in chunk],
            )
            _record_history(model, "~", history, ids=[entry[0] for entry in chunk])

    batch.summary = {
        "counts": {sheet: dict(counts) for sheet, counts in report.sheet_counts.items()},
        "created_agencies": created_agencies,
        "years": years,
    }
    batch.save(update_fields=["summary"])
    return batch


def _defaults(model: type[models.Model], values: list) -> list:
    # A new OIT answer whose evidence or note column is absent stores them empty.
    if model is ItemAnswer:
        present, url, note = values
        return [present, url or "", note or ""]
    return values


# A national file writes some 400,000 scores. Building a model instance for each row, and another
# for its audit-trail record, is what made bulk_create_with_history the slowest part of an import;
# these write the same rows from plain tuples. The rows hold values the drivers take as they are
# (int, str, bool, Decimal), checked by the planner as the model's constraints would be.


def _insert_rows(model: type[models.Model], names: list[str], rows: Iterable[tuple]) -> None:
    """Insert plain rows into a model's table, as many per statement as the database allows."""
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
    )
    size = min(CHUNK, connection.ops.bulk_batch_size(fields, [()] * CHUNK))
    placeholders = ["%s"] * len(fields)
    statements: dict[int, str] = {}
    with connection.cursor() as cursor:
        rows = iter(rows)
        while chunk := list(islice(rows, size)):
            sql = statements.get(len(chunk))
            if sql is None:
                sql = statements[len(chunk)] = head + connection.ops.bulk_insert_sql(
                    fields, [placeholders] * len(chunk)
                )
            cursor.execute(sql, [value for row in chunk for value in row])


def _update_rows(model: type[models.Model], names: list[str], rows: list[tuple]) -> None:
    """Set the named fields of stored rows: each row is its pk followed by its new values."""
    fields = [model._meta.pk, *(model._meta.get_field(name) for name in names)]
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    # A VALUES list names its columns column1, column2, … on SQLite (3.33+) and PostgreSQL alike.
    columns = ", ".join(
        f"{quote(field.column)} = v.column{number}" for number, field in enumerate(fields[1:], 2)
    )
    row = f"({', '.join(['%s'] * len(fields))})"
    size = min(CHUNK, connection.ops.bulk_batch_size(fields, [()] * CHUNK))
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, size):
            # One statement a chunk: on a database server, a statement a row is a round trip a row.
            sql = (
                f"UPDATE {table} SET {columns} "  # noqa: S608 (identifiers from the model's metadata)
                f"FROM (VALUES {', '.join([row] * len(chunk))}) AS v WHERE {table}.{pk} = v.column1"
            )
            cursor.execute(sql, [value for entry in chunk for value in entry])


def _record_history(
    model: type[models.Model],
    kind: str,
    history: dict[str, Any],
    *,
    batch_id: int | None = None,
    ids: list[int] | None = None,
) -> None:
    """Copy the rows of a batch, or of a few pks, into the model's audit trail, in the database."""
    historical = model.history.model
    quote = connection.ops.quote_name
    tracked = ", ".join(quote(field.column) for field in historical.tracked_fields)
    marks = ", ".join(
        quote(historical._meta.get_field(name).column)
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    )
    if ids is None:
        where, params = f"{quote(model._meta.get_field('batch').column)} = %s", [batch_id]
    else:
        where, params = f"{quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(ids))})", ids
    user = history["default_user"]
    # Identifiers come from the models' metadata, values go as parameters.
    sql = (
        f"INSERT INTO {quote(historical._meta.db_table)} ({tracked}, {marks}) "  # noqa: S608
        f"SELECT {tracked}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} WHERE {where}"
    )
    date = connection.ops.adapt_datetimefield_value(history["default_date"])
    reason = history["default_change_reason"]
    with connection.cursor() as cursor:
        cursor.execute(sql, [date, reason, kind, user.pk if user else None, *params])


# --- Services -------------------------------------------------------------------------------------


def _sha256(file: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    for block in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(block)
        size += len(block)
    file.seek(0)
    return digest.hexdigest(), size


def scores_import(
    *,
    file: IO[bytes],
    user: User | None,
    dry_run: bool,
    file_name: str | None = None,
    on_row: Callable[[RowReport], None] | None = None,
) -> ImportReport:
    """Check a score workbook row by row and, unless dry_run or refused, commit it all at once."""
    name = Path(file_name or getattr(file, "name", "") or "upload.xlsx").name
    sha256, size = _sha256(file)
    report = ImportReport(file_name=name, sha256=sha256, dry_run=dry_run)
    report.earlier_batches = list(
        ImportBatch.objects.filter(sha256=sha256, status=ImportBatch.Status.COMMITTED)
    )
    try:
        with WorkbookReader(file, file_name=name, size=size) as reader:
            planner = _Planner(reader, report, on_row)
            plan = planner.run()
            reader.finish()
    except WorkbookRefused as refused:
        # A file refused as a whole shows only why, not the rows read before.
        report.problems = refused.problems
        report.rows, report.counts, report.sheet_counts = [], Counter(), defaultdict(Counter)
        return report
    report.row_count = reader.row_count
    report.problems = reader.problems[:]
    report.problems += planner.problems[: max(0, MAX_PROBLEMS - len(report.problems))]
    if dry_run or report.problems or not report.changes:
        return report
    try:
        with transaction.atomic():
            report.batch = _commit(plan, planner.lookups, report, user)
    except (IntegrityError, ValidationError):
        logger.warning("import of %s failed at commit", name, exc_info=True)
        report.problems = [
            Problem(
                "changed_meanwhile",
                _(
                    "the portal's data changed while the file was being imported, or a value is "
                    "not allowed; nothing was stored. Preview the file again."
                ),
                file=name,
            )
        ]
    return report


@transaction.atomic
def batch_rollback(*, batch: ImportBatch, user: User | None) -> dict[str, int]:
    """Undo a committed batch: restore what it replaced and remove what it created."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.COMMITTED:
        raise ValidationError(_("This import has already been rolled back."), code="rolled_back")
    reason = _reason(batch)
    now = timezone.now()
    history = {
        "default_user": user,
        "default_change_reason": f"rollback of {reason}",
        "default_date": now,
    }
    counts: dict[str, int] = {}
    for model, (target, fields) in SCORE_MODELS.items():
        counts[model._meta.model_name] = _rollback_model(
            model, batch, reason, [target, *fields], history
        )
    counts["assessment"] = _rollback_model(Assessment, batch, reason, list(RESULT_FIELDS), history)
    removable = (
        Agency.objects.filter(pk__in=batch.summary.get("created_agencies", []))
        .filter(assessments__isnull=True, users__isnull=True, units__isnull=True)
        .distinct()
    )
    counts["agency"] = removable.count()
    removable.delete()
    batch.status = ImportBatch.Status.ROLLED_BACK
    batch.rolled_back_at = now
    batch.rolled_back_by = user
    batch.full_clean()
    batch.save()
    return counts


def _rollback_model(
    model: type[models.Model],
    batch: ImportBatch,
    reason: str,
    fields: list[str],
    history: dict[str, Any],
) -> int:
    historical = model.history.model
    ids = sorted(
        set(historical.objects.filter(history_change_reason=reason).values_list("id", flat=True))
    )
    restore: list[models.Model] = []
    delete: list[int] = []
    attnames = [model._meta.get_field(name).attname for name in [*fields, *PROVENANCE]]
    for chunk in _chunks(ids, 900):
        current = model.objects.in_bulk(chunk)
        before: dict[int, Any] = {}
        left: dict[int, Any] = {}
        for record in historical.objects.filter(id__in=chunk).order_by("id", "history_id"):
            if record.history_change_reason == reason:
                left[record.id] = record
            elif record.id not in left:
                before[record.id] = record
        # Only what the batch left may be undone: a later import or edit would be lost silently.
        changed = [
            pk
            for pk in chunk
            if pk not in current
            or any(getattr(current[pk], name) != getattr(left[pk], name) for name in attnames)
        ]
        if changed:
            raise ValidationError(
                _(
                    "%(count)s of the rows this import wrote were changed or removed later; undo "
                    "those changes (or roll back the later import) first."
                ),
                code="changed_later",
                params={"count": len(changed)},
            )
        for pk in chunk:
            previous = before.get(pk)
            if previous is None or previous.history_type == "-":
                delete.append(pk)
                continue
            obj = current[pk]
            for attname in attnames:
                setattr(obj, attname, getattr(previous, attname))
            restore.append(obj)
    for chunk in _chunks(restore, CHUNK):
        bulk_update_with_history(chunk, model, [*fields, *PROVENANCE], batch_size=CHUNK, **history)
    if delete and model is Assessment:
        _refuse_if_used(delete)
    for chunk in _chunks(delete, 900):
        for obj in model.objects.filter(pk__in=chunk):
            # Deleting one by one lets the audit trail record each removal with the reason.
            obj._change_reason = history["default_change_reason"]
            obj._history_user = history["default_user"]
            obj.delete()
    return len(ids)


def _refuse_if_used(assessment_ids: list[int]) -> None:
    for model in (QuestionScore, ItemAnswer, IndicatorScore):
        if model.objects.filter(assessment_id__in=assessment_ids).exists():
            raise ValidationError(
                _(
                    "Later imports or edits added scores to assessments this import created; "
                    "roll those back first."
                ),
                code="assessment_in_use",
            )


def batch_written(*, batch: ImportBatch, limit: int = 300) -> dict[str, Any]:
    """Return the rows that still point at a batch: counts, and the first few of each kind."""
    kinds = {
        "assessments": Assessment.objects.select_related("agency"),
        "indicator_scores": IndicatorScore.objects.select_related(
            "assessment__agency", "indicator"
        ),
        "question_scores": QuestionScore.objects.select_related("assessment__agency", "question"),
        "item_answers": ItemAnswer.objects.select_related("assessment__agency", "question"),
    }
    written: dict[str, Any] = {}
    for name, queryset in kinds.items():
        queryset = queryset.filter(batch=batch).order_by("source_row", "pk")
        written[name] = {"count": queryset.count(), "rows": list(queryset[:limit])}
    return written


# --- Export and template --------------------------------------------------------------------------


def scores_export(
    *, fiscal_year: int | None = None, agency: Agency | None = None, lang: str = "th"
) -> bytes:
    """Write a year's scores, or an agency's history, as a workbook in the import format."""
    assessments = Assessment.objects.select_related("agency")
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
    for chunk in _chunks(ids, 900):
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


PENDING_MAX_AGE = timedelta(days=1)


def pending_path(sha256: str) -> Path:
    """Return where an uploaded workbook waits between preview and confirmation."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError("not a SHA-256 digest")
    return Path(settings.MEDIA_ROOT) / "imports" / f"{sha256}.xlsx"


def pending_store(*, file: IO[bytes]) -> str:
    """Keep an upload under MEDIA_ROOT/imports/ named by its SHA-256; sweep stale ones."""
    sha256, _size = _sha256(file)
    path = pending_path(sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    cutoff = timezone.now().timestamp() - PENDING_MAX_AGE.total_seconds()
    for stale in path.parent.glob("*.xlsx"):
        if stale.stat().st_mtime < cutoff:
            stale.unlink(missing_ok=True)
    temporary = path.with_suffix(".part")
    with temporary.open("wb") as target:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            target.write(block)
    temporary.replace(path)
    return sha256


def pending_discard(*, sha256: str) -> None:
    """Remove a waiting upload (after its commit, or when it was refused)."""
    pending_path(sha256).unlink(missing_ok=True)

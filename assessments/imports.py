"""Score import services: preview and commit a workbook, roll a batch back, export, template.

`scores_import` reads a workbook (assessments/workbook.py), checks every row against the database
with a few cached lookups, marks each row new, changed (old → new), unchanged, skipped or an error,
and, unless it is a dry run or anything is wrong, writes every change in one transaction with bulk
queries, each stored row pointing at its `ImportBatch`, sheet and row. The audit trail
(django-simple-history) receives one historical record per written row, so `batch_rollback` can
restore what a batch replaced.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, models, transaction
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
from assessments.workbook import (
    AGENCIES,
    INDICATOR_SCORES,
    MAX_PROBLEMS,
    OFFICIAL_RESULTS,
    OIT_ITEMS,
    QUESTION_SCORES,
    SHEETS,
    ParsedWorkbook,
    Problem,
    SheetSpec,
    WorkbookRefused,
    read_workbook,
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
    """Everything the rows are checked against, loaded once per import in a few queries."""

    def __init__(self, parsed: ParsedWorkbook) -> None:
        years: set[int] = set()
        codes: set[str] = set()
        for sheet in parsed.sheets.values():
            if sheet.spec is AGENCIES:
                codes.update(values[0] for _number, values in sheet.rows)
                continue
            for _number, values in sheet.rows:
                years.add(values[0])
                codes.add(values[1])
        self.years = years
        self.versions: dict[int, _Version] = {}
        for version in InstrumentVersion.objects.filter(fiscal_year__in=years):
            self.versions[version.fiscal_year] = _Version(version, {}, {}, set())
        by_id = {entry.version.pk: entry for entry in self.versions.values()}
        for version_id, number, pk in Indicator.objects.filter(version__in=by_id).values_list(
            "version_id", "number", "pk"
        ):
            by_id[version_id].indicators[number] = pk
        for version_id, code, kind, pk in Question.objects.filter(version__in=by_id).values_list(
            "version_id", "code", "kind", "pk"
        ):
            by_id[version_id].questions[code.upper()] = (pk, kind)
        for version_id, grade in GradeBand.objects.filter(version__in=by_id).values_list(
            "version_id", "grade"
        ):
            by_id[version_id].grades.add(grade.upper())
        self.agencies: dict[str, int] = {}
        for chunk in _chunks(sorted(codes), 900):
            self.agencies.update(
                (code.lower(), pk)
                for code, pk in Agency.objects.filter(code__in=chunk).values_list("code", "pk")
            )
        agency_ids = set(self.agencies.values())
        self.assessments: dict[tuple[int, int], dict[str, Any]] = {}
        for row in (
            Assessment.objects.filter(fiscal_year__in=years)
            .values("pk", "agency_id", "fiscal_year", *RESULT_FIELDS)
            .iterator(chunk_size=CHUNK)
        ):
            if row["agency_id"] in agency_ids:
                self.assessments[(row["agency_id"], row["fiscal_year"])] = row

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
    # model → list of (assessment key or id, target id, values, sheet, row, existing pk or None)
    scores: dict[type[models.Model], list[tuple]] = field(default_factory=lambda: defaultdict(list))


class _Planner:
    def __init__(
        self,
        parsed: ParsedWorkbook,
        lookups: _Lookups,
        report: ImportReport,
        on_row: Callable[[RowReport], None] | None,
    ) -> None:
        self.parsed = parsed
        self.lookups = lookups
        self.report = report
        self.on_row = on_row
        self.plan = _Plan()
        self.existing: dict[tuple[int, int], tuple] = {}

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
        sheet = self.parsed.sheets[spec.key]
        problem = Problem(
            code,
            template,
            params,
            self.parsed.file_name,
            title,
            number,
            sheet.labels.get(column, column),
        )
        if len(self.report.problems) < MAX_PROBLEMS:
            self.report.problems.append(problem)
        self.record(title, number, ERROR, key, message=problem.reason)

    def run(self) -> _Plan:
        for spec in SHEETS:
            sheet = self.parsed.sheets.get(spec.key)
            if sheet is None:
                continue
            for number in sheet.skipped:
                self.record(sheet.title, number, SKIPPED, ())
            handler = getattr(self, f"_{spec.key}")
            model = SHEET_MODELS.get(spec.key)
            rows = sheet.rows
            for start in range(0, len(rows), CHUNK):
                if model is not None:
                    # Stored rows are fetched a chunk at a time: a national file never holds
                    # every stored score in memory beside its own rows.
                    self.existing = self._prefetch(model, rows[start : start + CHUNK])
                for index in range(start, min(start + CHUNK, len(rows))):
                    number, values = rows[index]
                    handler(spec, sheet.title, number, values)
                    # The plan keeps what it needs; freeing each row keeps the peak memory down.
                    rows[index] = None
            sheet.rows = []
        return self.plan

    def _prefetch(self, model: type[models.Model], rows: list) -> dict[tuple[int, int], tuple]:
        lookups = self.lookups
        assessment_ids: set[int] = set()
        target_ids: set[int] = set()
        for _number, values in rows:
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
        return lookups.scores_for(model, assessment_ids, target_ids)

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

    def _score_row(
        self, model, spec, title, number, values, target_id, fields: tuple[str, ...], key
    ) -> None:
        year, code = values[0], values[1]
        found = self._assessment(spec, title, number, year, code, key)
        if found is None:
            return
        _version, agency_id, existing_assessment = found
        new_values = tuple(values[spec.index(name)] for name in fields)
        if existing_assessment is None:
            akey = self.plan.new_assessments_keys.setdefault((code, year), (code, year))
            self.plan.scores[model].append((akey, target_id, new_values, title, number, None))
            self.record(title, number, NEW, key, new=new_values)
            return
        assessment_id = existing_assessment["pk"]
        current = self.existing.get((assessment_id, target_id))
        if current is None:
            self.plan.scores[model].append(
                (assessment_id, target_id, new_values, title, number, None)
            )
            self.record(title, number, NEW, key, new=new_values)
            return
        # A column the file leaves out (None) keeps the stored value.
        merged = tuple(
            old if new is None else new for old, new in zip(current[1:], new_values, strict=True)
        )
        if merged == current[1:]:
            self.record(title, number, UNCHANGED, key, old=current[1:])
            return
        self.plan.scores[model].append(
            (assessment_id, target_id, merged, title, number, current[0])
        )
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
        self._score_row(IndicatorScore, spec, title, number, values, target, ("score",), key)

    def _question(self, spec, title, number, values, column: str, kind: str):
        year, code = values[0], values[1]
        question = values[spec.index(column)]
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
        self._score_row(QuestionScore, spec, title, number, values, target, ("score",), key)

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
        fields = ("present", "evidence_url", "note")
        self._score_row(ItemAnswer, spec, title, number, values, target, fields, key)

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


def _commit(
    plan: _Plan, lookups: _Lookups, report: ImportReport, user: User | None, parsed: ParsedWorkbook
) -> ImportBatch:
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
        pending = plan.scores.get(model, [])
        creates = [entry for entry in pending if entry[5] is None]
        updates = [entry for entry in pending if entry[5] is not None]
        for chunk in _chunks(creates, CHUNK):
            objs = [
                model(
                    assessment_id=resolve(akey),
                    **{target: target_id},
                    **dict(zip(fields, _defaults(model, values), strict=True)),
                    batch=batch,
                    source_sheet=title[:100],
                    source_row=row,
                )
                for akey, target_id, values, title, row, _pk in chunk
            ]
            bulk_create_with_history(objs, model, batch_size=CHUNK, **history)
        for chunk in _chunks(updates, CHUNK):
            objs = [
                model(
                    pk=pk,
                    assessment_id=akey,
                    **{target: target_id},
                    **dict(zip(fields, values, strict=True)),
                    batch=batch,
                    source_sheet=title[:100],
                    source_row=row,
                )
                for akey, target_id, values, title, row, pk in chunk
            ]
            bulk_update_with_history(
                objs, model, [*fields, *PROVENANCE], batch_size=CHUNK, **history
            )

    batch.summary = {
        "counts": {sheet: dict(counts) for sheet, counts in report.sheet_counts.items()},
        "created_agencies": created_agencies,
        "years": years,
    }
    batch.save(update_fields=["summary"])
    return batch


def _defaults(model: type[models.Model], values: tuple) -> tuple:
    # A new OIT answer whose evidence or note column is absent stores them empty.
    if model is ItemAnswer:
        present, url, note = values
        return present, url or "", note or ""
    return values


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
        parsed = read_workbook(file, file_name=name, size=size)
    except WorkbookRefused as refused:
        report.problems = refused.problems
        return report
    report.row_count = parsed.row_count
    report.problems = list(parsed.problems)
    lookups = _Lookups(parsed)
    planner = _Planner(parsed, lookups, report, on_row)
    # Rows whose cells could not be read are reported beside the others, in one preview.
    for problem in parsed.problems:
        if problem.row is not None and problem.row > 1:
            planner.record(problem.sheet, problem.row, ERROR, (), message=problem.reason)
    plan = planner.run()
    if dry_run or report.problems or not report.changes:
        return report
    try:
        with transaction.atomic():
            report.batch = _commit(plan, lookups, report, user, parsed)
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

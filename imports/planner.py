"""Plan an import: check each row against the portal's data and decide what it changes.

Over 400 lines on purpose: one Planner, a handler per sheet sharing the row bookkeeping
(record, fail, the agency scope, the chunked lookups); split apart, each handler would need the
whole planner passed to it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Assessment,
    IndicatorScore,
    InstrumentScore,
    ItemAnswer,
    Question,
    QuestionScore,
    SubIndicatorScore,
)
from imports import messages
from imports.format import AGENCIES, SheetSpec
from imports.lookups import (
    CHUNK,
    RESULT_COLUMNS,
    RESULT_FIELDS,
    SHEET_MODELS,
    Lookups,
    Resolved,
    grade_key,
)
from imports.problems import MAX_PROBLEMS, Problem
from imports.report import CHANGED, ERROR, NEW, SKIPPED, UNCHANGED, ImportReport, RowReport
from imports.workbook import Sheet, WorkbookReader

# The report keeps this many rows of detail for the preview page; callers wanting every row
# (the management command) pass on_row.
ROWS_KEPT = 2_000

_url = URLValidator()
# The word for a part of the instrument, in "X is not a … of the 2567 instrument".
PART_NAMES = {"sub_indicator": _("sub-indicator"), "instrument": _("instrument")}


def _fmt(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)


def _label(name: str) -> str:
    return str(Assessment._meta.get_field(name).verbose_name)


# --- Planning -------------------------------------------------------------------------------------


@dataclass
class Plan:
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


@dataclass
class Checked:
    """A checked file's plan with what writing it needs: what the preview showed, to store."""

    plan: Plan
    resolved: Resolved
    codes: set[str]


class Planner:
    def __init__(
        self,
        reader: WorkbookReader,
        report: ImportReport,
        on_row: Callable[[RowReport], None] | None,
        scope: str | None = None,
    ) -> None:
        self.reader = reader
        # The one agency (its code) whose rows the importing user may write; None for any.
        self.scope = scope
        # The agencies the file's rows name (the batch belongs to the agency when there is one).
        self.codes: set[str] = set()
        self.lookups = Lookups()
        self.report = report
        self.on_row = on_row
        self.plan = Plan()
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

    def run(self) -> Plan:
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
            elif model is SubIndicatorScore:
                target_id = version.sub_indicators.get(target)
            elif model is InstrumentScore:
                target_id = version.instruments.get(target)
            else:
                target_id = version.questions.get(target, (None,))[0]
            if target_id is not None:
                target_ids.add(target_id)
        self.existing = lookups.scores_for(model, assessment_ids, target_ids)

    def _outside_scope(self, title: str, number: int, code: str, key: Any) -> bool:
        """Refuse a row of another agency than the user's own (data stewards have no scope)."""
        self.codes.add(code)
        if self.scope is None or code == self.scope:
            return False
        self.fail(
            title,
            number,
            key,
            "agency_code",
            "other_agency",
            messages.OTHER_AGENCY,
            code=code,
            own=self.scope or "–",
        )
        return True

    def _agencies(self, spec, title, number, values) -> None:
        code, name_th, name_en, abbreviation, ministry = values
        key = (code,)
        if self._outside_scope(title, number, code, code):
            return
        if code in self.lookups.agencies:
            self.record(title, number, UNCHANGED, key)
        elif not re.fullmatch(r"[-a-z0-9_]{1,40}", code):
            self.fail(
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
        if self._outside_scope(title, number, code, key):
            return None
        version = self.lookups.versions.get(year)
        if version is None:
            self.fail(
                title,
                number,
                key,
                "fiscal_year",
                "no_version",
                messages.NO_VERSION,
                year=year,
            )
            return None
        agency_id = self.lookups.agencies.get(code)
        if agency_id is None and code not in self.plan.new_agencies:
            self.fail(
                title,
                number,
                key,
                "agency_code",
                "unknown_agency",
                messages.UNKNOWN_AGENCY,
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
                title,
                number,
                key,
                "indicator",
                "unknown_indicator",
                messages.UNKNOWN_INDICATOR,
                year=year,
                number=indicator,
            )
            return
        self._score_row(IndicatorScore, spec, title, number, values, target, key)

    def _part_scores(self, model, column: str, parts: str, spec, title, number, values) -> None:
        # A sub-indicator (9.1) or instrument (IIT) score: the part must be in the year's version.
        year, code, part, _score = values
        key = (code, year, part)
        version = self.lookups.versions.get(year)
        target = None if version is None else getattr(version, parts).get(part)
        if version is not None and target is None:
            self.fail(
                title,
                number,
                key,
                column,
                "unknown_part",
                _("%(code)s is not a %(part)s of the %(year)s instrument."),
                code=part,
                part=PART_NAMES[column],
                year=year,
            )
            return
        self._score_row(model, spec, title, number, values, target, key)

    def _sub_indicator_scores(self, spec, title, number, values) -> None:
        self._part_scores(
            SubIndicatorScore, "sub_indicator", "sub_indicators", spec, title, number, values
        )

    def _instrument_scores(self, spec, title, number, values) -> None:
        self._part_scores(InstrumentScore, "instrument", "instruments", spec, title, number, values)

    def _question(self, spec, title, number, values, column: str, kind: str):
        year, code, question = values[0], values[1], values[2]
        key = (code, year, question)
        version = self.lookups.versions.get(year)
        if version is None:
            return key, None
        found = version.questions.get(question)
        if found is None or found[1] != kind:
            template = (
                messages.UNKNOWN_QUESTION
                if kind == Question.Kind.QUESTION
                else messages.UNKNOWN_ITEM
            )
            self.fail(
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
        if grade:
            # The sheet may write the code (AA) or the published label (ผ่านดีเยี่ยม, สูงมาก).
            given["reported_grade"] = version.grades.get(grade_key(grade), grade)
        if grade and grade_key(grade) not in version.grades:
            self.fail(
                title,
                number,
                key,
                "grade",
                "unknown_grade",
                messages.UNKNOWN_GRADE,
                grade=grade,
                year=year,
                grades=", ".join(sorted(set(version.grades.values()))),
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

"""django-import-export resources: one sheet of the score workbook each, with explicit fields.

The columns, header names (Thai or English) and cell cleaning are the workbook's
(imports/workbook.py), so a sheet exported from the Django admin imports on the portal's
import page and back. Admin imports go row by row through django-import-export's own preview and
confirm; each one becomes an `ImportBatch` with provenance and audit-trail records, so it can be
rolled back like a workbook import. National-scale files belong on the portal's import page
(`imports.services.scores_import`), which works in bulk.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import RowResult

from accounts.models import Agency
from assessments.models import (
    Assessment,
    Indicator,
    IndicatorScore,
    InstrumentVersion,
    ItemAnswer,
    Question,
    QuestionScore,
)
from imports import messages
from imports.cleaning import (
    CellError,
    clean_agency,
    clean_bool,
    clean_code,
    clean_count,
    clean_indicator,
    clean_score,
    clean_text,
    clean_year,
    escape,
)
from imports.format import (
    INDICATOR_SCORES,
    OFFICIAL_RESULTS,
    OIT_ITEMS,
    QUESTION_SCORES,
    SheetSpec,
    normalise,
)
from imports.models import ImportBatch
from imports.services import import_scope


class _CellWidget(widgets.Widget):
    """Clean a cell the way the workbook import does; say why a value is refused."""

    def __init__(self, cleaner, **kwargs) -> None:
        super().__init__(**kwargs)
        self.cleaner = cleaner

    def clean(self, value: Any, row: dict | None = None, **kwargs) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return self.cleaner(value)
        except CellError as error:
            raise ValueError(str(error.template) % error.params) from None

    def render(self, value: Any, obj: Any = None, **kwargs) -> Any:
        if isinstance(value, bool):
            return int(value)
        return value


class _SheetResource(resources.ModelResource):
    """Shared by the sheet resources: headers, the assessment a row belongs to, provenance."""

    spec: SheetSpec

    fiscal_year = fields.Field(
        attribute="assessment__fiscal_year",
        column_name="fiscal_year",
        readonly=True,
        widget=widgets.IntegerWidget(coerce_to_string=False),
    )
    agency_code = fields.Field(
        attribute="assessment__agency__code", column_name="agency_code", readonly=True
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.batch: ImportBatch | None = None
        # The agency code whose rows the importing user may write; None for any (a steward).
        self.scope: str | None = None

    def export_field(self, field, instance, **kwargs) -> Any:
        """Quote text a spreadsheet would run as a formula, keeping all of it (=1+1 → '=1+1)."""
        return escape(super().export_field(field, instance, **kwargs))

    def before_import(self, dataset, **kwargs) -> None:
        """Accept Thai or English headers; open a batch for a real (not dry-run) import."""
        user = kwargs.get("user")
        self.scope = import_scope(user if getattr(user, "pk", None) else None)
        names = {}
        for column in self.spec.columns:
            names[normalise(column.key)] = column.key
            names[normalise(column.th)] = column.key
        dataset.headers = [names.get(normalise(str(h or "")), h) for h in dataset.headers]
        if kwargs.get("dry_run"):
            return
        self.batch = ImportBatch.objects.create(
            agency=user.agency if self.scope else None,
            file_name=str(kwargs.get("file_name") or _("admin import"))[:255],
            sha256=hashlib.sha256(dataset.export("csv").encode()).hexdigest(),
            uploaded_by=user if getattr(user, "pk", None) else None,
            row_count=len(dataset),
            summary={"source": "admin", "sheet": self.spec.key},
        )

    def after_import(self, dataset, result, **kwargs) -> None:
        """Drop the batch again when nothing was written."""
        if self.batch is None:
            return
        written = (
            result.totals[RowResult.IMPORT_TYPE_NEW] + result.totals[RowResult.IMPORT_TYPE_UPDATE]
        )
        if not written or result.has_errors() or result.has_validation_errors():
            self.batch.delete()
            self.batch = None

    def assessment_for(self, row: dict) -> tuple[InstrumentVersion, Agency, Assessment | None]:
        """Return the version, agency and (if stored) assessment a row belongs to."""
        year = clean_year(row.get("fiscal_year"))
        code = clean_agency(row.get("agency_code"))
        version = InstrumentVersion.objects.nacc().filter(fiscal_year=year).first()
        if version is None:
            raise ValueError(str(messages.NO_VERSION) % {"year": year})
        if self.scope is not None and code != self.scope:
            raise ValueError(str(messages.OTHER_AGENCY) % {"code": code, "own": self.scope or "–"})
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise ValueError(str(messages.UNKNOWN_AGENCY) % {"code": code})
        official = Assessment.objects.official()
        return version, agency, official.filter(agency=agency, fiscal_year=year).first()

    def before_save_instance(self, instance, row, **kwargs) -> None:
        """Point the row at its batch, sheet and row."""
        if self.batch is not None:
            instance.batch = self.batch
            instance._change_reason = f"import #{self.batch.pk}"
        instance.source_sheet = self.spec.en
        instance.source_row = kwargs.get("row_number", 0) + 1


class _TargetResource(_SheetResource):
    """A sheet with one row per agency, year and indicator or question (target_for finds it)."""

    target = "question"
    kind = Question.Kind.QUESTION

    def get_instance(self, instance_loader, row):
        version, _agency, assessment = self.assessment_for(row)
        target = self.target_for(version, row)
        if assessment is None:
            return None
        model = self._meta.model
        return model.objects.filter(assessment=assessment, **{self.target: target}).first()

    def init_instance(self, row=None):
        version, _agency, assessment = self.assessment_for(row)
        target = self.target_for(version, row)
        return self._meta.model(assessment=assessment, **{self.target: target})

    def import_instance(self, instance, row, **kwargs) -> None:
        """Create the assessment a new score belongs to (inside the import's transaction)."""
        super().import_instance(instance, row, **kwargs)
        if instance.assessment_id is None:
            version, agency, _assessment = self.assessment_for(row)
            assessment = Assessment(
                agency=agency, fiscal_year=version.fiscal_year, version=version, batch=self.batch
            )
            if self.batch is not None:
                assessment._change_reason = f"import #{self.batch.pk}"
            assessment.full_clean()
            assessment.save()
            instance.assessment = assessment

    def target_for(self, version: InstrumentVersion, row: dict) -> Question:
        code = clean_code(row.get(self.code_column))
        question = Question.objects.filter(version=version, code=code, kind=self.kind).first()
        if question is None:
            template = (
                str(messages.UNKNOWN_QUESTION)
                if self.kind == Question.Kind.QUESTION
                else str(messages.UNKNOWN_ITEM)
            )
            raise ValueError(template % {"year": version.fiscal_year, "code": code})
        return question


class IndicatorScoreResource(_TargetResource):
    spec = INDICATOR_SCORES
    target = "indicator"
    indicator = fields.Field(
        attribute="indicator__number",
        column_name="indicator",
        readonly=True,
        widget=widgets.IntegerWidget(coerce_to_string=False),
    )
    score = fields.Field(attribute="score", column_name="score", widget=_CellWidget(clean_score))

    class Meta:
        model = IndicatorScore
        fields = ("fiscal_year", "agency_code", "indicator", "score")
        export_order = fields
        import_id_fields = ("fiscal_year", "agency_code", "indicator")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def target_for(self, version: InstrumentVersion, row: dict) -> Indicator:
        number = clean_indicator(row.get("indicator"))
        indicator = Indicator.objects.filter(version=version, number=number).first()
        if indicator is None:
            raise ValueError(
                str(messages.UNKNOWN_INDICATOR) % {"year": version.fiscal_year, "number": number}
            )
        return indicator

    def get_queryset(self):
        return IndicatorScore.objects.select_related("assessment__agency", "indicator")


class QuestionScoreResource(_TargetResource):
    spec = QUESTION_SCORES
    code_column = "question"
    question = fields.Field(attribute="question__code", column_name="question", readonly=True)
    score = fields.Field(attribute="score", column_name="score", widget=_CellWidget(clean_score))

    class Meta:
        model = QuestionScore
        fields = ("fiscal_year", "agency_code", "question", "score")
        export_order = fields
        import_id_fields = ("fiscal_year", "agency_code", "question")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return QuestionScore.objects.select_related("assessment__agency", "question")


class ItemAnswerResource(_TargetResource):
    spec = OIT_ITEMS
    code_column = "item"
    kind = Question.Kind.ITEM
    item = fields.Field(attribute="question__code", column_name="item", readonly=True)
    present = fields.Field(
        attribute="present", column_name="present", widget=_CellWidget(clean_bool)
    )
    evidence_url = fields.Field(
        attribute="evidence_url", column_name="evidence_url", widget=_CellWidget(clean_text)
    )
    note = fields.Field(attribute="note", column_name="note", widget=_CellWidget(clean_text))

    class Meta:
        model = ItemAnswer
        fields = ("fiscal_year", "agency_code", "item", "present", "evidence_url", "note")
        export_order = fields
        import_id_fields = ("fiscal_year", "agency_code", "item")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def import_instance(self, instance, row, **kwargs) -> None:
        super().import_instance(instance, row, **kwargs)
        instance.evidence_url = instance.evidence_url or ""
        instance.note = instance.note or ""

    def get_queryset(self):
        return ItemAnswer.objects.select_related("assessment__agency", "question")


class OfficialResultResource(_SheetResource):
    spec = OFFICIAL_RESULTS
    fiscal_year = fields.Field(
        attribute="fiscal_year",
        column_name="fiscal_year",
        readonly=True,
        widget=widgets.IntegerWidget(coerce_to_string=False),
    )
    agency_code = fields.Field(attribute="agency__code", column_name="agency_code", readonly=True)
    total = fields.Field(
        attribute="reported_total", column_name="total", widget=_CellWidget(clean_score)
    )
    grade = fields.Field(
        attribute="reported_grade", column_name="grade", widget=_CellWidget(clean_text)
    )
    rank = fields.Field(attribute="rank", column_name="rank", widget=_CellWidget(clean_count))
    rank_of = fields.Field(
        attribute="rank_of", column_name="rank_of", widget=_CellWidget(clean_count)
    )
    ministry_rank = fields.Field(
        attribute="ministry_rank", column_name="ministry_rank", widget=_CellWidget(clean_count)
    )
    ministry_rank_of = fields.Field(
        attribute="ministry_rank_of",
        column_name="ministry_rank_of",
        widget=_CellWidget(clean_count),
    )
    iit_respondents = fields.Field(
        attribute="iit_respondents", column_name="iit_respondents", widget=_CellWidget(clean_count)
    )
    iit_population = fields.Field(
        attribute="iit_population", column_name="iit_population", widget=_CellWidget(clean_count)
    )
    eit_respondents = fields.Field(
        attribute="eit_respondents", column_name="eit_respondents", widget=_CellWidget(clean_count)
    )
    eit_population = fields.Field(
        attribute="eit_population", column_name="eit_population", widget=_CellWidget(clean_count)
    )

    class Meta:
        model = Assessment
        fields = tuple(column.key for column in OFFICIAL_RESULTS.columns)
        export_order = fields
        import_id_fields = ("fiscal_year", "agency_code")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_instance(self, instance_loader, row):
        return self.assessment_for(row)[2]

    def init_instance(self, row=None):
        version, agency, _assessment = self.assessment_for(row)
        return Assessment(agency=agency, fiscal_year=version.fiscal_year, version=version)

    def import_instance(self, instance, row, **kwargs) -> None:
        super().import_instance(instance, row, **kwargs)
        instance.reported_grade = (instance.reported_grade or "").upper()
        if (
            instance.reported_grade
            and not instance.version.grade_bands.filter(grade=instance.reported_grade).exists()
        ):
            raise ValidationError(
                {
                    "reported_grade": ValidationError(
                        str(messages.UNKNOWN_GRADE)
                        % {
                            "grade": instance.reported_grade,
                            "year": instance.fiscal_year,
                            "grades": ", ".join(
                                instance.version.grade_bands.values_list("grade", flat=True)
                            ),
                        },
                        code="unknown_grade",
                    )
                }
            )

    def get_queryset(self):
        return Assessment.objects.official().select_related("agency")

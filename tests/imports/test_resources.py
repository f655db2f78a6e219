"""The django-import-export resources used by the Django admin: same columns as the workbook."""

from decimal import Decimal

import pytest
import tablib
from django.contrib import admin
from django.test import RequestFactory
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats

from accounts.models import User
from assessments.models import Assessment, IndicatorScore, ItemAnswer, QuestionScore
from imports.models import ImportBatch
from imports.resources import (
    IndicatorScoreResource,
    ItemAnswerResource,
    OfficialResultResource,
    QuestionScoreResource,
)
from imports.services import batch_rollback
from tests.assessments.builders import load_version_2563, make_oie_2563
from tests.imports.builders import EN_HEADERS, TH_HEADERS, database_state, english

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(english.__name__)]


@pytest.fixture
def version(personas):
    return load_version_2563()


def dataset(headers, *rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=headers)


def test_it_imports_indicator_scores_as_a_batch_with_provenance(version, personas):
    data = dataset(EN_HEADERS["indicator_scores"], [2563, "oie", 1, "90.08"], [2563, "oie", 2, 84])
    result = IndicatorScoreResource().import_data(
        data, dry_run=False, file_name="ind.xlsx", user=personas.admin
    )
    assert not result.has_errors() and not result.has_validation_errors()
    batch = ImportBatch.objects.get()
    assert (batch.file_name, batch.uploaded_by) == ("ind.xlsx", personas.admin)
    score = IndicatorScore.objects.get(indicator__number=2)
    assert (score.score, score.batch, score.source_sheet, score.source_row) == (
        Decimal("84.00"),
        batch,
        "indicator scores",
        3,
    )
    assert IndicatorScore.history.filter(history_change_reason=f"import #{batch.pk}").count() == 2
    batch_rollback(batch=batch, user=personas.admin)
    assert not IndicatorScore.objects.exists()
    assert not Assessment.objects.exists()


def test_it_reads_thai_headers_and_skips_unchanged_rows(version, personas):
    rows = [[2563, "oie", "I14", "๖๖.๐๒"]]
    QuestionScoreResource().import_data(
        dataset(TH_HEADERS["question_scores"], *rows), dry_run=False
    )
    before = database_state()
    result = QuestionScoreResource().import_data(
        dataset(TH_HEADERS["question_scores"], *rows), dry_run=False
    )
    assert result.totals["skip"] == 1
    assert database_state() == before
    assert QuestionScore.objects.get().score == Decimal("66.02")


def test_it_reports_bad_rows_and_changes_nothing(version, personas):
    before = database_state()
    result = QuestionScoreResource().import_data(
        dataset(
            EN_HEADERS["question_scores"],
            [2563, "oie", "I1", "abc"],
            [2563, "nosuch", "I1", 50],
            [2563, "oie", "I99", 50],
            [2564, "oie", "I1", 50],
        ),
        dry_run=False,
        use_transactions=True,
    )
    assert result.has_validation_errors() or result.has_errors()
    messages = " ".join(
        [str(error.error) for _, errors in result.row_errors() for error in errors]
        + [str(row.error_dict) for row in result.invalid_rows]
    )
    assert "“abc” is not a number." in messages
    assert "“nosuch” is not in the portal" in messages
    assert "no question I99" in messages
    assert "no instrument version for the fiscal year 2564" in messages
    assert database_state() == before


def test_it_imports_oit_items_and_official_results(version, personas):
    ItemAnswerResource().import_data(
        dataset(EN_HEADERS["oit_items"], [2563, "oie", "O1", "มี", "https://oie.go.th", ""]),
        dry_run=False,
    )
    assert ItemAnswer.objects.get().present is True
    result = OfficialResultResource().import_data(
        dataset(
            EN_HEADERS["official_results"], [2563, "oie", 91.5, "a", 22, 146, 4, 7] + [None] * 4
        ),
        dry_run=False,
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assessment = Assessment.objects.get()
    assert (assessment.reported_total, assessment.reported_grade, assessment.rank_of) == (
        Decimal("91.50"),
        "A",
        146,
    )


def test_it_exports_the_workbook_columns(version, personas):
    make_oie_2563(personas.agency)
    exported = IndicatorScoreResource().export()
    assert exported.headers == EN_HEADERS["indicator_scores"]
    assert (2563, "oie", 4, Decimal("80.75")) in list(exported)
    results = OfficialResultResource().export()
    assert results.headers == EN_HEADERS["official_results"]
    assert results[0][:4] == (2563, "oie", Decimal("91.50"), "A")


def test_it_plugs_into_the_django_admin(version, personas):
    class IndicatorScoreImportAdmin(ImportExportModelAdmin):
        resource_classes = [IndicatorScoreResource]

    model_admin = IndicatorScoreImportAdmin(IndicatorScore, admin.site)
    request = RequestFactory().get("/admin/assessments/indicatorscore/import/")
    request.user = personas.admin
    assert model_admin.get_import_resource_classes(request) == [IndicatorScoreResource]
    assert model_admin.get_export_resource_classes(request) == [IndicatorScoreResource]


@pytest.mark.parametrize("file_format", [base_formats.CSV, base_formats.XLSX])
def test_the_admin_export_keeps_and_quotes_text_a_spreadsheet_would_run(
    version, personas, file_format
):
    """An OIT note of +1+1 must not come out as a formula, nor =1+1 lose its sign (issue 13)."""
    texts = ["+1+1", "=1+1", "-x", "@SUM(A1)", "\tx", "\rx"]
    assessment = make_oie_2563(personas.agency)
    items = assessment.version.questions.filter(kind="item").order_by("order")
    for item, text in zip(items, texts, strict=False):
        ItemAnswer.objects.create(assessment=assessment, question=item, present=True, note=text)
    superuser = User.objects.create_superuser("root", password="x")
    request = RequestFactory().get("/admin/assessments/itemanswer/export/")
    request.user = superuser
    model_admin = admin.site._registry[ItemAnswer]
    queryset = ItemAnswer.objects.order_by("question__order")
    content = model_admin.get_export_data(file_format(), request, queryset)
    exported = tablib.Dataset().load(content, format=file_format().get_title())
    # xlsx is XML, which keeps no lone carriage return: it reads back as a line feed, quoted.
    newline = "\n" if file_format is base_formats.XLSX else "\r"
    assert list(exported["note"]) == ["'" + text.replace("\r", newline) for text in texts]

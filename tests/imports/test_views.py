"""The import pages: upload → preview → confirm, batches, rollback, template, export."""

import io
from decimal import Decimal
from unittest import mock

from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Agency
from assessments.models import IndicatorScore, InstrumentVersion, ItemAnswer, Question
from imports.format import SHEETS
from imports.models import ImportBatch, PendingImport
from imports.pending import pending_path
from tests.assessments.builders import load_version_2563, make_oie_2563
from tests.base import BaseTestCase
from tests.imports.builders import database_state, make_steward, score_workbook
from tests.media import PROCESS_MEDIA_ROOT

# Text a spreadsheet program would run as a formula (OIT notes seen in the wild, issue 13).
FORMULA_LIKE = ["+1+1", "=1+1", "-x", "@SUM(A1)", "\tx", "\rx"]


def upload_file(data: bytes, name: str = "scores.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return file


@override_settings(MEDIA_ROOT=PROCESS_MEDIA_ROOT)
class ImportPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_version_2563()

    def setUp(self) -> None:
        self.client.force_login(self.admin)
        self.client.cookies["django_language"] = "en"  # the language switch; Thai otherwise

    def upload(self, data: bytes, name: str = "scores.xlsx"):
        return self.client.post(reverse("imports:upload"), {"file": upload_file(data, name)})

    def commit(self, data: bytes, name: str = "scores.xlsx"):
        location = self.upload(data, name)["Location"]
        sha256 = location.split("/")[-2]
        return self.client.post(reverse("imports:confirm", args=[sha256]), {"file_name": name})

    def test_it_previews_each_row_and_commits_on_confirm(self):
        data = score_workbook(
            indicator_scores=[[2563, "oie", 1, 90.08], [2563, "oie", 2, 84.02]],
            question_scores=[[2563, "oie", "I14", "๖๖.๐๒"]],
        )
        response = self.upload(data)
        self.assertEqual(response.status_code, 302)
        preview = self.client.get(response["Location"])
        self.assertContains(preview, 'data-testid="confirm-import"')
        self.assertContains(preview, 'data-status="new"', count=3)
        self.assertEqual(IndicatorScore.objects.count(), 0)

        sha256 = response["Location"].split("/")[-2]
        self.assertTrue(pending_path(sha256).is_file())
        confirm = self.client.post(
            reverse("imports:confirm", args=[sha256]), {"file_name": "scores.xlsx"}
        )
        batch = ImportBatch.objects.get()
        self.assertRedirects(confirm, reverse("imports:batch", args=[batch.pk]))
        self.assertFalse(pending_path(sha256).is_file())
        self.assertEqual(batch.uploaded_by, self.admin)
        self.assertEqual(batch.file_name, "scores.xlsx")
        score = IndicatorScore.objects.get(indicator__number=2)
        self.assertEqual(
            (score.score, score.batch, score.source_sheet, score.source_row),
            (Decimal("84.02"), batch, "indicator scores", 3),
        )
        page = self.client.get(reverse("imports:batch", args=[batch.pk]))
        self.assertContains(page, "84.02")

    def test_it_marks_changed_rows_with_old_and_new_values(self):
        self.commit(score_workbook(indicator_scores=[[2563, "oie", 1, 90]]))
        location = self.upload(score_workbook(indicator_scores=[[2563, "oie", 1, 91.5]]))[
            "Location"
        ]
        preview = self.client.get(location)
        self.assertContains(preview, 'data-status="changed"')
        self.assertContains(preview, "90.00")
        self.assertContains(preview, "→ 91.50")

    def test_it_shows_the_problems_of_a_bad_file_and_changes_nothing(self):
        before = database_state()
        response = self.upload(score_workbook(question_scores=[[2563, "oie", "I99", 50]]))
        preview = self.client.get(response["Location"])
        self.assertContains(preview, 'data-code="unknown_question"')
        self.assertContains(preview, "scores.xlsx")
        self.assertNotContains(preview, 'data-testid="confirm-import"')
        sha256 = response["Location"].split("/")[-2]
        self.client.post(reverse("imports:confirm", args=[sha256]), {"file_name": "scores.xlsx"})
        self.assertEqual(database_state(), before)

    def test_it_refuses_a_file_that_is_not_xlsx_on_the_preview(self):
        response = self.upload(b"%PDF-1.7 not a workbook", "scores.pdf")
        preview = self.client.get(response["Location"])
        self.assertEqual(preview.status_code, 200)
        self.assertContains(preview, 'data-code="not_xlsx"')
        self.assertContains(preview, "scores.pdf")

    @override_settings(IMPORT_MAX_BYTES=1024)
    def test_it_refuses_an_oversized_file_at_once(self):
        response = self.upload(score_workbook())
        self.assertContains(response, 'data-code="too_big"', status_code=400)

    def test_it_rejects_an_upload_without_a_file(self):
        response = self.client.post(reverse("imports:upload"), {})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'data-testid="error-file"', status_code=400)

    def test_it_answers_404_for_an_unknown_or_malformed_upload(self):
        self.assertEqual(
            self.client.get(reverse("imports:preview", args=["0" * 64])).status_code, 404
        )
        self.assertEqual(self.client.get(reverse("imports:preview", args=["xyz"])).status_code, 404)
        response = self.client.post(reverse("imports:confirm", args=["f" * 64]))
        self.assertEqual(response.status_code, 404)

    def test_it_reimports_the_same_file_without_changes(self):
        data = score_workbook(indicator_scores=[[2563, "oie", 1, 90]])
        self.commit(data)
        before = database_state()
        location = self.upload(data)["Location"]
        preview = self.client.get(location)
        self.assertContains(preview, 'data-testid="nothing-to-import"')
        self.assertContains(preview, "This file was imported before")
        self.client.post(location.split("?")[0].replace("preview", "confirm"))
        self.assertEqual(database_state(), before)

    def test_it_rolls_a_batch_back(self):
        self.commit(score_workbook(indicator_scores=[[2563, "oie", 1, 90]]))
        batch = ImportBatch.objects.get()
        response = self.client.post(reverse("imports:rollback", args=[batch.pk]))
        self.assertRedirects(response, reverse("imports:batch", args=[batch.pk]))
        batch.refresh_from_db()
        self.assertEqual(batch.status, ImportBatch.Status.ROLLED_BACK)
        self.assertEqual(IndicatorScore.objects.count(), 0)
        again = self.client.post(reverse("imports:rollback", args=[batch.pk]), follow=True)
        self.assertContains(again, "already been rolled back")

    def test_it_lists_batches(self):
        self.commit(score_workbook(indicator_scores=[[2563, "oie", 1, 90]]))
        page = self.client.get(reverse("imports:index"))
        self.assertContains(page, "scores.xlsx")
        self.assertContains(page, reverse("imports:batch", args=[ImportBatch.objects.get().pk]))

    def test_it_downloads_a_template_for_a_year(self):
        del self.client.cookies["django_language"]  # Thai, the portal's language
        response = self.client.get(reverse("imports:template"), {"version": 2563})
        self.assertEqual(response.status_code, 200)
        self.assertIn("ita-2563-template.xlsx", response["Content-Disposition"])
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        self.assertEqual(
            workbook.sheetnames,
            [
                "หน่วยงาน",
                "คะแนนตัวชี้วัด",
                "คะแนนรายข้อ",
                "ข้อมูล OIT",
                "ผลประกาศ",
                "คะแนนตัวชี้วัดย่อย",
                "คะแนนแบบวัด",
                "รหัส",
            ],
        )
        rows = list(workbook["คะแนนรายข้อ"].iter_rows(values_only=True))
        self.assertEqual(len(rows), 1 + 45)
        self.assertEqual(rows[1][:3], (2563, "oie", "I1"))
        self.assertEqual(len(list(workbook["ข้อมูล OIT"].iter_rows())), 1 + 43)

    def test_it_refuses_a_template_for_a_year_without_a_version(self):
        response = self.client.get(reverse("imports:template"), {"version": 2599})
        self.assertEqual(response.status_code, 400)

    def test_it_exports_a_year_that_imports_back_unchanged(self):
        # A new agency beside the admin's own: portal-wide data, kept by a data steward.
        self.client.force_login(make_steward())
        data = score_workbook(
            # A leading quote keeps the builder from writing a formula; the import drops it.
            agencies=[["new-unit", "'=หน่วยงานใหม่", "", "", ""]],
            indicator_scores=[[2563, "oie", 1, 90.08], [2563, "new-unit", 2, 70]],
            oit_items=[[2563, "oie", "O1", "มี", "https://oie.go.th/a", "-note"]],
            official_results=[[2563, "oie", 91.5, "A", 22, 146]],
        )
        self.commit(data)
        response = self.client.get(reverse("imports:export"), {"year": 2563})
        self.assertEqual(response.status_code, 200)
        workbook = load_workbook(io.BytesIO(response.content))
        note = workbook["OIT items"]["F2"]
        self.assertEqual((note.value, note.data_type), ("'-note", "s"))
        self.assertEqual(workbook["agencies"]["B2"].value, "'=หน่วยงานใหม่")
        self.assertEqual(Agency.objects.get(code="new-unit").name_th, "=หน่วยงานใหม่")
        before = database_state()
        location = self.upload(response.content, "export.xlsx")["Location"]
        preview = self.client.get(location)
        self.assertContains(preview, 'data-testid="nothing-to-import"')
        self.assertEqual(database_state(), before)

    def test_it_exports_an_agency_history(self):
        self.client.force_login(make_steward())
        self.commit(score_workbook(indicator_scores=[[2563, "oie", 1, 90], [2563, "diw", 1, 80]]))
        response = self.client.get(reverse("imports:export"), {"agency": "diw"})
        rows = list(load_workbook(io.BytesIO(response.content))["indicator scores"].values)
        self.assertEqual(rows[1:], [(2563, "diw", 1, 80)])

    def test_it_rejects_an_export_with_nothing_chosen(self):
        response = self.client.get(reverse("imports:export"))
        self.assertContains(response, "Choose a fiscal year", status_code=400)

    def test_it_requires_login(self):
        self.client.logout()
        for url in [reverse("imports:index"), reverse("imports:template")]:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn("/accounts/login/", response["Location"])

    def test_it_refuses_everyone_but_admins(self):
        for user in [self.staff, self.manager, self.outsider]:
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("imports:index")).status_code, 403)
            response = self.upload(score_workbook(indicator_scores=[[2563, "oie", 1, 90]]))
            self.assertEqual(response.status_code, 403)
            self.assertEqual(
                self.client.post(reverse("imports:rollback", args=[1])).status_code, 403
            )
        self.assertEqual(IndicatorScore.objects.count(), 0)

    def test_it_refuses_changes_by_get(self):
        self.assertEqual(self.client.get(reverse("imports:upload")).status_code, 405)
        self.assertEqual(self.client.get(reverse("imports:rollback", args=[1])).status_code, 405)

    def test_it_explains_the_format_from_the_readers_own_definitions(self):
        page = self.client.get(reverse("imports:format"))
        for spec in SHEETS:
            self.assertContains(page, spec.en)
            for column in spec.columns:
                self.assertContains(page, column.th)
                self.assertContains(page, f'<td class="font-monospace">{column.key}</td>')
        self.assertContains(page, "At most 1,024 cells in a row")

    def test_it_explains_the_format_in_thai_first(self):
        del self.client.cookies["django_language"]  # Thai, the portal's language
        page = self.client.get(reverse("imports:format"))
        self.assertContains(page, "คะแนนตัวชี้วัด <span")

    def test_it_links_the_format_page_from_the_import_page(self):
        page = self.client.get(reverse("imports:index"))
        self.assertContains(page, f'href="{reverse("imports:format")}" data-testid="format-link"')
        self.assertNotContains(page, "docs/import-format.md")

    def test_it_names_the_years_in_thai_in_thai_mode(self):
        copy = InstrumentVersion.objects.create(
            fiscal_year=2564, name_th="ITA 2564 (คัดลอกโครงสร้างจากปี 2563)", name_en="ITA 2564 (copy)"
        )
        del self.client.cookies["django_language"]
        page = self.client.get(reverse("imports:index"))
        self.assertContains(
            page, f'value="{copy.fiscal_year}">2564 ITA 2564 (คัดลอกโครงสร้างจากปี 2563)<'
        )
        self.assertNotContains(page, "(copy)")

    def test_it_heads_the_preview_with_the_first_ten_row_problems_and_counts_the_rest(self):
        rows = [[2563, "oie", 11 + number, 90] for number in range(25)]
        preview = self.client.get(self.upload(score_workbook(indicator_scores=rows))["Location"])
        self.assertContains(preview, 'data-testid="import-problem"', count=10)
        self.assertContains(preview, "… and 15 more problems")
        self.assertContains(preview, 'data-status="error"', count=25)

    def test_it_refuses_an_upload_by_get(self):
        self.assertEqual(self.client.get(reverse("imports:upload")).status_code, 405)

    def test_it_refuses_a_confirmation_by_get(self):
        location = self.upload(score_workbook(indicator_scores=[[2563, "oie", 1, 90]]))["Location"]
        sha256 = location.split("/")[-2]
        response = self.client.get(reverse("imports:confirm", args=[sha256]))
        self.assertEqual(response.status_code, 405)
        self.assertEqual(IndicatorScore.objects.count(), 0)

    def test_it_refuses_a_rollback_by_get(self):
        self.commit(score_workbook(indicator_scores=[[2563, "oie", 1, 90]]))
        batch = ImportBatch.objects.get()
        response = self.client.get(reverse("imports:rollback", args=[batch.pk]))
        self.assertEqual(response.status_code, 405)
        batch.refresh_from_db()
        self.assertEqual(batch.status, ImportBatch.Status.COMMITTED)

    def test_it_stores_a_confirmed_upload_once(self):
        location = self.upload(score_workbook(indicator_scores=[[2563, "oie", 1, 90]]))["Location"]
        confirm = reverse("imports:confirm", args=[location.split("/")[-2]])
        first = self.client.post(confirm)
        second = self.client.post(confirm, follow=True)
        batch = ImportBatch.objects.get()
        self.assertEqual(first["Location"], reverse("imports:batch", args=[batch.pk]))
        self.assertContains(second, "already being stored, or was stored")
        self.assertEqual(IndicatorScore.history.count(), 1)

    def test_it_refuses_a_confirmation_already_under_way(self):
        location = self.upload(score_workbook(indicator_scores=[[2563, "oie", 1, 90]]))["Location"]
        # A double click: the first request has claimed the upload and is still storing it.
        PendingImport.objects.update(status=PendingImport.Status.CONFIRMING)
        before = database_state()
        response = self.client.post(
            reverse("imports:confirm", args=[location.split("/")[-2]]), follow=True
        )
        self.assertContains(response, "already being stored, or was stored")
        self.assertEqual(database_state(), before)

    def test_it_pages_and_filters_every_row_of_a_big_file_without_checking_it_again(self):
        agencies = Agency.objects.bulk_create(
            Agency(code=f"a{n:04}", name_th=f"หน่วยงาน {n}") for n in range(1200)
        )
        steward = make_steward()
        self.client.force_login(steward)
        # 1,200 agencies first, then one changed score: beyond any first page of rows.
        self.commit(score_workbook(indicator_scores=[[2563, "oie", 1, 90]]))
        data = score_workbook(
            agencies=[[agency.code, agency.name_th, "", "", ""] for agency in agencies],
            indicator_scores=[[2563, "oie", 1, 91.5]],
        )
        location = self.upload(data)["Location"]
        with mock.patch("imports.services.WorkbookReader") as reader:
            changed = self.client.get(location, {"status": "changed"})
            last = self.client.get(location, {"page": 13})
            reader.assert_not_called()
        self.assertContains(changed, "→ 91.50")
        self.assertContains(changed, 'data-status="changed"', count=1)
        self.assertContains(last, 'data-status="changed"', count=1)
        self.assertContains(last, "Page 13 of 13")
        self.assertContains(self.client.get(location), 'data-testid="row-count">1,201 data rows<')

    def test_it_confirms_from_the_stored_check(self):
        location = self.upload(score_workbook(indicator_scores=[[2563, "oie", 1, 90]]))["Location"]
        self.client.post(reverse("imports:confirm", args=[location.split("/")[-2]]))
        self.assertEqual(PendingImport.objects.get().status, PendingImport.Status.STORED)
        self.assertEqual(PendingImport.objects.get().batch, ImportBatch.objects.get())

    def test_it_escapes_exported_text_a_spreadsheet_would_run(self):
        assessment = make_oie_2563(self.agency)
        items = Question.objects.filter(version=assessment.version, kind=Question.Kind.ITEM)
        for item, text in zip(items.order_by("order"), FORMULA_LIKE, strict=False):
            ItemAnswer.objects.create(assessment=assessment, question=item, present=True, note=text)
        response = self.client.get(reverse("imports:export"), {"year": 2563})
        sheet = load_workbook(io.BytesIO(response.content))["OIT items"]
        notes = [(cell.value, cell.data_type) for (cell,) in sheet.iter_rows(min_row=2, min_col=6)]
        # XML keeps no lone carriage return: it reads back as a line feed, still quoted.
        expected = [("'" + text.replace("\r", "\n"), "s") for text in FORMULA_LIKE]
        self.assertEqual(notes, expected)

"""Imports are scoped to the agency: agency A's admin cannot see, export, roll back or overwrite B.

Agency B is the personas' other agency (diw), with its own admin (outsider_admin) and a batch of
its own; each test is one attack by A's admin (admin, agency oie) and shows the refusal, its
message, and B's data unchanged.
"""

import io

import tablib
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Assessment
from imports.models import ImportBatch, PendingImport
from imports.resources import OfficialResultResource
from imports.services import scores_import
from tests.assessments.builders import load_version_2563
from tests.base import BaseTestCase
from tests.imports.builders import EN_HEADERS, database_state, make_steward, score_workbook
from tests.media import PROCESS_MEDIA_ROOT


def upload_file(data: bytes, name: str):
    file = io.BytesIO(data)
    file.name = name
    return file


@override_settings(MEDIA_ROOT=PROCESS_MEDIA_ROOT)
class AgencyScopeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_version_2563()
        data = score_workbook(
            indicator_scores=[[2563, "diw", 1, 80]], official_results=[[2563, "diw", 77.5, "B"]]
        )
        report = scores_import(
            file=io.BytesIO(data), file_name="beta.xlsx", user=cls.outsider_admin, dry_run=False
        )
        cls.beta_batch = report.batch

    def setUp(self) -> None:
        self.client.force_login(self.admin)
        self.client.cookies["django_language"] = "en"  # the language switch; Thai otherwise

    def test_it_gives_a_batch_the_agency_of_its_rows(self):
        self.assertEqual(self.beta_batch.agency, self.other_agency)

    def test_it_lists_only_the_admins_own_agency_batches(self):
        page = self.client.get(reverse("imports:index"))
        self.assertNotContains(page, "beta.xlsx")
        self.client.force_login(self.outsider_admin)
        self.assertContains(self.client.get(reverse("imports:index")), "beta.xlsx")

    def test_it_lists_every_batch_for_a_data_steward(self):
        self.client.force_login(make_steward())
        self.assertContains(self.client.get(reverse("imports:index")), "beta.xlsx")

    def test_it_hides_another_agencys_batch(self):
        response = self.client.get(reverse("imports:batch", args=[self.beta_batch.pk]))
        self.assertEqual(response.status_code, 404)

    def test_it_refuses_to_export_another_agency(self):
        before = database_state()
        response = self.client.get(reverse("imports:export"), {"agency": "diw"})
        self.assertContains(
            response, "You may export only your own agency&#x27;s scores", status_code=400
        )
        self.assertEqual(database_state(), before)

    def test_it_exports_a_year_with_the_admins_own_agency_only(self):
        response = self.client.get(reverse("imports:export"), {"year": 2563})
        rows = list(load_workbook(io.BytesIO(response.content))["indicator scores"].values)
        self.assertEqual(rows[1:], [])

    def test_it_refuses_to_roll_back_another_agencys_batch(self):
        before = database_state()
        response = self.client.post(reverse("imports:rollback", args=[self.beta_batch.pk]))
        self.assertEqual(response.status_code, 404)
        self.beta_batch.refresh_from_db()
        self.assertEqual(self.beta_batch.status, ImportBatch.Status.COMMITTED)
        self.assertEqual(database_state(), before)

    def test_it_refuses_an_upload_over_another_agencys_rows(self):
        before = database_state()
        data = score_workbook(official_results=[[2563, "diw", 1, "F"]])
        response = self.client.post(
            reverse("imports:upload"), {"file": upload_file(data, "over-beta.xlsx")}
        )
        preview = self.client.get(response["Location"])
        self.assertContains(preview, 'data-code="other_agency"')
        self.assertContains(preview, "row 2")
        self.assertContains(preview, "the row is for the agency “diw”")
        self.assertNotContains(preview, 'data-testid="confirm-import"')
        sha256 = response["Location"].split("/")[-2]
        self.client.post(reverse("imports:confirm", args=[sha256]))
        self.assertEqual(database_state(), before)
        beta = Assessment.objects.get(agency=self.other_agency, fiscal_year=2563)
        self.assertEqual((str(beta.reported_total), beta.reported_grade), ("77.50", "B"))

    def test_it_refuses_a_new_agency_from_an_agency_admin(self):
        data = score_workbook(agencies=[["gamma", "หน่วยงานใหม่", "", "", ""]])
        response = self.client.post(
            reverse("imports:upload"), {"file": upload_file(data, "gamma.xlsx")}
        )
        preview = self.client.get(response["Location"])
        self.assertContains(preview, "the row is for the agency “gamma”")

    def test_it_hides_another_users_upload(self):
        data = score_workbook(indicator_scores=[[2563, "diw", 2, 81]])
        self.client.force_login(self.outsider_admin)
        location = self.client.post(
            reverse("imports:upload"), {"file": upload_file(data, "b.xlsx")}
        )["Location"]
        sha256 = location.split("/")[-2]
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(location).status_code, 404)
        before = database_state()
        response = self.client.post(reverse("imports:confirm", args=[sha256]))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(database_state(), before)
        self.assertEqual(PendingImport.objects.get().status, PendingImport.Status.CHECKED)

    def test_it_refuses_another_agencys_rows_in_the_admin_resources(self):
        before = database_state()
        rows = tablib.Dataset([2563, "diw", 1, "F"], headers=EN_HEADERS["official_results"][:4])
        result = OfficialResultResource().import_data(rows, dry_run=False, user=self.admin)
        self.assertTrue(result.has_errors() or result.has_validation_errors())
        errors = [str(error.error) for row in result.rows for error in row.errors]
        errors += [str(row.validation_error) for row in result.invalid_rows]
        self.assertIn("the row is for the agency “diw”", " ".join(errors))
        self.assertEqual(database_state(), before)

"""Uploads waiting for confirmation: the dry run stored once in pages, one confirmation stores."""

import io
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TransactionTestCase, override_settings
from django.utils import translation

from accounts.models import User
from assessments.models import IndicatorScore
from imports.models import ImportBatch, PendingImport, PendingPage
from imports.pending import pending_confirm, pending_create, pending_page, plan_path
from tests.assessments.builders import load_version_2563
from tests.base import BaseTestCase, Personas
from tests.imports.builders import score_workbook
from tests.media import PROCESS_MEDIA_ROOT

MEDIA = override_settings(MEDIA_ROOT=PROCESS_MEDIA_ROOT)
ROWS = [[2563, "oie", number, 90 + number] for number in range(1, 11)]


def upload(user, rows=ROWS, name="scores.xlsx") -> PendingImport:
    data = io.BytesIO(score_workbook(indicator_scores=rows))
    return pending_create(file=data, file_name=name, user=user)


@MEDIA
class PendingTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_version_2563()

    def test_it_stores_pages_of_every_row_and_of_each_status(self):
        with mock.patch("imports.pending.PAGE_ROWS", 4), translation.override("th"):
            pending = upload(self.admin, ROWS + [[2563, "oie", 99, 90]])
        pages = PendingPage.objects.filter(pending=pending)
        self.assertEqual(
            sorted(pages.values_list("status", "number")),
            [("", 1), ("", 2), ("", 3), ("error", 1), ("new", 1), ("new", 2), ("new", 3)],
        )
        self.assertEqual(pending.counts, {"new": 10, "error": 1})
        [error] = pending_page(pending=pending, status="error", number=1).rows
        self.assertEqual((error.row, error.status), (12, "error"))
        # Stored in the language of the upload: Thai, the portal's own.
        self.assertIn("ไม่มีตัวชี้วัดที่ 99", error.message)

    def test_it_keeps_one_upload_waiting_per_user(self):
        upload(self.admin, name="first.xlsx")
        upload(self.admin, ROWS[:2], name="second.xlsx")
        self.assertEqual(
            list(PendingImport.objects.values_list("file_name", flat=True)), ["second.xlsx"]
        )

    def test_it_shows_the_last_page_for_a_page_beyond_it(self):
        with mock.patch("imports.pending.PAGE_ROWS", 4):
            pending = upload(self.admin)
            page = pending_page(pending=pending, status="new", number="99")
        self.assertEqual((page.number, page.pages, len(page.rows)), (3, 3, 2))

    def test_it_confirms_with_the_checked_plan_without_reading_the_file_again(self):
        pending = upload(self.admin)
        with mock.patch("imports.pending.scores_import") as check:
            report = pending_confirm(pending=pending, user=self.admin)
            check.assert_not_called()
        self.assertEqual(report.counts["new"], 10)
        self.assertEqual(report.batch.summary["counts"]["indicator scores"]["new"], 10)
        score = IndicatorScore.objects.get(indicator__number=3)
        self.assertEqual(
            (str(score.score), score.batch, score.source_row), ("93.00", report.batch, 4)
        )
        self.assertFalse(plan_path(pending).exists())

    def test_it_checks_the_file_again_when_the_data_changed_after_the_preview(self):
        pending = upload(self.admin, ROWS[:1])
        # Meanwhile, someone stores that score by hand.
        first = upload(self.other_admin(), ROWS[:1], name="meanwhile.xlsx")
        pending_confirm(pending=first, user=first.uploaded_by)
        report = pending_confirm(pending=pending, user=self.admin)
        self.assertFalse(report.refused)
        self.assertIsNone(report.batch)
        self.assertEqual(report.counts["unchanged"], 1)
        self.assertEqual(ImportBatch.objects.count(), 1)

    def other_admin(self):
        return User.objects.create_user("admin2", agency=self.agency, is_staff=True)

    def test_it_refuses_the_second_of_two_confirmations(self):
        pending = upload(self.admin)
        pending_confirm(pending=pending, user=self.admin)
        with self.assertRaises(ValidationError) as refusal:
            pending_confirm(pending=pending, user=self.admin)
        self.assertEqual(refusal.exception.code, "already_confirmed")
        self.assertEqual(ImportBatch.objects.count(), 1)
        self.assertEqual(IndicatorScore.history.count(), 10)


@MEDIA
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (SQLite locks)"
)
class ConfirmRaceTests(TransactionTestCase):
    """Five confirmations of one upload at once (a double click, two tabs): one batch."""

    def test_it_stores_an_upload_once_when_five_confirmations_race(self):
        personas = Personas()
        load_version_2563()
        pending = upload(personas.admin)
        start = threading.Barrier(5)
        outcomes: list[str] = []

        def confirm() -> None:
            try:
                start.wait()
                pending_confirm(
                    pending=PendingImport.objects.get(pk=pending.pk), user=personas.admin
                )
                outcomes.append("stored")
            except ValidationError:
                outcomes.append("refused")
            finally:
                connection.close()

        threads = [threading.Thread(target=confirm) for _ in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(outcomes), ["refused"] * 4 + ["stored"])
        self.assertEqual(ImportBatch.objects.count(), 1)
        self.assertEqual(IndicatorScore.history.count(), len(ROWS))

"""The import service: statuses, provenance, audit trail, re-import, rollback, export, template."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from accounts.models import Agency
from assessments.models import (
    Assessment,
    IndicatorScore,
    InstrumentVersion,
    ItemAnswer,
    QuestionScore,
)
from imports.exports import scores_export, template_build
from imports.models import ImportBatch
from imports.report import ImportReport
from imports.services import batch_rollback, scores_import
from tests.assessments.builders import load_version_2563, make_oie_2563
from tests.base import BaseTestCase
from tests.imports.builders import database_state, english, make_steward, score_workbook


@pytest.mark.usefixtures(english.__name__)
class ImportServiceTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_version_2563()
        # Most files here name several agencies: portal-wide data, which a data steward imports.
        cls.steward = make_steward()

    def run_import(self, data: bytes, *, dry_run: bool = False, name="scores.xlsx") -> ImportReport:
        file = io.BytesIO(data)
        report = scores_import(file=file, file_name=name, user=self.steward, dry_run=dry_run)
        self.assertEqual([str(p) for p in report.problems], [])
        return report

    def test_it_changes_nothing_on_a_dry_run(self):
        before = database_state()
        report = self.run_import(
            score_workbook(indicator_scores=[[2563, "oie", 1, 90]]), dry_run=True
        )
        self.assertEqual(report.counts["new"], 1)
        self.assertIsNone(report.batch)
        self.assertEqual(database_state(), before)

    def test_it_records_the_batch_sheet_and_row_of_every_stored_row(self):
        report = self.run_import(
            score_workbook(
                question_scores=[[2563, "diw", "I1", 70], [2563, "diw", "E15", "๘๐"]],
                oit_items=[[2563, "diw", "O43", "ไม่มี", "", "ยังไม่เผยแพร่"]],
                official_results=[[2563, "diw", 93.97, "A"]],
                thai=True,
            )
        )
        batch = report.batch
        self.assertEqual(
            (batch.file_name, batch.uploaded_by, batch.fiscal_year, batch.row_count),
            ("scores.xlsx", self.steward, 2563, 4),
        )
        self.assertEqual(len(batch.sha256), 64)
        score = QuestionScore.objects.get(question__code="E15")
        self.assertEqual(
            (score.score, score.batch, score.source_sheet, score.source_row),
            (Decimal("80.00"), batch, "คะแนนรายข้อ", 3),
        )
        answer = ItemAnswer.objects.get()
        self.assertEqual((answer.present, answer.note, answer.source_row), (False, "ยังไม่เผยแพร่", 2))
        assessment = Assessment.objects.get(agency=self.other_agency)
        self.assertEqual(
            (assessment.reported_total, assessment.reported_grade, assessment.source_sheet),
            (Decimal("93.97"), "A", "ผลประกาศ"),
        )

    def test_it_writes_the_audit_trail_with_the_user_and_batch(self):
        report = self.run_import(score_workbook(indicator_scores=[[2563, "oie", 1, 90]]))
        record = IndicatorScore.history.get()
        self.assertEqual(record.history_type, "+")
        self.assertEqual(record.history_user, self.steward)
        self.assertEqual(record.history_change_reason, f"import #{report.batch.pk}")
        self.assertEqual(record.batch_id, report.batch.pk)

    def test_it_records_each_written_row_whole_in_the_audit_trail(self):
        first = self.run_import(
            score_workbook(
                question_scores=[[2563, "oie", "I1", 70], [2563, "oie", "I2", 60]],
                oit_items=[[2563, "oie", "O1", 1, "https://oie.go.th/a", ""]],
            )
        )
        second = self.run_import(
            score_workbook(
                question_scores=[[2563, "oie", "I1", 71], [2563, "oie", "I2", 60]],
                oit_items=[[2563, "oie", "O1", 0, None, "ลบแล้ว"]],
            )
        )
        i1 = QuestionScore.objects.get(question__code="I1")
        records = list(i1.history.order_by("history_id"))
        self.assertEqual(
            [(r.history_type, r.score, r.batch_id, r.source_row) for r in records],
            [
                ("+", Decimal("70.00"), first.batch.pk, 2),
                ("~", Decimal("71.00"), second.batch.pk, 2),
            ],
        )
        for record, batch in zip(records, [first.batch, second.batch], strict=True):
            self.assertEqual(record.history_user, self.steward)
            self.assertEqual(record.history_change_reason, f"import #{batch.pk}")
            self.assertLess(abs(record.history_date - batch.created_at).total_seconds(), 5)
            self.assertEqual(record.instance.assessment_id, i1.assessment_id)
        # The unchanged I2 keeps its one record; the blank evidence cell clears the URL.
        self.assertEqual(QuestionScore.history.filter(question__code="I2").count(), 1)
        answer = ItemAnswer.history.filter(history_type="~").get()
        self.assertEqual(
            (answer.present, answer.evidence_url, answer.note),
            (False, "", "ลบแล้ว"),
        )
        # The audit trail orders by date like any record saved through the ORM.
        latest = QuestionScore.history.filter(question__code="I1").latest()
        self.assertEqual(latest.history_type, "~")

    def test_it_imports_a_workbook_saved_by_libreoffice(self):
        data = (Path(__file__).parent / "data" / "libreoffice-7.4.xlsx").read_bytes()
        report = self.run_import(data, name="libreoffice-7.4.xlsx")
        self.assertEqual((report.counts["new"], report.counts["unchanged"]), (16, 1))
        oie = Assessment.objects.get(agency=self.agency, fiscal_year=2563)
        self.assertEqual(
            (oie.reported_total, oie.rank, oie.eit_population), (Decimal("91.50"), 22, 203)
        )
        self.assertEqual(
            dict(oie.indicator_scores.values_list("indicator__number", "score"))[3],
            Decimal("84.50"),
        )
        self.assertEqual(
            dict(oie.question_scores.values_list("question__code", "score")),
            {"I14": Decimal("66.02"), "I20": Decimal("66.88"), "I7": Decimal("68.93")},
        )
        self.assertEqual(
            list(oie.item_answers.order_by("question__order").values_list("present", flat=True)),
            [True, True],
        )

    def test_it_marks_rows_new_changed_and_unchanged(self):
        self.run_import(
            score_workbook(indicator_scores=[[2563, "oie", 1, 90], [2563, "oie", 2, 80]])
        )
        report = self.run_import(
            score_workbook(
                indicator_scores=[[2563, "oie", 1, 90], [2563, "oie", 2, 81], [2563, "oie", 3, 70]]
            )
        )
        statuses = {row.key: (row.status, row.old, row.new) for row in report.rows}
        self.assertEqual(statuses["oie · 2563 · 1"], ("unchanged", "90.00", ""))
        self.assertEqual(statuses["oie · 2563 · 2"], ("changed", "80.00", "81.00"))
        self.assertEqual(statuses["oie · 2563 · 3"], ("new", "", "70.00"))
        self.assertEqual(IndicatorScore.history.filter(history_type="~").count(), 1)

    def test_it_changes_nothing_when_the_same_file_comes_again(self):
        data = score_workbook(
            agencies=[["new-agency", "หน่วยงานใหม่", "", "", ""]],
            indicator_scores=[[2563, "new-agency", 1, 90]],
            official_results=[[2563, "new-agency", 90, "A", 1, 2]],
        )
        first = self.run_import(data)
        before = database_state()
        again = self.run_import(data)
        self.assertIsNone(again.batch)
        self.assertEqual(again.changes, 0)
        self.assertEqual(again.earlier_batches, [first.batch])
        self.assertEqual(database_state(), before)

    def test_it_skips_blank_scores_and_keeps_stored_values(self):
        self.run_import(score_workbook(question_scores=[[2563, "oie", "I1", 70]]))
        report = self.run_import(score_workbook(question_scores=[[2563, "oie", "I1", None]]))
        self.assertEqual(report.counts["skipped"], 1)
        self.assertEqual(QuestionScore.objects.get().score, Decimal("70.00"))

    def test_it_rolls_back_to_the_values_a_batch_replaced(self):
        make_oie_2563(self.agency)
        before = database_state()
        original = IndicatorScore.objects.get(assessment__agency=self.agency, indicator__number=4)
        report = self.run_import(
            score_workbook(
                indicator_scores=[[2563, "oie", 4, 99], [2563, "diw", 4, 50]],
                official_results=[[2563, "oie", 95, "AA"]],
            )
        )
        changed = IndicatorScore.objects.get(pk=original.pk)
        self.assertEqual((changed.score, changed.batch), (Decimal("99.00"), report.batch))

        counts = batch_rollback(batch=report.batch, user=self.steward)

        self.assertEqual(counts["indicatorscore"], 2)
        restored = IndicatorScore.objects.get(pk=original.pk)
        self.assertEqual(
            (restored.score, restored.batch_id, restored.source_row),
            (original.score, original.batch_id, original.source_row),
        )
        oie = Assessment.objects.get(agency=self.agency)
        self.assertEqual((oie.reported_total, oie.reported_grade), (Decimal("91.50"), "A"))
        self.assertFalse(Assessment.objects.filter(agency=self.other_agency).exists())
        report.batch.refresh_from_db()
        self.assertEqual(report.batch.status, ImportBatch.Status.ROLLED_BACK)
        self.assertEqual(report.batch.rolled_back_by, self.steward)
        counts, checksum = database_state()
        self.assertEqual(checksum, before[1])
        self.assertEqual(counts["ImportBatch"], before[0]["ImportBatch"] + 1)

    def test_it_removes_the_agencies_a_rolled_back_batch_created(self):
        report = self.run_import(
            score_workbook(
                agencies=[["new-agency", "หน่วยงานใหม่", "", "", ""]],
                indicator_scores=[[2563, "new-agency", 1, 90]],
            )
        )
        batch_rollback(batch=report.batch, user=self.steward)
        self.assertFalse(Agency.objects.filter(code="new-agency").exists())

    def test_it_refuses_to_roll_back_rows_changed_later(self):
        first = self.run_import(score_workbook(indicator_scores=[[2563, "oie", 1, 90]]))
        second = self.run_import(score_workbook(indicator_scores=[[2563, "oie", 1, 80]]))
        before = database_state()
        with self.assertRaises(ValidationError) as caught:
            batch_rollback(batch=first.batch, user=self.steward)
        self.assertEqual(caught.exception.code, "changed_later")
        self.assertEqual(database_state(), before)
        batch_rollback(batch=second.batch, user=self.steward)
        self.assertEqual(IndicatorScore.objects.get().score, Decimal("90.00"))
        batch_rollback(batch=first.batch, user=self.steward)
        self.assertFalse(IndicatorScore.objects.exists())

    def test_it_refuses_to_roll_back_twice(self):
        report = self.run_import(score_workbook(indicator_scores=[[2563, "oie", 1, 90]]))
        batch_rollback(batch=report.batch, user=self.steward)
        with self.assertRaises(ValidationError) as caught:
            batch_rollback(batch=report.batch, user=self.steward)
        self.assertEqual(caught.exception.code, "rolled_back")

    def test_it_exports_what_imports_back_as_a_no_op(self):
        make_oie_2563(self.agency)
        self.run_import(
            score_workbook(
                oit_items=[
                    [2563, "oie", f"O{n}", n % 2, "", "@note" if n == 1 else ""] for n in (1, 2)
                ]
            )
        )
        before = database_state()
        for lang in ["th", "en"]:
            report = self.run_import(scores_export(fiscal_year=2563, lang=lang))
            self.assertEqual(report.changes, 0, [r for r in report.rows if r.status != "unchanged"])
            self.assertGreater(report.counts["unchanged"], 30)
        self.assertEqual(database_state(), before)

    def test_it_builds_a_template_that_imports_as_all_skipped(self):
        version = InstrumentVersion.objects.get(fiscal_year=2563)
        data = template_build(version=version, agencies=[self.agency], lang="en")
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        self.assertEqual(workbook.sheetnames[-1], "codes")
        report = self.run_import(data)
        self.assertEqual(report.counts["skipped"], 10 + 45 + 43 + 1)
        self.assertIsNone(report.batch)

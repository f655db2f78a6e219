"""Every bad input the issue names: a clear message naming where and why, and nothing changed.

Each test tries a real (not dry-run) import, checks the message and then that the database's row
counts and the checksum of every stored score are exactly what they were.
"""

import io
import zipfile

import pytest
from django.test import override_settings
from django.utils import translation
from openpyxl import load_workbook

from imports.report import ImportReport
from imports.services import scores_import
from tests.assessments.builders import make_oie_2563
from tests.base import BaseTestCase
from tests.imports.builders import (
    EN_HEADERS,
    database_state,
    english,
    make_steward,
    score_workbook,
    xlsx,
    zip_bomb,
)

GOOD_ROWS = {
    "indicator_scores": [[2563, "oie", 1, 90.08], [2563, "diw", 1, 91]],
    "question_scores": [[2563, "oie", "I14", 70]],
}


@pytest.mark.usefixtures(english.__name__)
class BadInputTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_oie_2563(cls.agency)

    def attempt(self, data: bytes, name: str = "scores.xlsx", user=None) -> ImportReport:
        before = database_state()
        file = io.BytesIO(data)
        report = scores_import(file=file, file_name=name, user=user or self.admin, dry_run=False)
        self.assertTrue(report.refused)
        self.assertIsNone(report.batch)
        self.assertEqual(database_state(), before)
        return report

    def assert_problem(self, report, code, *, sheet="", row=None, column="", text=""):
        problem = next((p for p in report.problems if p.code == code), None)
        self.assertIsNotNone(problem, f"no {code} in {[str(p) for p in report.problems]}")
        self.assertEqual(problem.file, report.file_name)
        self.assertEqual((problem.sheet, problem.row, problem.column), (sheet, row, column))
        message = str(problem)
        self.assertTrue(message.startswith(report.file_name), message)
        self.assertIn(text, message)
        return problem

    def test_it_refuses_a_file_that_is_not_xlsx(self):
        report = self.attempt(b"agency,score\noie,91.50\n", "scores.csv")
        self.assert_problem(report, "not_xlsx", text="not an Excel workbook (.xlsx)")

    def test_it_refuses_a_corrupt_file(self):
        buffer = io.BytesIO()
        source = zipfile.ZipFile(io.BytesIO(score_workbook(**GOOD_ROWS)))
        with zipfile.ZipFile(buffer, "w") as target:
            for info in source.infolist():
                content = source.read(info.filename)
                if info.filename.startswith("xl/worksheets/"):
                    content = content[: len(content) // 2]
                target.writestr(info, content)
        report = self.attempt(buffer.getvalue())
        self.assert_problem(report, "corrupt", text="corrupt")

    def test_it_refuses_a_truncated_file(self):
        data = score_workbook(**GOOD_ROWS)
        report = self.attempt(data[: len(data) - 200])
        self.assert_problem(report, "truncated", text="truncated or corrupt")

    def test_it_refuses_a_password_protected_file(self):
        report = self.attempt(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
        self.assert_problem(report, "password_protected", text="password-protected")

    def test_it_refuses_a_missing_sheet(self):
        report = self.attempt(score_workbook(drop=["official_results"], **GOOD_ROWS))
        self.assert_problem(
            report, "missing_sheet", sheet="official results", text="“ผลประกาศ” (official results)"
        )

    def test_it_refuses_a_missing_column(self):
        sheets = {key.replace("_", " "): [headers] for key, headers in EN_HEADERS.items()}
        sheets["question scores"] = [["fiscal_year", "agency_code", "score"], [2563, "oie", 70]]
        report = self.attempt(xlsx(sheets))
        self.assert_problem(
            report,
            "missing_column",
            sheet="question scores",
            row=1,
            column="question",
            text="“รหัสข้อคำถาม” (question) is missing",
        )

    def test_it_refuses_an_unknown_agency(self):
        data = score_workbook(indicator_scores=[[2563, "oie", 1, 90], [2563, "nosuch", 1, 90]])
        # Only a data steward may name agencies other than their own; for them it is unknown.
        report = self.attempt(data, user=make_steward())
        self.assert_problem(
            report,
            "unknown_agency",
            sheet="indicator scores",
            row=3,
            column="B (agency_code)",
            text="“nosuch” is not in the portal",
        )

    def test_it_refuses_an_unknown_question_code(self):
        report = self.attempt(score_workbook(question_scores=[[2563, "oie", "I31", 70]]))
        self.assert_problem(
            report,
            "unknown_question",
            sheet="question scores",
            row=2,
            column="C (question)",
            text="no question I31",
        )

    def test_it_refuses_an_oit_item_in_the_question_sheet(self):
        report = self.attempt(score_workbook(question_scores=[[2563, "oie", "O1", 70]]))
        self.assert_problem(
            report, "unknown_question", sheet="question scores", row=2, column="C (question)"
        )

    def test_it_refuses_a_year_without_an_instrument_version(self):
        report = self.attempt(score_workbook(indicator_scores=[[2564, "oie", 1, 90]]))
        self.assert_problem(
            report,
            "no_version",
            sheet="indicator scores",
            row=2,
            column="A (fiscal_year)",
            text="no instrument version for the fiscal year 2564",
        )

    def test_it_refuses_a_non_numeric_score(self):
        report = self.attempt(score_workbook(question_scores=[[2563, "oie", "I1", "ดีมาก"]]))
        self.assert_problem(
            report,
            "not_a_number",
            sheet="question scores",
            row=2,
            column="D (score)",
            text="“ดีมาก” is not a number",
        )

    def test_it_refuses_a_score_above_100(self):
        report = self.attempt(score_workbook(indicator_scores=[[2563, "oie", 1, 100.5]]))
        self.assert_problem(
            report,
            "out_of_range",
            sheet="indicator scores",
            row=2,
            column="D (score)",
            text="100.5 is outside 0–100",
        )

    def test_it_refuses_a_score_below_0(self):
        report = self.attempt(score_workbook(question_scores=[[2563, "oie", "I1", "-๑"]]))
        self.assert_problem(
            report, "out_of_range", sheet="question scores", row=2, column="D (score)", text="-1"
        )

    def test_it_refuses_duplicate_rows(self):
        data = score_workbook(question_scores=[[2563, "oie", "I1", 70], [2563, "oie", "I1", 71]])
        report = self.attempt(data)
        self.assert_problem(
            report, "duplicate_row", sheet="question scores", row=3, text="repeats row 2"
        )

    @override_settings(IMPORT_MAX_BYTES=2048)
    def test_it_refuses_a_file_over_the_size_limit(self):
        report = self.attempt(score_workbook(**GOOD_ROWS))
        self.assert_problem(report, "too_big", text="the limit is")

    @override_settings(IMPORT_MAX_ROWS=2)
    def test_it_refuses_more_rows_than_the_cap(self):
        report = self.attempt(score_workbook(**GOOD_ROWS))
        self.assert_problem(
            report, "too_many_rows", sheet="question scores", row=2, text="more than 2 data rows"
        )
        # Refused as a whole: the rows read before the cap are not shown as if checked.
        self.assertEqual((report.rows, sum(report.counts.values())), ([], 0))

    def test_it_refuses_a_zip_bomb(self):
        report = self.attempt(zip_bomb(20))
        self.assert_problem(report, "zip_bomb", text="it was not opened")

    def test_it_refuses_a_sheet_whose_only_data_is_in_its_last_row(self):
        workbook = load_workbook(io.BytesIO(score_workbook(**GOOD_ROWS)))
        sheet = workbook["question scores"]
        sheet.delete_rows(1, 2)
        sheet["D1048576"] = 70
        buffer = io.BytesIO()
        workbook.save(buffer)
        report = self.attempt(buffer.getvalue())
        self.assert_problem(
            report, "no_header", sheet="question scores", row=1, text="starts in row 1048576"
        )

    def test_it_refuses_a_grade_outside_the_version(self):
        data = score_workbook(official_results=[[2563, "oie", 91.5, "A+"]])
        report = self.attempt(data)
        self.assert_problem(
            report, "unknown_grade", sheet="official results", row=2, column="D (grade)"
        )

    def test_it_refuses_a_rank_beyond_the_count(self):
        data = score_workbook(official_results=[[2563, "oie", None, None, 150, 146]])
        report = self.attempt(data)
        self.assert_problem(
            report, "rank_over_count", sheet="official results", row=2, column="E (rank)"
        )

    def test_it_refuses_the_whole_file_when_one_row_is_bad(self):
        rows = [[2563, "oie", n, 90] for n in range(1, 11)] + [[2563, "oie", 11, 90]]
        report = self.attempt(score_workbook(indicator_scores=rows))
        self.assertEqual(report.counts["error"], 1)
        self.assertEqual(report.counts["changed"], 10)
        self.assert_problem(
            report, "unknown_indicator", sheet="indicator scores", row=12, column="C (indicator)"
        )

    def test_it_answers_in_thai(self):
        with translation.override("th"):
            report = self.attempt(score_workbook(question_scores=[[2563, "oie", "I1", "x"]]))
            message = str(report.problems[0])
        self.assertIn("แผ่นงาน", message)
        self.assertIn("แถว 2", message)
        self.assertIn("ไม่ใช่ตัวเลข", message)


@pytest.mark.usefixtures(english.__name__)
class ReaderDefectTests(BaseTestCase):
    """A formula with no saved result, a hidden sheet: refused, never read blank or unseen."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_oie_2563(cls.agency)

    def attempt(self, data: bytes) -> ImportReport:
        before = database_state()
        report = scores_import(
            file=io.BytesIO(data), file_name="scores.xlsx", user=self.admin, dry_run=False
        )
        self.assertTrue(report.refused)
        self.assertEqual(database_state(), before)
        return report

    def test_it_refuses_a_formula_saved_without_its_result(self):
        # openpyxl saves a formula it never calculated: Excel would show 91, the file holds none.
        data = score_workbook(indicator_scores=[[2563, "oie", 1, 90], [2563, "oie", 2, "=90+1"]])
        report = self.attempt(data)
        [problem] = [p for p in report.problems if p.code == "uncached_formula"]
        self.assertEqual(
            str(problem),
            "scores.xlsx, sheet “indicator scores”, row 3, column D (score): the cell D3 holds "
            "a formula saved without its result (the program that wrote the file did not "
            "calculate it); open the file in Excel or LibreOffice, save it and upload it again.",
        )

    def test_it_refuses_a_hidden_sheet_it_would_import(self):
        for state in ("hidden", "veryHidden"):
            with self.subTest(state=state):
                workbook = load_workbook(
                    io.BytesIO(score_workbook(indicator_scores=[[2563, "oie", 1, 90]]))
                )
                workbook["indicator scores"].sheet_state = state
                buffer = io.BytesIO()
                workbook.save(buffer)
                report = self.attempt(buffer.getvalue())
                [problem] = [p for p in report.problems if p.code == "hidden_sheet"]
                self.assertIn(
                    "sheet “indicator scores”: the sheet “indicator scores” is hidden", str(problem)
                )
                self.assertEqual(report.counts["new"], 0)

"""Importing official results with the levels as NACC published them, year by year (issue 14).

2561 used the pre-2562 labels (สูงมาก …), 2566 the AA–F grades, 2567 and 2568 the new levels
(ผ่านดีเยี่ยม …); each sheet writes them as published and the import stores the year's level code.
"""

import io
import json
from decimal import Decimal

import pytest

from assessments import demo
from assessments.models import Assessment
from assessments.selectors import assessment_report
from assessments.services import instrument_version_copy, instrument_version_load
from imports.services import scores_import
from tests.assessments.builders import load_version_2563
from tests.base import BaseTestCase
from tests.imports.builders import english, make_steward, score_workbook


def load_file(year: int):
    path = demo.DATA_DIR / f"ita{year}.json"
    return instrument_version_load(data=json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.usefixtures(english.__name__)
class PublishedLevelImportTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for year in (2561, 2567, 2568):
            load_file(year)
        # 2566 kept 2563's AA–F (domain: 2562–2566); no 2566 file ships, so a steward copies.
        instrument_version_copy(source=load_version_2563(), fiscal_year=2566, name_th="ITA 2566")
        cls.steward = make_steward()

    def run_import(self, rows, **sheets):
        data = score_workbook(official_results=rows, thai=True, **sheets)
        report = scores_import(
            file=io.BytesIO(data), file_name="results.xlsx", user=self.steward, dry_run=False
        )
        return report

    def stored(self, code: str, year: int) -> tuple:
        a = Assessment.objects.official().get(agency__code=code, fiscal_year=year)
        return a.reported_total, a.reported_grade

    def test_it_stores_each_years_published_label_as_its_level(self):
        report = self.run_import(
            [
                [2561, "oie", "87.29", "สูงมาก"],
                [2566, "oie", "๙๒.๑๐", "A"],
                [2567, "oie", "95.20", "ผ่านดี"],
                [2568, "oie", "96.50", " ผ่านดีเยี่ยม "],
                [2568, "diw", "80.00", "ต้องปรับปรุง"],
            ]
        )
        self.assertEqual([str(p) for p in report.problems], [])
        self.assertEqual(self.stored("oie", 2561), (Decimal("87.29"), "สูงมาก"))
        self.assertEqual(self.stored("oie", 2566), (Decimal("92.10"), "A"))
        self.assertEqual(self.stored("oie", 2567), (Decimal("95.20"), "ผ่านดี"))
        self.assertEqual(self.stored("oie", 2568), (Decimal("96.50"), "ผ่านดีเยี่ยม"))
        self.assertEqual(self.stored("diw", 2568), (Decimal("80.00"), "ต้องปรับปรุง"))

    def test_it_reads_a_label_by_its_thai_or_english_wording(self):
        report = self.run_import(
            [
                [2566, "oie", "96", "ระดับ AA (95.00 – 100 คะแนน) ผ่านเกณฑ์"],
                [2567, "oie", "96", "excellent pass"],
                [2561, "oie", "20", "ต่ำมาก"],
            ]
        )
        self.assertEqual([str(p) for p in report.problems], [])
        self.assertEqual(self.stored("oie", 2566)[1], "AA")
        self.assertEqual(self.stored("oie", 2567)[1], "ผ่านดีเยี่ยม")
        self.assertEqual(self.stored("oie", 2561)[1], "ต่ำมาก")

    def test_it_matches_a_split_sara_am(self):
        # Text copied from a Thai PDF may split sara am (ำ) into nikhahit and sara aa (ํ + า).
        report = self.run_import([[2561, "oie", "20", "ต\u0e48\u0e4d\u0e32มาก"]])
        self.assertEqual([str(p) for p in report.problems], [])
        self.assertEqual(self.stored("oie", 2561)[1], "ต่ำมาก")

    def test_it_refuses_another_years_label_and_stores_nothing(self):
        report = self.run_import([[2567, "oie", "90", "สูงมาก"], [2561, "oie", "90", "AA"]])
        self.assertEqual([p.code for p in report.problems], ["unknown_grade", "unknown_grade"])
        self.assertFalse(Assessment.objects.exists())

    def test_it_shows_the_level_and_its_rule_without_computing_a_pre_2562_grade(self):
        self.run_import([[2561, "oie", "87.29", ""], [2567, "oie", "95.20", "ผ่านดี"]])
        early = Assessment.objects.get(fiscal_year=2561)
        report = assessment_report(early)
        self.assertEqual((report.result.official_grade, report.level), (None, None))
        later = assessment_report(Assessment.objects.get(fiscal_year=2567))
        self.assertEqual(later.level.grade, "ผ่านดี")
        self.assertIn("85.00", later.level.rule_text())

    def test_it_imports_sub_indicator_and_instrument_scores_and_finds_the_gap(self):
        report = self.run_import(
            [[2567, "oie", "95.20", "ผ่านดี"]],
            instrument_scores=[
                [2567, "oie", "IIT", "96"],
                [2567, "oie", "eit", "96"],
                [2567, "oie", "OIT", "94"],
            ],
            sub_indicator_scores=[[2566, "diw", "9.1", "88.89"]],
        )
        self.assertEqual([str(p) for p in report.problems], [])
        oie = Assessment.objects.get(agency__code="oie", fiscal_year=2567)
        self.assertEqual(
            dict(oie.instrument_scores.values_list("instrument__code", "score")),
            {"IIT": Decimal("96.00"), "EIT": Decimal("96.00"), "OIT": Decimal("94.00")},
        )
        diw = Assessment.objects.get(agency__code="diw", fiscal_year=2566)
        self.assertEqual(diw.sub_indicator_scores.get().score, Decimal("88.89"))
        result = assessment_report(oie)
        self.assertEqual(result.result.discrepancies, ())
        self.assertEqual(
            [(g.target, g.minimum_needs) for g in result.gaps],
            [("ผ่านดีเยี่ยม", {"OIT": Decimal("1.00")})],
        )

    def test_it_refuses_a_part_the_year_does_not_have(self):
        report = self.run_import(
            [],
            instrument_scores=[[2567, "oie", "EBIT", "90"]],
            sub_indicator_scores=[[2567, "oie", "9.9", "90"]],
        )
        self.assertEqual([p.code for p in report.problems], ["unknown_part", "unknown_part"])
        self.assertFalse(Assessment.objects.exists())

    def test_it_still_reads_a_file_of_the_five_earlier_sheets(self):
        data = score_workbook(
            official_results=[[2566, "oie", "90", "A"]],
            drop=("sub_indicator_scores", "instrument_scores"),
        )
        report = scores_import(
            file=io.BytesIO(data), file_name="old.xlsx", user=self.steward, dry_run=False
        )
        self.assertEqual([str(p) for p in report.problems], [])
        self.assertEqual(self.stored("oie", 2566), (Decimal("90.00"), "A"))

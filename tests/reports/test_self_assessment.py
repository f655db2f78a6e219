"""The agency's self-assessment beside the official result in the executive summary."""

import datetime as dt
import re
from decimal import Decimal as D
from io import BytesIO

from django.core.cache import cache
from openpyxl import load_workbook

from assessments.models import Assessment, InstrumentScore
from assessments.services import assessment_scores_set
from oit.models import OitRound
from reports.builders import executive_summary
from reports.cache import summary_stamp
from surveys.models import RoundScore, SurveyRound
from tests.reports.builders import DemoTestCase, pdf_text

SUMMARY = "/reports/oie/2563/summary/"


def flat(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def own_result(official: Assessment, year: int = 2563, **scores) -> Assessment:
    """Store a self-assessment of the agency's year with the given instrument scores."""
    version = official.version if year == official.fiscal_year else None
    own = Assessment.objects.create(
        agency=official.agency,
        fiscal_year=year,
        kind=Assessment.Kind.SELF,
        version=version or type(official.version).objects.get(fiscal_year=year),
    )
    assessment_scores_set(assessment=own, instruments={k: D(v) for k, v in scores.items()})
    return own


def surveyed(official: Assessment, code: str, score: str) -> None:
    """Record a closed survey round with its organisation score (what closing a survey writes)."""
    survey = SurveyRound.objects.create(
        agency=official.agency,
        instrument=official.version.instruments.get(code=code),
        opens_on=dt.date(2020, 6, 1),
        closes_on=dt.date(2020, 6, 30),
        state=SurveyRound.State.CLOSED,
    )
    RoundScore.objects.create(
        round=survey, level=RoundScore.Level.INSTRUMENT, key=code, score=D(score), respondents=40
    )


class SelfAssessmentSummaryTests(DemoTestCase):
    def setUp(self):
        cache.clear()
        self.client.force_login(self.p.manager)

    def with_own_result(self) -> None:
        own_result(self.assessment, IIT="88.00", EIT="90.00", OIT="95.00")
        surveyed(self.assessment, "IIT", "88.00")
        surveyed(self.assessment, "EIT", "90.00")
        OitRound.objects.create(
            agency=self.assessment.agency,
            fiscal_year=2563,
            version=self.assessment.version,
            state=OitRound.State.APPROVED,
        )

    def test_the_summary_data_puts_the_self_assessment_beside_the_official(self):
        self.with_own_result()
        own = executive_summary(self.assessment)["self_assessment"]
        rows = {i["code"]: i for i in own["instruments"]}
        assert (rows["IIT"]["official"], rows["IIT"]["score"]) == (D("83.81"), D("88.00"))
        assert rows["IIT"]["difference"] == D("4.19")
        assert [rows[c]["source"] for c in ("IIT", "EIT", "OIT")] == [
            "survey",
            "survey",
            "oit_check",
        ]
        # 88 × 30 % + 90 × 30 % + 95 × 40 % = 91.40, level A (85–95).
        assert (own["total"], own["grade"]) == (D("91.40"), "A")
        assert own["total_difference"] == D("-0.10")
        assert own["sources"] == ["survey", "oit_check"]

    def test_the_html_summary_shows_it_labelled_as_a_self_assessment(self):
        self.with_own_result()
        html = self.client.get(SUMMARY).content.decode()
        section = html.split('data-testid="summary-self"', 1)[1].split("</section>", 1)[0]
        assert "ผลการประเมินตนเอง" in section and "ไม่ใช่ผลการประเมินของ ป.ป.ช." in section
        iit = flat(section.split('data-testid="self-IIT"')[1])
        assert re.search(r"83\.81 88\.00 \+4\.19 แบบสำรวจของหน่วยงาน", iit), iit[:200]
        assert "การตรวจ OIT ด้วยตนเอง" in section.split('data-testid="self-OIT"')[1]
        total = flat(section.split('data-testid="self-total"')[1])
        assert re.search(r"91\.50 91\.40 -0\.10", total), total[:200]
        assert "self-level" in section

    def test_the_pdf_prints_it_beside_the_official_figures(self):
        self.with_own_result()
        text = pdf_text(self.client.get("/reports/oie/2563/summary.pdf").content)
        assert "ผลการประเมินตนเอง" in text
        assert re.search(r"IIT\D*83\.81 88\.00 \+4\.19 แบบสำรวจของหน่วยงาน", text)
        assert re.search(r"91\.50 91\.40 -0\.10", text)

    def test_the_workbook_has_a_self_assessment_sheet(self):
        self.with_own_result()
        book = load_workbook(BytesIO(self.client.get("/reports/oie/2563/summary.xlsx").content))
        assert "ผลการประเมินตนเอง" in book.sheetnames
        rows = list(book["ผลการประเมินตนเอง"].iter_rows(values_only=True))
        assert rows[1][:4] == ("IIT", 83.81, 88, 4.19) and rows[1][4] == "แบบสำรวจของหน่วยงาน"
        assert rows[4][:4] == ("คะแนนรวม", 91.5, 91.4, -0.1)
        assert rows[5][1:3] == ("A", "A")

    def test_nothing_new_shows_without_a_self_assessment(self):
        assert executive_summary(self.assessment)["self_assessment"] is None
        html = self.client.get(SUMMARY).content.decode()
        assert "summary-self" not in html and "ผลการประเมินตนเอง" not in html
        text = pdf_text(self.client.get("/reports/oie/2563/summary.pdf").content)
        assert "ผลการประเมินตนเอง" not in text
        book = load_workbook(BytesIO(self.client.get("/reports/oie/2563/summary.xlsx").content))
        assert "ผลการประเมินตนเอง" not in book.sheetnames and len(book.sheetnames) == 5

    def test_a_later_years_self_assessment_stays_out(self):
        own_result(self.assessment, year=2564, IIT="99.00")
        assert executive_summary(self.assessment)["self_assessment"] is None

    def test_an_own_result_without_a_recorded_source_names_none(self):
        own_result(self.assessment, IIT="88.00")
        own = executive_summary(self.assessment)["self_assessment"]
        assert [i["source"] for i in own["instruments"]] == ["", "", ""]
        assert own["total"] is None and own["grade"] is None and own["sources"] == []


class SelfAssessmentStampTests(DemoTestCase):
    def test_the_stamp_follows_the_self_assessments_rows(self):
        before = summary_stamp(self.assessment)
        own = own_result(self.assessment, IIT="88.00")
        created = summary_stamp(self.assessment)
        assert created > before
        score = InstrumentScore.objects.get(assessment=own)
        score.score = D("87.00")
        score.save()
        changed = summary_stamp(self.assessment)
        assert changed > created
        OitRound.objects.create(
            agency=own.agency, fiscal_year=2563, version=own.version, state="approved"
        )
        assert summary_stamp(self.assessment) > changed

    def test_another_agencys_self_assessment_leaves_the_stamp_alone(self):
        before = summary_stamp(self.assessment)
        peer = Assessment.objects.get(agency__code="diw", fiscal_year=2563)
        own_result(peer, IIT="70.00")
        assert summary_stamp(self.assessment) == before

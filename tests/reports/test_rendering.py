"""The PDFs themselves: figures, Thai text, embedded fonts, and nothing fetched from content."""

import re
import subprocess
import tempfile
import unicodedata
from decimal import Decimal as D
from io import BytesIO
from pathlib import Path
from unittest import mock

from django.core.cache import cache
from openpyxl import load_workbook

from measures.models import Activity, Evidence, ProgressReport
from reports import pdf, views
from tests.reports.builders import DemoTestCase, add_later_year, publish_a_different_total
from tests.reports.test_builders import MEASURE_TITLES


def pdf_text(data: bytes, tmp: Path, *, layout: bool = False, raw: bool = False) -> str:
    path = tmp / "report.pdf"
    path.write_bytes(data)
    args = [
        "pdftotext",
        *(["-layout"] if layout else []),
        *(["-raw"] if raw else []),
        str(path),
        "-",
    ]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


# Thai marks above and below the line (mai han-akat, upper and lower vowels, tone marks...), but
# not the nikhahit of sara am.
THAI_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4c\u0e4e]")


def squeeze(text: str) -> str:
    """Reduce text to its NFKC letters and sara am (ำ as ํา), without spaces or other marks.

    The PDF's text holds every character as rendered (pdftotext -raw reads it back exactly), but
    pdftotext's layout mode moves a tone mark stacked above an upper vowel (ยิ้ม) to the end of
    its line, so only the marks' places are left out of the comparison.
    """
    return re.sub(r"\s+", "", THAI_MARKS.sub("", unicodedata.normalize("NFKC", text)))


# Runs of Thai letters holding sara am (ำ), as rendered and as pdftotext reads them (NFKC).
SARA_AM_RUN = re.compile("[\u0e01-\u0e4e]*\u0e4d\u0e32[\u0e01-\u0e4e]*")


def sara_am_runs(html: str) -> set[str]:
    """Return the runs of Thai letters with sara am in a page's text (markup and CSS removed)."""
    body = html[html.index("<body") :]
    text = unicodedata.normalize("NFKC", re.sub(r"<[^>]+>", " ", body))
    return {squeeze(run) for run in SARA_AM_RUN.findall(text)}


def pdf_fonts(data: bytes, tmp: Path) -> list[list[str]]:
    path = tmp / "fonts.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [line.split() for line in out.stdout.splitlines()[2:]]


def arabic_figures(text: str) -> list[str]:
    """Return the bits of text still written in Arabic digits, question codes and links aside."""
    text = re.sub(r"https?://\S+|\b[A-Z]+\d+\b", "", text)
    return re.findall(r".{0,20}[0-9].{0,20}", text)


def report_body(html: str) -> str:
    """Return the text of an HTML report's body (the card below the download buttons)."""
    body = html.split('<div class="card report">', 1)[1].rsplit("<footer", 1)[0]
    return re.sub(r"<[^>]+>", " ", body)


class SummaryPdfTests(DemoTestCase):
    def setUp(self):
        cache.clear()
        self.client.force_login(self.p.manager)
        self.tmp = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def test_it_prints_the_oie_2563_figures_and_every_measure(self):
        response = self.client.get("/reports/oie/2563/summary.pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF-")
        text = pdf_text(response.content, self.tmp, layout=True)
        for figure in ("91.50", "83.81", "89.33", "98.89", "25.14", "26.80", "39.56"):
            assert figure in text, figure
        assert re.search(r"(?m)^\s*A\s*$", text), "the grade badge on the cover"
        assert re.search(r"I14\s.*66\.02", text), "I14 with its score in Table 2"
        assert "2559" in text and "77.56" in text  # the trend chart
        flat = squeeze(pdf_text(response.content, self.tmp))
        for title in MEASURE_TITLES:
            assert squeeze(title) in flat, title
        assert squeeze("สำนักงานเศรษฐกิจอุตสาหกรรม") in flat
        assert squeeze("บทสรุปผู้บริหาร") in flat

    def test_it_gives_back_every_word_with_sara_am(self):
        data = self.client.get("/reports/oie/2563/summary.pdf").content
        flat = squeeze(pdf_text(data, self.tmp))
        for word in ("ดำเนิน", "กำหนด", "ประจำปี", "การทำงาน", "สำนักงาน"):
            assert squeeze(word) in flat, word
        html = pdf.render_html(
            "reports/pdf/summary.html", views._summary_context(self.assessment, "")
        )
        runs = sara_am_runs(html)
        # In the order the PDF draws its text: pdftotext's reading order interleaves table cells.
        drawn = squeeze(pdf_text(data, self.tmp, raw=True))
        assert len(runs) > 5
        assert not [run for run in runs if run not in drawn]

    def test_it_embeds_sarabun(self):
        data = self.client.get("/reports/oie/2563/summary.pdf").content
        fonts = pdf_fonts(data, self.tmp)
        assert fonts and all("Sarabun" in row[0] for row in fonts), fonts
        # Columns emb and sub: every font is embedded, as a subset.
        assert all(row[-5:-3] == ["yes", "yes"] for row in fonts), fonts

    def test_it_writes_thai_digits_when_asked(self):
        data = self.client.get("/reports/oie/2563/summary.pdf?digits=thai").content
        text = pdf_text(data, self.tmp)
        assert "๙๑.๕๐" in text and "๘๓.๘๑" in text
        assert "91.50" not in text
        assert "I14" in text  # codes stay as they are

    def test_every_figure_of_the_pdf_is_in_thai_digits_when_asked(self):
        data = self.client.get("/reports/oie/2563/summary.pdf?digits=thai").content
        text = pdf_text(data, self.tmp)
        assert squeeze("ตารางที่ ๑") in squeeze(text) and squeeze("แผนภูมิที่ ๒") in squeeze(text)
        assert arabic_figures(text) == []

    def test_every_figure_of_the_page_is_in_thai_digits_when_asked(self):
        response = self.client.get("/reports/oie/2563/summary/?digits=thai")
        body = report_body(response.content.decode())
        assert "๒๕๖๓" in body and "๙๑.๕๐" in body and "I14" in body
        assert arabic_figures(body) == []


class ProgressPdfTests(DemoTestCase):
    def setUp(self):
        cache.clear()
        self.client.force_login(self.p.staff)
        self.tmp = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def test_it_prints_every_activity_with_its_report(self):
        data = self.client.get("/reports/oie/2564/progress/1.pdf").content
        flat = squeeze(pdf_text(data, self.tmp))
        for activity in Activity.objects.filter(measure__plan=self.plan):
            assert activity.number in flat
            assert squeeze(activity.title_th) in flat, activity.number
        assert squeeze("เผยแพร่ในระบบอินทราเน็ต") in flat
        assert "16.67" in flat and "100" in flat
        # Neither the unreviewed 4.1 (70 %) nor the draft 5.1 (40 %) is printed or averaged in.
        assert squeeze("ไลน์กลุ่ม สศอ.") not in flat and squeeze("KM Sharing") not in flat
        assert "47.50" not in flat and "35.00" not in flat

    def test_every_figure_is_in_thai_digits_when_asked(self):
        report = ProgressReport.objects.get(round=self.round, activity__number="1.1")
        report.results = "ประชุม 3 ครั้ง ดู https://intranet.example/2564/report1 และ I14"
        report.save()
        text = pdf_text(
            self.client.get("/reports/oie/2564/progress/1.pdf?digits=thai").content, self.tmp
        )
        assert "ประชุม ๓ ครั้ง" in text and "https://intranet.example/2564/report1" in text
        assert arabic_figures(text) == []
        body = report_body(
            self.client.get("/reports/oie/2564/progress/1/?digits=thai").content.decode()
        )
        assert "๓๑ มี.ค. ๒๕๖๔" in body
        assert arabic_figures(body) == []

    def test_each_label_keeps_its_value_on_its_line(self):
        text = pdf_text(
            self.client.get("/reports/oie/2564/progress/1.pdf").content, self.tmp, layout=True
        )
        lines = unicodedata.normalize("NFKC", text).splitlines()
        for label in ("หลักฐาน", "แนวทางดำเนินการต่อไป", "ระยะเวลาดำเนินการ", "ผลการดำเนินงาน"):
            label = unicodedata.normalize("NFKC", label)
            found = [line for line in lines if re.match(rf"\s*{label}(\s|$)", line)]
            assert len(found) == 6, (label, found)  # one per activity
            assert all(line.split(label, 1)[1].strip() for line in found), (label, found)

    def test_it_gives_back_every_word_with_sara_am(self):
        data = self.client.get("/reports/oie/2564/progress/1.pdf").content
        flat = squeeze(pdf_text(data, self.tmp))
        for word in ("ดำเนินการ", "ผลการดำเนินงาน", "จัดทำ", "การนำผล"):
            assert squeeze(word) in flat, word
        html = pdf.render_html("reports/pdf/progress.html", views._progress_context(self.round, ""))
        runs = sara_am_runs(html)
        # In the order the PDF draws its text: pdftotext's reading order interleaves table cells.
        drawn = squeeze(pdf_text(data, self.tmp, raw=True))
        assert len(runs) > 5
        assert not [run for run in runs if run not in drawn]

    def test_it_never_fetches_references_in_user_entered_text(self):
        report = ProgressReport.objects.get(round=self.round, activity__number="1.1")
        report.results = (
            '<img src="file:///etc/passwd"> <img src="http://127.0.0.1:9/track.png">'
            "<style>@import url(http://127.0.0.1:9/a.css);</style>"
        )
        report.obstacles = "background: url(file:///etc/shadow)"
        report.save()
        Evidence.objects.create(report=report, url="http://127.0.0.1:9/evidence.png")
        asked: list[str] = []
        real = pdf.static_path_for

        def spy(url):
            asked.append(url)
            return real(url)

        with mock.patch.object(pdf, "static_path_for", side_effect=spy):
            data = self.client.get("/reports/oie/2564/progress/1.pdf").content
        assert asked, "the fetcher served the stylesheet and fonts"
        assert all(url.startswith(pdf.PDF_BASE_URL + "static/") for url in asked), asked
        text = pdf_text(data, self.tmp)
        # The markup was printed as text, never interpreted.
        assert '<img src="file:///etc/passwd">' in text
        assert "url(file:///etc/shadow)" in text
        assert "http://127.0.0.1:9/evidence.png" in text


def xlsx_rows(data: bytes, title: str) -> list[tuple]:
    return list(load_workbook(BytesIO(data))[title].iter_rows(values_only=True))


class LaterYearTests(DemoTestCase):
    """ITA 2564 entered: the 2563 summary (chart, tables, workbook, text) stays at 2563."""

    def setUp(self):
        cache.clear()
        add_later_year(total="93.33")
        self.client.force_login(self.p.manager)
        self.tmp = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def test_the_pdf_has_no_later_point(self):
        text = pdf_text(self.client.get("/reports/oie/2563/summary.pdf").content, self.tmp)
        assert "77.56" in text and "91.50" in text
        assert "93.33" not in text

    def test_the_page_and_its_chart_stop_at_the_year(self):
        response = self.client.get("/reports/oie/2563/summary/")
        chart = response.content.decode().split('class="chart trend-chart"')[1].split("</svg>")[0]
        assert ">2563<" in chart and ">2564<" not in chart and "93.33" not in chart
        self.assertNotContains(response, "93.33")

    def test_the_workbook_stops_at_the_year(self):
        data = self.client.get("/reports/oie/2563/summary.xlsx").content
        rows = xlsx_rows(data, "ผลการประเมินรายปี")
        assert [row[0] for row in rows[1:]] == [2559, 2560, 2561, 2562, 2563]

    def test_the_later_summary_shows_both_years(self):
        text = pdf_text(self.client.get("/reports/oie/2564/summary.pdf").content, self.tmp)
        assert "93.33" in text and "91.50" in text


class OfficialResultRenderingTests(DemoTestCase):
    """NACC published 92.36; the scores give 92.71: the published figure is the headline."""

    def setUp(self):
        cache.clear()
        publish_a_different_total(self.assessment)
        self.client.force_login(self.p.manager)
        self.tmp = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def test_the_pdf_leads_with_the_published_total(self):
        text = pdf_text(self.client.get("/reports/oie/2563/summary.pdf").content, self.tmp)
        flat = squeeze(text)
        assert squeeze("ได้คะแนน 92.36 คะแนน อยู่ในระดับ A") in flat
        assert squeeze("ได้คะแนน 92.71") not in flat
        assert squeeze("คะแนนรวมที่คำนวณจากคะแนนที่บันทึกไว้คือ 92.71 สูงกว่าที่ประกาศ 0.35") in flat
        assert squeeze("คะแนนรวมที่ ป.ป.ช. ประกาศ 92.36") in flat

    def test_the_workbook_gives_both_totals(self):
        rows = xlsx_rows(self.client.get("/reports/oie/2563/summary.xlsx").content, "คะแนนถ่วงน้ำหนัก")
        totals = {row[0]: row[3] for row in rows[1:]}
        assert totals["คะแนนรวมที่ ป.ป.ช. ประกาศ"] == 92.36
        assert totals["คะแนนรวมที่คำนวณได้"] == 92.71
        assert totals["ระดับที่ ป.ป.ช. ประกาศ"] == "A"

    def test_a_rounding_cent_is_explained_not_warned(self):
        self.assessment.reported_total = D("92.70")
        self.assessment.save()
        response = self.client.get("/reports/oie/2563/summary/")
        self.assertContains(response, "เพียงเพราะคะแนนที่ประกาศซึ่งใช้คำนวณถูกปัดเศษ")
        self.assertContains(response, 'data-testid="rounding-table"')
        self.assertNotContains(response, 'data-testid="warnings-table"')

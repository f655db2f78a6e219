"""The measures document: generated from OIE's data it carries every table of the seed; its
pages, downloads, forms and issued versions are for managers and admins of the agency only."""

import io
import json
import unicodedata
from pathlib import Path

from django.core.cache import cache
from django.test import override_settings
from docx import Document

from assessments.models import Question
from reports.document import document_facts
from reports.document_blocks.writers import HEADING, MEMO, TABLE
from reports.document_render import document_blocks
from reports.models import DocumentText, IssuedDocument, WeaknessApproach
from tests.media import TemporaryMediaRoot
from tests.reports.builders import DemoTestCase, add_later_year, pdf_text

SEED = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "seed_oie2564_measures.json").read_text(
        encoding="utf-8"
    )
)
PAGE = "/reports/oie/2564/measures/"
PDF = "/reports/oie/2564/measures.pdf"
DOCX = "/reports/oie/2564/measures.docx"
REPORTS = [
    f"/reports/oie/2564/measures/{k}.{f}" for k in ("twelve-month", "o25") for f in ("pdf", "docx")
]


def texts(value) -> list[str]:
    """Every string of the blocks, in order."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in ("t", "id") for t in texts(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in texts(v)]
    return []


def table(blocks, caption_start: str) -> dict:
    return next(b for b in blocks if b["t"] == TABLE and b["caption"].startswith(caption_start))


def normal(text: str) -> str:
    """Text as extracted from a PDF: sara am may come apart, lines break anywhere."""
    return "".join(unicodedata.normalize("NFKC", text).replace("\u0e4d\u0e32", "\u0e33").split())


class SeedComparisonTests(DemoTestCase):
    """The generated OIE 2564 document holds every figure, table and measure of the seed."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.blocks = document_blocks(cls.plan, "measures", "")
        cls.all = "\n".join(texts(cls.blocks))

    def test_it_carries_table_1_and_the_weighted_table(self):
        rows = table(self.blocks, "ตารางที่ 1")["rows"]
        cells = [[c[0] for c in r] for r in rows if isinstance(r, list)]
        for number, score in SEED["table1"]["indicators"].items():
            row = next(c for c in cells if c[0].startswith(f"ตัวชี้วัดที่ {number} "))
            self.assertEqual(row[2], score)
            if number in SEED["table1"]["question_counts"]:
                self.assertEqual(row[1], str(SEED["table1"]["question_counts"][number]))
        for name, count in SEED["table1"]["sub_indicators"]:
            self.assertIn([f"- {name}", str(count)], [c[:2] for c in cells])
        totals = [[c[0] for c in r["total"]] for r in rows if isinstance(r, dict) and "total" in r]
        for code, score in SEED["table1"]["instruments"].items():
            self.assertIn([f"คะแนนรวม {code}", "", score], totals)
        weighted = next(
            b for b in self.blocks if b["t"] == TABLE and b["head"][-1] == "คะแนนถ่วงน้ำหนัก"
        )
        self.assertEqual([[c[0] for c in r] for r in weighted["rows"][:3]], SEED["weighted"])
        self.assertEqual(weighted["rows"][3]["total"][-1], [SEED["total"]])

    def test_it_carries_the_grade_scale_ranks_peers_history_and_samples(self):
        grades = next(b for b in self.blocks if b["t"] == TABLE and b["head"] == ["คะแนน", "ระดับ"])
        self.assertEqual(
            [[r[0][0], r[1][0]] for r in grades["rows"]],
            [[f"{lo} - {hi}", g] for lo, hi, g in SEED["grades"]],
        )
        self.assertIn(f"อยู่ในอันดับที่ {SEED['rank']}", self.all)
        self.assertIn(f"จากจำนวนทั้งหมด {SEED['rank_of']} หน่วยงาน", self.all)
        self.assertIn(f"ลำดับที่ {SEED['ministry_rank']} จาก {SEED['ministry_rank_of']}", self.all)
        ranking = " ".join(
            f"{n}) {name} {score}" for n, (name, score) in enumerate(SEED["peers"], start=1)
        )
        self.assertIn(ranking, self.all)
        self.assertIn(
            "รองจาก กรมโรงงานอุตสาหกรรม กรมส่งเสริมอุตสาหกรรม และสำนักงานปลัดกระทรวงอุตสาหกรรม",
            self.all.replace("และ ", "และ"),
        )
        history = table(self.blocks, "ผลการประเมิน ITA ของ สศอ. รายปี")["rows"]
        for year, total, rank in SEED["history"]:
            row = next(r for r in history if r[0] == [str(year)])
            self.assertEqual(row[1], [total])
            self.assertTrue(row[2][0].startswith(str(rank)))
        for respondents, population in SEED["sample"].values():
            self.assertIn(f"ผู้ตอบแบบสอบถาม {respondents} คน จากทั้งหมด {population} คน", self.all)

    def test_it_carries_table_2_lowest_first_with_its_stars_and_instruments(self):
        rows = table(self.blocks, "ตารางที่ 2")["rows"]
        got = [[c[0] for c in r] for r in rows]
        expected = [
            [f"{n}{'*' if star else ''}", indicator, code_i, code, score]
            for n, indicator, code_i, code, score, star in SEED["table2"]
        ]
        self.assertEqual([[g[0], g[1], g[2], g[3], g[5]] for g in got], expected)

    def test_it_carries_section_4_weakness_approach_and_responsible_unit(self):
        # The seed lists them in its own order; the document lists them lowest score first.
        rows = next(b for b in self.blocks if b["t"] == TABLE and b["head"][0] == "ผู้ประเมิน")
        texts_by_code = dict(
            Question.objects.filter(version=self.assessment.version).values_list("code", "text_th")
        )
        got = sorted((r[0][0], r[2][0].split(") ", 1)[1], r[4][0]) for r in rows["rows"])
        expected = sorted(
            (side, texts_by_code[code], units) for side, code, units in SEED["section4"]
        )
        self.assertEqual(got, expected)
        self.assertTrue(all(r[3] for r in rows["rows"]))

    def test_it_carries_every_measure_activity_step_owner_and_deadline(self):
        for measure in SEED["section5"]:
            self.assertIn(f"({measure['number']}) {measure['title']}", self.all)
            heading_at = next(
                i
                for i, b in enumerate(self.blocks)
                if b["t"] == HEADING and b["text"] == f"({measure['number']}) {measure['title']}"
            )
            rows = self.blocks[heading_at + 1]["rows"]
            self.assertEqual(len(rows), len(measure["activities"]))
            for row, activity in zip(rows, measure["activities"], strict=True):
                self.assertIn(activity["title"], row[0][0])
                for step in activity["steps"]:
                    self.assertTrue(any(step in line for line in row[1]), step)
                self.assertEqual(sorted(row[2][0].split("/ ")), sorted(activity["owners"]))
                self.assertEqual(row[3], [SEED["deadline"]])
                self.assertEqual(row[4], [SEED["reporting"]])

    def test_it_carries_the_suggestions_issuing_unit_and_date(self):
        for text in SEED["suggestions"] + SEED["issued"]:
            self.assertIn(text, self.all)

    def test_thai_digits_reach_every_figure_but_leave_question_codes(self):
        thai = "\n".join(texts(document_blocks(self.plan, "measures", "thai")))
        self.assertIn("๙๑.๕๐", thai)
        self.assertIn("มีนาคม ๒๕๖๔", thai)
        self.assertIn("ตารางที่ ๒", thai)
        self.assertIn("I14", thai)
        self.assertNotIn("91.50", thai)

    def test_the_facts_take_a_fixed_number_of_queries(self):
        # plan_overview 9, assessment 1, texts 1, settings 1, approaches 1, assessment_report 10,
        # agency_history 11 (with the 2563 year's versions), ministry_peers 4 (peers lacking a
        # stored result, the ranked ids, their rows with stored results, their levels), question
        # scores 1.
        with self.assertNumQueries(39):
            document_facts(self.plan)

    def test_a_later_year_changes_nothing_in_the_document(self):
        before = texts(document_blocks(self.plan, "measures", ""))
        add_later_year()
        self.assertEqual(texts(document_blocks(self.plan, "measures", "")), before)


@override_settings(LANGUAGE_CODE="th")
class DownloadTests(TemporaryMediaRoot, DemoTestCase):
    def setUp(self):
        cache.clear()

    def test_managers_and_admins_download_pdf_and_word_that_read_in_thai(self):
        for user in (self.p.manager, self.p.admin):
            self.client.force_login(user)
            pdf = self.client.get(PDF)
            self.assertEqual(pdf.status_code, 200)
            self.assertEqual(pdf["Content-Type"], "application/pdf")
            docx = self.client.get(DOCX + "?digits=thai")
            self.assertEqual(docx.status_code, 200)
        text = normal(pdf_text(pdf.content))
        for fragment in (
            "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
            "91.50",
            "I14",
            "66.02",
            "กคพ.สส./กปส.สส./กส./ตสน.",
            "มี.ค.64",
            "ตารางที่2",
        ):
            self.assertIn(normal(fragment), text)
        document = Document(io.BytesIO(docx.content))
        words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
            c.text for t in document.tables for r in t.rows for c in r.cells
        )
        self.assertIn("๙๑.๕๐", words)
        self.assertIn("มาตรการบริหารบุคลากรอย่างโปร่งใส", words)
        self.assertEqual(document.styles["Normal"].font.name, "TH Sarabun New")
        self.assertEqual(document.styles["Normal"].font.size.pt, 16)
        self.assertIn("Heading 1", {p.style.name for p in document.paragraphs})

    def test_both_reports_download_as_pdf_and_word(self):
        self.client.force_login(self.p.manager)
        for url in REPORTS:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
        self.assertEqual(self.client.get("/reports/oie/2564/measures/other.pdf").status_code, 404)

    def test_staff_outsiders_and_anonymous_cannot(self):
        urls = [PAGE, PDF, DOCX, *REPORTS, PAGE + "texts/foreword/", PAGE + "settings/"]
        for url in urls:
            self.client.logout()
            self.assertEqual(self.client.get(url).status_code, 302, url)
            self.client.force_login(self.p.staff)
            self.assertEqual(self.client.get(url).status_code, 403, url)
            self.client.force_login(self.p.outsider)
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.client.force_login(self.p.staff)
        self.assertEqual(
            self.client.post(PAGE + "issue/", {"kind": "measures", "format": "pdf"}).status_code,
            403,
        )

    def test_a_repeated_download_comes_from_the_cache_until_a_text_changes(self):
        self.client.force_login(self.p.manager)
        first = self.client.get(PDF).content
        # Session, user, role groups, the agency, the plan, its assessment, the plan's document
        # stamp, the summary's data stamp, and the shared cache's read of the rendered file.
        with self.assertNumQueries(9):
            self.assertEqual(self.client.get(PDF).content, first)
        self.client.post(PAGE + "texts/foreword/", {"text": "คำนำที่แก้ไขแล้ว"})
        self.assertIn(normal("คำนำที่แก้ไขแล้ว"), normal(pdf_text(self.client.get(PDF).content)))

    def test_bad_digits_is_a_bad_request(self):
        self.client.force_login(self.p.manager)
        self.assertEqual(self.client.get(PDF + "?digits=roman").status_code, 400)

    def test_the_page_shows_the_document_and_its_forms(self):
        self.client.force_login(self.p.admin)
        self.client.get(PAGE)
        # Session, user, role groups, the agency, the plan, the document's facts (39), its
        # issued versions, and the navigation's bell for an admin (6: unread notifications, the
        # open rounds, their activities, reports, the waiting count, what blocks the agency).
        with self.assertNumQueries(51):
            page = self.client.get(PAGE)
        self.assertContains(page, "ตารางที่ 2")
        self.assertContains(page, PAGE + "texts/foreword/")
        self.assertContains(page, "/reports/oie/2564/measures.docx")
        self.assertContains(self.client.get("/reports/"), PAGE)

    def test_an_issued_version_is_stored_listed_and_kept(self):
        self.client.force_login(self.p.manager)
        response = self.client.post(
            PAGE + "issue/", {"kind": "measures", "format": "docx", "thai_digits": "on"}
        )
        self.assertRedirects(response, PAGE)
        issued = IssuedDocument.objects.get()
        self.assertEqual(
            (issued.issued_by, issued.format, issued.thai_digits), (self.p.manager, "docx", True)
        )
        self.assertContains(self.client.get(PAGE), f"{PAGE}issued/{issued.pk}/")
        stored = b"".join(self.client.get(f"{PAGE}issued/{issued.pk}/").streaming_content)
        DocumentText.objects.filter(plan=self.plan, key="foreword").update(text="คำนำใหม่")
        again = b"".join(self.client.get(f"{PAGE}issued/{issued.pk}/").streaming_content)
        self.assertEqual(stored, again)
        self.assertEqual(self.client.post(PAGE + "issue/", {"kind": "x"}).status_code, 400)


class FormTests(DemoTestCase):
    def test_an_edited_text_is_kept_and_an_empty_one_goes_back_to_the_draft(self):
        self.client.force_login(self.p.manager)
        url = PAGE + "texts/summary/"
        form = self.client.get(url)
        self.assertContains(form, "91.50")  # the draft, offered for editing
        self.assertRedirects(self.client.post(url, {"text": "สรุปที่แก้ไขแล้ว"}), PAGE)
        self.assertIn("สรุปที่แก้ไขแล้ว", texts(document_blocks(self.plan, "measures", "")))
        self.assertEqual(DocumentText.objects.get(key="summary").history.count(), 1)
        self.client.post(url, {"text": ""})
        self.assertFalse(DocumentText.objects.filter(key="summary").exists())
        self.assertEqual(self.client.get(PAGE + "texts/nothing/").status_code, 404)

    def test_a_too_long_text_is_refused_and_changes_nothing(self):
        self.client.force_login(self.p.admin)
        response = self.client.post(PAGE + "texts/foreword/", {"text": "ก" * 10001})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "10,000")
        self.assertNotEqual(DocumentText.objects.get(key="foreword").text, "ก" * 10001)

    def test_an_approach_needs_its_responsible_units(self):
        self.client.force_login(self.p.admin)
        measure = self.plan.measures.get(number=1)
        url = f"{PAGE}approaches/{measure.pk}/I14/"
        response = self.client.post(url, {"approach": "- จัดทำเกณฑ์", "responsible": ""})
        self.assertContains(response, "โปรดระบุหน่วยงานที่รับผิดชอบแนวทางนี้")
        self.assertRedirects(
            self.client.post(url, {"approach": "- จัดทำเกณฑ์", "responsible": "กบท."}), PAGE
        )
        row = WeaknessApproach.objects.get(measure=measure, question__code="I14")
        self.assertEqual(row.responsible, "กบท.")
        self.assertEqual(self.client.get(f"{PAGE}approaches/{measure.pk}/E6/").status_code, 404)

    def test_the_settings_need_an_addressee_for_the_memo(self):
        self.client.force_login(self.p.admin)
        url = PAGE + "settings/"
        response = self.client.post(url, {"issuing_unit": "กพบ.", "memo": "on", "memo_to": ""})
        self.assertContains(response, "โปรดระบุผู้รับบันทึกข้อความ")
        self.assertRedirects(
            self.client.post(
                url,
                {
                    "issuing_unit": "กพบ.",
                    "issued_on": "01/03/2564",
                    "memo": "on",
                    "memo_to": "ผู้อำนวยการสำนักงานเศรษฐกิจอุตสาหกรรม",
                },
            ),
            PAGE,
        )
        blocks = document_blocks(self.plan, "measures", "thai")
        memo = next(b for b in blocks if b["t"] == MEMO)
        self.assertIn(("วันที่", "๑ มีนาคม ๒๕๖๔"), [tuple(r) for r in memo["rows"]])
        self.assertEqual(blocks[0]["t"], MEMO)

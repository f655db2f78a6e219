from decimal import Decimal as D

from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from ita_portal import thai
from reports.pdf import render_html
from reports.templatetags.reports import digits, localized
from tests.reports.builders import progress_data, summary_data


def test_it_writes_thai_digits_only_when_asked():
    assert digits("91.50", "thai") == "๙๑.๕๐"
    assert digits("91.50", "") == "91.50"
    assert digits(None, "thai") == ""


def test_it_picks_the_english_field_in_the_english_ui_when_filled():
    row = {"name_th": "การใช้อำนาจ", "name_en": "Use of authority", "title_th": "ก", "title_en": ""}
    with translation.override("en"):
        assert localized(row, "name") == "Use of authority"
        assert localized(row, "title") == "ก"
    with translation.override("th"):
        assert localized(row, "name") == "การใช้อำนาจ"


def test_it_escapes_user_text_in_the_partials():
    data = progress_data()
    data["measures"][0]["activities"][0]["results"] = '<img src="file:///etc/passwd">'
    html = render_html(
        "reports/pdf/progress.html",
        {"r": data, "agency": data["agency"], "title": "t", "subtitle": "s", "d": ""},
    )
    assert "<img" not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html


class SharedPartialsTests(SimpleTestCase):
    def test_the_pdf_and_the_page_render_the_same_partials(self):
        context = {"s": summary_data(), "agency": summary_data()["agency"], "d": ""}
        partials = [
            "reports/partials/summary_narrative.html",
            "reports/partials/summary_indicators.html",
            "reports/partials/summary_weighted.html",
            "reports/partials/summary_charts.html",
            "reports/partials/summary_weak.html",
            "reports/partials/summary_plan.html",
            "reports/partials/summary_warnings.html",
        ]
        with self.assertTemplateUsed("reports/pdf/base.html"):
            pdf_html = render_html("reports/pdf/summary.html", context)
        for name in partials:
            with self.assertTemplateUsed(name):
                render_html("reports/pdf/summary.html", context)
        page = Template('{% include "reports/_summary_content.html" %}').render(
            Context({**context, "user": None, "pdf_url": "/p", "xlsx_url": "/x"})
        )
        for marker in ("summary-narrative", "summary-weak", "summary-plan"):
            assert f'data-testid="{marker}"' in pdf_html and f'data-testid="{marker}"' in page


def test_the_appendix_appears_only_with_warnings():
    warning = {
        "level": "indicator",
        "level_label": "ตัวชี้วัด",
        "key": "3",
        "item": "3",
        "computed": D("80.81"),
        "reported": D("76.41"),
        "difference": D("4.40"),
    }
    context = {"agency": summary_data()["agency"], "d": ""}
    clean = render_html("reports/pdf/summary.html", {**context, "s": summary_data()})
    assert 'data-testid="summary-warnings"' not in clean
    warned = render_html(
        "reports/pdf/summary.html", {**context, "s": summary_data(discrepancies=[warning])}
    )
    assert 'data-testid="summary-warnings"' in warned
    assert "76.41" in warned and "4.40" in warned


def test_the_narrative_reads_in_thai_with_thai_digits():
    data = summary_data()
    with translation.override("th"):
        html = render_html("reports/partials/summary_narrative.html", {"s": data, "d": "thai"})
    for sentence in (
        "ได้คะแนน ๙๑.๕๐ คะแนน อยู่ในระดับ A",
        "อยู่ในอันดับที่ ๒๒ จากหน่วยงานที่เข้ารับการประเมิน ๑๔๖ หน่วยงาน",
        "เพิ่มขึ้น ๔.๘๙ คะแนนจากปีงบประมาณ พ.ศ. ๒๕๖๒",
        "มีข้อคำถาม ๑ ข้อที่ได้คะแนนต่ำกว่าเกณฑ์ผ่าน ๘๕.๐๐ คะแนน",
        "หน่วยงานได้กำหนดมาตรการ ๑ มาตรการในแผนปีงบประมาณ พ.ศ. ๒๕๖๔",
    ):
        assert sentence in html, sentence
    assert "I14" in html


def test_it_keeps_codes_and_links_in_arabic_digits():
    text = "ข้อ I14 ได้ 66.02 ดู https://intranet.example/2564/a1 ไฟล์ minutes2.pdf โควิด-19"
    assert digits(text, "thai") == (
        "ข้อ I14 ได้ ๖๖.๐๒ ดู https://intranet.example/2564/a1 ไฟล์ minutes2.pdf โควิด-๑๙"
    )


@given(text=st.text().filter(lambda s: not set(s) & set("๐๑๒๓๔๕๖๗๘๙")))
def test_thai_digits_change_nothing_but_digits(text):
    assert thai.arabic_digits(digits(text, "thai")) == text
    assert digits(text, "") == text


@given(number=st.integers(1, 43), score=st.decimals(0, 100, places=2))
def test_a_question_code_keeps_its_digits_beside_thai_figures(number, score):
    written = digits(f"O{number} {score}", "thai")
    assert written == f"O{number} {thai.thai_digits(score)}"

import datetime as dt
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from reports.exports import progress_workbook, safe_cell, summary_workbook
from tests.reports.builders import progress_data, summary_data


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("ผลการดำเนินงาน = ดี", "ผลการดำเนินงาน = ดี"),
        ("bell\x07 and nul\x00", "bell and nul"),
        (D("-1.25"), D("-1.25")),
        (42, 42),
        (None, None),
        (dt.date(2021, 3, 31), dt.date(2021, 3, 31)),
    ],
)
def test_it_makes_text_inert_and_keeps_numbers(value, written):
    assert safe_cell(value) == written


def _rows(data: bytes, sheet: int = 0) -> list[tuple]:
    return list(load_workbook(BytesIO(data)).worksheets[sheet].iter_rows(values_only=True))


def test_it_writes_user_text_that_looks_like_a_formula_as_text():
    data = progress_data()
    activity = data["measures"][0]["activities"][0]
    activity["results"] = '=HYPERLINK("http://evil.example","click")'
    activity["obstacles"] = "@cmd|' /C calc'!A0"
    activity["evidence"] = [{"name": "=1+1", "url": "", "is_link": False}]
    book = load_workbook(BytesIO(progress_workbook(data)))
    row = list(book.active[2])
    values = {cell.value for cell in row}
    assert '\'=HYPERLINK("http://evil.example","click")' in values
    assert "'@cmd|' /C calc'!A0" in values and "'=1+1" in values
    assert all(cell.data_type != "f" for cell in row)


def test_it_writes_every_table_of_the_summary():
    book = load_workbook(BytesIO(summary_workbook(summary_data())))
    # The portal speaks Thai first: sheet names and labels follow the active language.
    assert book.sheetnames == [
        "ตารางที่ 1",
        "คะแนนถ่วงน้ำหนัก",
        "ตารางที่ 2",
        "แผนมาตรการ",
        "ผลการประเมินรายปี",
    ]
    assert _rows(summary_workbook(summary_data()), 1)[-3:] == [
        ("คะแนนรวมที่คำนวณได้", None, 100, 91.5),
        ("คะแนนรวมที่ ป.ป.ช. ประกาศ", None, None, 91.5),
        ("ระดับที่ ป.ป.ช. ประกาศ", None, None, "A"),
    ]
    weak = _rows(summary_workbook(summary_data()), 2)
    assert weak[0][6:9] == ("ต้องเพิ่มอีกจึงถึง 85.00", "คะแนนตัวชี้วัด", "ให้ตัวชี้วัดถึง 85.00 ข้อนี้ต้องเพิ่ม")
    assert weak[1] == (1, "I14", "ข้อความ", "IIT", 3, 66.02, 18.98, 80.81, 25.11, "1")
    assert book.worksheets[0]["E2"].number_format == "0.00"
    with translation.override("en"):
        assert load_workbook(BytesIO(summary_workbook(summary_data()))).sheetnames[0] == "Table 1"


def test_it_adds_the_warnings_sheet_only_when_there_are_warnings():
    warning = {
        "level": "total",
        "level_label": "คะแนนรวม",
        "key": "total",
        "item": "",
        "computed": D("91.50"),
        "reported": D("88.88"),
        "difference": D("2.62"),
    }
    book = load_workbook(BytesIO(summary_workbook(summary_data(discrepancies=[warning]))))
    assert book.sheetnames[-1] == "คำเตือน"
    assert list(book.worksheets[-1].values)[1] == ("คะแนนรวม", None, 91.5, 88.88, 2.62)


def test_it_writes_why_a_weak_question_cannot_lift_its_indicator():
    data = summary_data()
    data["weak_questions"][0] |= {"indicator_rise": None, "indicator_rise_to": None}
    assert _rows(summary_workbook(data), 2)[1][8] == "ข้อนี้ข้อเดียวไม่พอ"
    data["weak_questions"][0] |= {"indicator_rise": D("0.00"), "indicator_rise_to": None}
    assert _rows(summary_workbook(data), 2)[1][8] == "ตัวชี้วัดถึงเกณฑ์แล้ว"


def test_it_adds_a_sheet_of_rounding_notes():
    note = {
        "level": "indicator",
        "level_label": "ตัวชี้วัด",
        "key": "3",
        "item": "3",
        "computed": D("80.81"),
        "reported": D("80.80"),
        "difference": D("0.01"),
    }
    book = load_workbook(BytesIO(summary_workbook(summary_data(rounding_notes=[note]))))
    assert book.sheetnames[-1] == "หมายเหตุการปัดเศษ"
    assert list(book.worksheets[-1].values)[1] == ("ตัวชี้วัด", "3", 80.81, 80.8, 0.01)


def test_it_writes_a_summary_without_a_plan():
    rows = _rows(summary_workbook(summary_data(plan=None)), 3)
    assert len(rows) == 1  # headers only


def test_it_names_a_grade_published_only_when_it_was():
    rows = _rows(summary_workbook(summary_data(grade_published=False)), 1)
    assert rows[-1] == ("ระดับ", None, None, "A")
    rows = _rows(summary_workbook(summary_data(published=False, grade_published=False)), 1)
    assert [row[0] for row in rows[-2:]] == ["คะแนนรวมที่คำนวณได้", "ระดับ"]

"""Reading the score workbook: container checks, headers, cell cleaning, rows (no database)."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from imports.cleaning import clean_bool, clean_score, escape, unescape
from imports.exports import write_workbook
from imports.problems import WorkbookRefused
from tests.imports.builders import (
    EN_HEADERS,
    ReadWorkbook,
    english,
    read_all,
    score_workbook,
    with_cached_results,
    xlsx,
    zip_bomb,
)

pytestmark = pytest.mark.usefixtures(english.__name__)


def read(data: bytes, name: str = "scores.xlsx") -> ReadWorkbook:
    return read_all(data, name)


def refused(data: bytes, name: str = "scores.xlsx") -> list:
    with pytest.raises(WorkbookRefused) as caught:
        read(data, name)
    return caught.value.problems


def rows(parsed: ReadWorkbook, sheet: str) -> list[dict]:
    return [values for _, values in parsed.sheets[sheet].rows]


def test_it_reads_every_sheet_with_english_headers():
    parsed = read(
        score_workbook(
            agencies=[["oie", "สำนักงานเศรษฐกิจอุตสาหกรรม", "OIE", "สศอ.", "อุตสาหกรรม"]],
            indicator_scores=[[2563, "oie", 1, 90.08]],
            question_scores=[[2563, "oie", "I14", 66.02]],
            oit_items=[[2563, "oie", "O1", "มี", "https://oie.go.th/a", ""]],
            official_results=[[2563, "oie", 91.5, "A", 22, 146, 4, 7, 35, 130, 38, 203]],
        )
    )
    assert parsed.problems == []
    assert parsed.row_count == 5
    assert rows(parsed, "indicator_scores") == [
        {"fiscal_year": 2563, "agency_code": "oie", "indicator": 1, "score": Decimal("90.08")}
    ]
    assert rows(parsed, "oit_items")[0]["present"] is True
    result = rows(parsed, "official_results")[0]
    assert result["total"] == Decimal("91.50")
    assert (result["rank"], result["rank_of"], result["eit_population"]) == (22, 146, 203)


def test_it_reads_thai_headers_and_sheet_names():
    parsed = read(score_workbook(indicator_scores=[[2563, "OIE", 4, "80.75"]], thai=True))
    assert parsed.problems == []
    assert rows(parsed, "indicator_scores")[0]["agency_code"] == "oie"
    assert parsed.sheets["indicator_scores"].title == "คะแนนตัวชี้วัด"


def test_it_accepts_headers_in_any_order_case_and_spacing():
    data = score_workbook()
    sheets = {
        "Agencies": [["Agency Code"]],
        "indicator scores": [
            ["Score", "INDICATOR", "agency code", "Fiscal_Year"],
            [91, 1, "oie", 2563],
        ],
        "Question_Scores": [EN_HEADERS["question_scores"]],
        "oit items": [EN_HEADERS["oit_items"]],
        "official results": [EN_HEADERS["official_results"][:2]],
    }
    data = xlsx(sheets)
    parsed = read(data)
    assert parsed.problems == []
    assert rows(parsed, "indicator_scores")[0]["score"] == Decimal("91.00")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (83.81, "83.81"),
        (100, "100.00"),
        (0, "0.00"),
        ("91.50", "91.50"),
        (" 91.5 ", "91.50"),
        ("๙๑.๕๐", "91.50"),
        ("๑๐๐", "100.00"),
        (83.335, "83.34"),
        ("80.745", "80.75"),
        (0.1 + 0.2, "0.30"),
    ],
)
def test_it_reads_numbers_text_numbers_and_thai_digits(cell, expected):
    assert clean_score(cell) == Decimal(expected)


def test_it_uses_the_cached_result_of_a_formula():
    data = score_workbook(indicator_scores=[[2563, "oie", 1, "=AVERAGE(90,90.16)"]])
    parsed = read(with_cached_results(data, ["90.08"]))
    assert parsed.problems == []
    assert rows(parsed, "indicator_scores")[0]["score"] == Decimal("90.08")


def test_it_reports_a_formula_error_result():
    data = score_workbook(indicator_scores=[[2563, "oie", 1, "=1/0"]])
    parsed = read(with_cached_results(data, ["#DIV/0!"], error=True))
    [problem] = parsed.problems
    assert problem.code == "formula_error"
    assert "#DIV/0!" in problem.reason
    assert (problem.sheet, problem.row, problem.column) == ("indicator scores", 2, "D (score)")


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("abc", "not_a_number"),
        (100.01, "out_of_range"),
        (-1, "out_of_range"),
        ("#N/A", "formula_error"),
    ],
)
def test_it_names_file_sheet_row_and_column_of_a_bad_score(cell, code):
    parsed = read(
        score_workbook(question_scores=[[2563, "oie", "I1", 80], [2563, "oie", "I2", cell]])
    )
    [problem] = parsed.problems
    assert problem.code == code
    assert (problem.file, problem.sheet, problem.row, problem.column) == (
        "scores.xlsx",
        "question scores",
        3,
        "D (score)",
    )
    assert str(problem).startswith("scores.xlsx, ")
    assert "D (score)" in str(problem)


def test_it_skips_empty_rows_and_rows_without_a_score():
    data = score_workbook(
        indicator_scores=[
            [2563, "oie", 1, 90],
            [None, None, None, None],
            [2563, "oie", 2, None],
            [2563, "oie", 3, 80],
            *([[None, None, None, None]] * 50),
        ]
    )
    parsed = read(data)
    assert parsed.problems == []
    assert [number for number, _ in parsed.sheets["indicator_scores"].rows] == [2, 5]
    assert parsed.sheets["indicator_scores"].skipped == [4]


def test_it_refuses_duplicate_rows_naming_the_first():
    data = score_workbook(question_scores=[[2563, "oie", "I1", 80], [2563, "OIE", "i1", 81]])
    [problem] = read(data).problems
    assert problem.code == "duplicate_row"
    assert problem.row == 3
    assert "row 2" in problem.reason


def test_it_refuses_a_missing_sheet():
    [problem] = read(score_workbook(drop=["oit_items"])).problems
    assert problem.code == "missing_sheet"
    assert "OIT items" in problem.reason and "ข้อมูล OIT" in problem.reason


def test_it_refuses_a_missing_column():
    sheets = {spec: [headers] for spec, headers in EN_HEADERS.items()}
    sheets["indicator_scores"] = [["fiscal_year", "agency_code", "indicator", "scroe"]]
    [problem] = read(xlsx({key.replace("_", " "): rows for key, rows in sheets.items()})).problems
    assert problem.code == "missing_column"
    assert (problem.sheet, problem.row, problem.column) == ("indicator scores", 1, "score")


def test_it_refuses_a_blank_required_cell():
    [problem] = read(score_workbook(question_scores=[[2563, None, "I1", 80]])).problems
    assert problem.code == "blank_cell"
    assert problem.column == "B (agency_code)"


def test_it_refuses_a_sheet_whose_only_data_is_in_its_last_row():
    sheets = {spec.replace("_", " "): [headers] for spec, headers in EN_HEADERS.items()}
    data = xlsx(sheets)
    workbook = load_workbook(io.BytesIO(data))
    workbook["question scores"].delete_rows(1)
    workbook["question scores"]["A1048576"] = 2563
    buffer = io.BytesIO()
    workbook.save(buffer)
    [problem] = read(buffer.getvalue()).problems
    assert problem.code == "no_header"
    assert problem.row == 1
    assert "1048576" in problem.reason


@override_settings(IMPORT_MAX_ROWS=3)
def test_it_refuses_more_rows_than_the_cap():
    data = score_workbook(question_scores=[[2563, "oie", f"I{n}", 80] for n in range(1, 5)])
    [problem] = refused(data)
    assert problem.code == "too_many_rows"
    assert (problem.sheet, problem.row) == ("question scores", 5)


@override_settings(IMPORT_MAX_BYTES=1000)
def test_it_refuses_a_file_over_the_size_limit():
    [problem] = refused(score_workbook())
    assert problem.code == "too_big"


def test_it_refuses_a_file_that_is_not_xlsx():
    [problem] = refused(b"agency_code,score\noie,91.5\n", "scores.csv")
    assert problem.code == "not_xlsx"
    assert str(problem).startswith("scores.csv: ")


def test_it_refuses_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    [problem] = refused(buffer.getvalue())
    assert problem.code == "not_xlsx"


def test_it_refuses_a_password_protected_or_old_xls_file():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    [problem] = refused(ole2)
    assert problem.code == "password_protected"
    assert "password" in problem.reason


def test_it_refuses_a_truncated_file():
    data = score_workbook()
    [problem] = refused(data[: len(data) // 2])
    assert problem.code == "truncated"


def test_it_refuses_a_corrupt_file():
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(score_workbook()))
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                content = content[: len(content) // 2]
            target.writestr(info, content)
    [problem] = refused(buffer.getvalue())
    assert problem.code == "corrupt"


def test_it_refuses_a_sheet_whose_packed_data_is_damaged():
    data = bytearray(
        score_workbook(question_scores=[[2563, "oie", f"I{n}", 80] for n in range(1, 31)])
    )
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = next(i for i in archive.infolist() if i.filename == "xl/worksheets/sheet3.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 20, start + 60):
        data[offset] ^= 0x55
    [problem] = refused(bytes(data))
    assert problem.code == "corrupt"


def test_it_reads_a_true_and_a_one_in_a_text_column_apart():
    parsed = read(
        score_workbook(
            agencies=[
                ["a1", True, "", "", ""],
                ["a2", 1, "", "", ""],
                ["a3", "1", "", "", ""],
            ]
        )
    )
    assert [row["name_th"] for row in rows(parsed, "agencies")] == ["True", "1", "1"]


def test_it_refuses_a_zip_bomb_before_parsing():
    [problem] = refused(zip_bomb(20))
    assert problem.code == "zip_bomb"


def test_it_escapes_formula_text_on_write_and_unescapes_it_on_read():
    for text in ["=HYPERLINK(1)", "+1", "-x", "@SUM(1)", "\tx", "\0x"]:
        assert escape(text) == "'" + text
        assert unescape(escape(text)) == text
    assert escape("plain") == "plain"
    assert escape(12) == 12


def test_it_reads_back_what_it_writes():
    data = write_workbook(
        {
            "agencies": [["oie", "=สศอ.", "", "", ""]],
            "indicator_scores": [[2563, "oie", 1, Decimal("90.08")]],
        },
        lang="th",
        reference=[["รหัส", "ตัวชี้วัด"], ["I1", 1]],
    )
    parsed = read(data)
    assert parsed.problems == []
    assert rows(parsed, "agencies")[0]["name_th"] == "=สศอ."
    assert rows(parsed, "indicator_scores")[0]["score"] == Decimal("90.08")


@pytest.mark.parametrize(
    ("cell", "expected"), [(1, True), ("ไม่มี", False), ("Yes", True), (False, False)]
)
def test_it_reads_yes_and_no(cell, expected):
    assert clean_bool(cell) is expected

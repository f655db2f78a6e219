"""The streaming xlsx reader: parts as Excel, LibreOffice and openpyxl write them (no database)."""

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from imports.xlsx import Uncached, XlsxError, XlsxFile, unescape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = f"{RELS}/worksheet"
STRINGS_TYPE = f"{RELS}/sharedStrings"


def package(
    sheets: dict[str, str],
    *,
    strings: str | None = None,
    namespace: str = MAIN,
    absolute: bool = False,
) -> bytes:
    """Zip a workbook whose sheets (title → sheetData XML) sit in xl/worksheets/sheetN.xml."""
    entries = []
    rels = []
    parts = {}
    for number, (title, data) in enumerate(sheets.items(), start=1):
        entries.append(f'<sheet name="{title}" sheetId="{number}" r:id="rId{number}"/>')
        target = (
            f"/xl/worksheets/sheet{number}.xml" if absolute else f"worksheets/sheet{number}.xml"
        )
        rels.append(f'<Relationship Id="rId{number}" Type="{SHEET_TYPE}" Target="{target}"/>')
        parts[f"xl/worksheets/sheet{number}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<worksheet xmlns="{namespace}" xmlns:r="{RELS}"><dimension ref="A1"/>'
            f"<sheetData>{data}</sheetData></worksheet>"
        )
    if strings is not None:
        rels.append(f'<Relationship Id="rIdS" Type="{STRINGS_TYPE}" Target="sharedStrings.xml"/>')
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{namespace}">{strings}</sst>'
    parts["xl/workbook.xml"] = (
        f'<workbook xmlns="{namespace}" xmlns:r="{RELS}"><sheets>{"".join(entries)}</sheets>'
        "</workbook>"
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="{PACKAGE}">{"".join(rels)}</Relationships>'
    )
    parts["[Content_Types].xml"] = "<Types/>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def read(data: bytes) -> dict[str, list]:
    with XlsxFile(io.BytesIO(data)) as workbook:
        return {title: list(workbook.rows(part)) for title, part in workbook.sheets}


def test_it_reads_shared_strings_numbers_booleans_and_errors_as_excel_writes_them():
    strings = (
        "<si><t>รหัสหน่วยงาน</t></si>"
        '<si><r><rPr><b/></rPr><t xml:space="preserve">สำนักงาน </t></r><r><t>เศรษฐกิจ</t></r>'
        '<rPh sb="0" eb="1"><t>ignored guide</t></rPh></si>'
        "<si><t>a_x000D_b _x005F_x0041_</t></si>"
    )
    data = package(
        {
            "scores": (
                '<row r="1" spans="1:6" x14ac:dyDescent="0.25" '
                'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
                '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s" s="3"><v>1</v></c>'
                '<c r="C1" t="s"><v>2</v></c></row>'
                '<row r="2"><c r="A2"><v>2563</v></c><c r="B2" s="1"><v>91.760000000000005</v></c>'
                '<c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
                '<c r="E2"><f>AVERAGE(90,90.16)</f><v>90.08</v></c>'
                '<c r="F2" t="str"><f>"I"&amp;14</f><v>I14</v></c>'
                '<c r="G2"><f>SUM(A1:A2)</f></c><c r="H2" s="2"/><c r="I2"><v>1.5E1</v></c></row>'
            )
        },
        strings=strings,
    )
    [(header, header_cells), (row, cells)] = read(data)["scores"]
    assert header == 1
    assert header_cells == {0: "รหัสหน่วยงาน", 1: "สำนักงาน เศรษฐกิจ", 2: "a\rb _x0041_"}
    assert row == 2
    assert cells == {
        0: 2563,
        1: 91.760000000000005,
        2: True,
        3: "#DIV/0!",
        4: 90.08,
        5: "I14",
        6: Uncached("SUM(A1:A2)"),
        8: 15.0,
    }
    assert type(cells[0]) is int


def test_it_reads_inline_strings_as_openpyxl_writes_them():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "คะแนนรายข้อ"
    sheet.append(["fiscal_year", "score"])
    sheet.append([2563, 66.02])
    sheet.append([None, None])
    sheet["C4"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    writer = Workbook(write_only=True)
    streamed = writer.create_sheet("inline")
    streamed.append(["รหัส", 1, True])
    buffer_inline = io.BytesIO()
    writer.save(buffer_inline)
    assert read(buffer.getvalue())["คะแนนรายข้อ"] == [
        (1, {0: "fiscal_year", 1: "score"}),
        (2, {0: 2563, 1: 66.02}),
        (4, {2: "x"}),
    ]
    assert read(buffer_inline.getvalue())["inline"] == [(1, {0: "รหัส", 1: 1, 2: True})]


def test_it_numbers_rows_and_cells_without_references_in_order():
    data = package({"s": "<row><c><v>1</v></c><c><v>2</v></c></row><row><c/><c><v>3</v></c></row>"})
    assert read(data)["s"] == [(1, {0: 1, 1: 2}), (2, {1: 3})]


def test_it_gives_a_far_cell_its_column_and_skips_rows_without_values():
    data = package(
        {"s": '<row r="1"><c r="AB1"><v>7</v></c></row><row r="5"/><row r="1048576">'
              '<c r="XFD1048576"><v>8</v></c></row>'}
    )  # fmt: skip
    assert read(data)["s"] == [(1, {27: 7}), (1048576, {16383: 8})]


def test_it_reads_strict_ooxml_and_absolute_targets():
    data = package(
        {"s": '<row r="1"><c r="A1" t="inlineStr"><is><t>ok</t></is></c></row>'},
        namespace=STRICT,
        absolute=True,
    )
    assert read(data) == {"s": [(1, {0: "ok"})]}


def test_it_keeps_sheets_in_workbook_order_with_their_titles():
    data = package({"ข": "", "a": "", "OIT items": ""})
    with XlsxFile(io.BytesIO(data)) as workbook:
        assert [title for title, _part in workbook.sheets] == ["ข", "a", "OIT items"]


@pytest.mark.parametrize(
    "xml",
    [
        '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><row r="1"><c r="A1" t="str"><v>&a;</v></c></row>',
        '<row r="1"><c r="A1"><v>1</v></row>',
        '<row r="1"><c r="A1" t="s"><v>7</v></c></row>',
        '<row r="1"><c r="A1" t="b"><v>maybe</v></c></row>',
        '<row r="1"><c r="A1" t="x"><v>1</v></c></row>',
        '<row r="1"><c r="1A"><v>1</v></c></row>',
    ],
    ids=["entity", "malformed", "no-such-string", "bad-boolean", "unknown-type", "bad-ref"],
)
def test_it_refuses_what_a_sheet_never_holds(xml):
    if xml.startswith("<!DOCTYPE"):
        # A document type declaration can only open a part: put it before <worksheet>.
        data = package({"s": ""})
        source = zipfile.ZipFile(io.BytesIO(data))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for info in source.infolist():
                content = source.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":
                    doctype, rows = xml.split("]>", 1)
                    content = (
                        f'{doctype.replace("x [", "worksheet [")}]><worksheet xmlns="{MAIN}">'
                        f"<sheetData>{rows}</sheetData></worksheet>"
                    ).encode()
                target.writestr(info, content)
        data = buffer.getvalue()
    else:
        data = package({"s": xml})
    with pytest.raises(XlsxError):
        read(data)


def test_it_refuses_a_workbook_naming_a_sheet_it_lacks():
    data = package({"s": ""})
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info.filename))
    with pytest.raises(XlsxError), XlsxFile(io.BytesIO(buffer.getvalue())) as workbook:
        list(workbook.rows(workbook.sheets[0][1]))


def test_it_refuses_a_file_that_is_not_a_zip():
    with pytest.raises(XlsxError):
        XlsxFile(io.BytesIO(b"fiscal_year,score\n2563,90\n"))


def test_it_unescapes_excel_character_escapes():
    assert unescape("I14") == "I14"
    assert unescape("_x0009_tab _x005F_x0009_") == "\ttab _x0009_"


def test_it_refuses_a_sheet_whose_packed_data_is_damaged():
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 3000))
    data = bytearray(package({"s": rows}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 100, start + 200):
        data[offset] ^= 0x55
    with pytest.raises(XlsxError):
        read(bytes(data))


def test_it_reads_a_libreoffice_workbook_as_openpyxl_does():
    # Written by openpyxl with formulas, Thai text, text numbers and Thai digits, then opened and
    # saved by LibreOffice Calc 7.4 (shared strings, styles, cached formula results).
    data = (Path(__file__).parent / "data" / "libreoffice-7.4.xlsx").read_bytes()
    reference = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    expected = {}
    for title in reference.sheetnames:
        rows = enumerate(reference[title].iter_rows(values_only=True), start=1)
        cells = (
            (number, {i: v for i, v in enumerate(row) if v is not None}) for number, row in rows
        )
        expected[title] = [(number, row) for number, row in cells if row]
    assert read(data) == expected
    assert expected["ผลประกาศ"][1] == (
        2,
        {0: 2563, 1: "oie", 2: 91.5, 3: "A"}
        | {4: 22, 5: 146, 6: 4, 7: 7, 8: 35, 9: 130, 10: 38, 11: 203},
    )

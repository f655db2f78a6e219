"""The xlsx reader reads what openpyxl wrote as openpyxl reads it back (property-based).

Random sheets of numbers, Thai and ASCII text, Excel's _xHHHH_ escapes, booleans, formulas with
cached results and empty cells are written by openpyxl and read by the reader beside openpyxl's
own read-only, data-only reader. One difference is meant: the text _x0041_ is Excel's escape for
"A" (the OOXML string type), which Excel, LibreOffice and the reader decode and openpyxl
does not; the expected value applies the escape to what openpyxl reads.
"""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from imports.xlsx import Uncached, XlsxFile, unescape
from tests.imports.builders import with_cached_results

THAI = "".join(chr(code) for code in range(0x0E01, 0x0E3B)) + "เแโใไๅๆ็่้๊๋์ํ๐๑๒๓๔๕๖๗๘๙"
TEXT = st.text(
    alphabet=st.sampled_from(THAI + "abcXYZ019 .,-_/'\"<>&"), min_size=1, max_size=12
).filter(lambda text: text.strip() == text)
ESCAPES = st.builds(
    lambda before, code, after: f"{before}_x{code:04X}_{after}",
    st.sampled_from(["", "a", "ก"]),
    st.sampled_from([0x41, 0x0E01, 0x5F, 0x09]),
    st.sampled_from(["", "b", "ข"]),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).filter(lambda x: x != 0.0),
    st.decimals(min_value=0, max_value=100, places=2).map(float),
)
# A formula and the result a spreadsheet program saved with it.
FORMULAS = st.tuples(st.just("formula"), st.integers(min_value=0, max_value=10**6))
CELLS = st.one_of(st.none(), NUMBERS, TEXT, ESCAPES, st.booleans(), FORMULAS)
SHEETS = st.lists(st.lists(CELLS, min_size=1, max_size=6), min_size=1, max_size=8)


def written(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "คะแนน"
    results = []
    for row in rows:
        values = []
        for cell in row:
            if isinstance(cell, tuple):
                values.append(f"={cell[1]}+0")
                results.append(cell[1])
            else:
                values.append(cell)
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return with_cached_results(buffer.getvalue(), results)


def by_openpyxl(data: bytes) -> list[tuple[int, dict]]:
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True)["คะแนน"]
    rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = {
            index: unescape(value) if isinstance(value, str) else value
            for index, value in enumerate(row)
            if value is not None
        }
        if cells:
            rows.append((number, cells))
    return rows


def by_reader(reader_class, data: bytes) -> list[tuple[int, dict]]:
    with reader_class(io.BytesIO(data)) as reader:
        [(title, key)] = reader.sheets
        return list(reader.rows(key))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SHEETS)
def test_the_expat_reader_reads_what_openpyxl_reads(rows):
    data = written(rows)
    assert by_reader(XlsxFile, data) == by_openpyxl(data)


def test_it_reads_a_formula_saved_without_its_result_as_uncached():
    workbook = Workbook()
    workbook.active.append([1, "=1+1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert by_reader(XlsxFile, buffer.getvalue()) == [(1, {0: 1, 1: Uncached("1+1")})]

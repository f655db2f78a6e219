"""Crafted workbooks (issue 13): each refused with a message naming its cell or part, at once.

Each file is built here from a valid workbook, as small as its attack allows, and imported
through the service; the database must be as it was. (Before the limits, the 2.5 KB file with a
cell at ZZZZZZ1 made the reader build a row 321 million cells wide.)
"""

import io
import re
import zipfile
from collections.abc import Callable, Iterator

import pytest

from imports.report import ImportReport
from imports.services import scores_import
from imports.xlsx import MAX_CELLS_PER_ROW, MAX_SHARED_STRINGS_BYTES
from tests.assessments.builders import make_oie_2563
from tests.base import BaseTestCase
from tests.imports.builders import database_state, english, score_workbook

Rewrite = Callable[[str, bytes], Iterator[bytes] | None]


def rewritten(data: bytes, rewrite: Rewrite, added: dict[str, Iterator[bytes]] = {}) -> bytes:  # noqa: B006
    """Copy a workbook, letting rewrite(part, content) stream a part's new content (or None)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    # Level 1, as a quick writer would: a repeated cell still packs under the zip-bomb ratio.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            chunks = rewrite(info.filename, content)
            if chunks is None:
                target.writestr(info.filename, content)
                continue
            with target.open(info.filename, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
        for name, chunks in added.items():
            with target.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    return buffer.getvalue()


def in_sheet(title_number: int, old: str, new: str) -> Rewrite:
    def rewrite(part: str, content: bytes):
        if part != f"xl/worksheets/sheet{title_number}.xml":
            return None
        text = content.decode()
        assert old in text, text[:2000]
        return iter([text.replace(old, new, 1).encode()])

    return rewrite


def indicator_file(**overrides) -> bytes:
    row = {"year": 2563, "agency": "oie", "indicator": 1, "score": 90} | overrides
    return score_workbook(indicator_scores=[list(row.values())])


@pytest.mark.usefixtures(english.__name__)
class HostileWorkbookTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_oie_2563(cls.agency)

    def attempt(self, data: bytes) -> ImportReport:
        before = database_state()
        report = scores_import(
            file=io.BytesIO(data), file_name="hostile.xlsx", user=self.admin, dry_run=False
        )
        self.assertTrue(report.refused)
        self.assertIsNone(report.batch)
        self.assertEqual(database_state(), before)
        return report

    def assert_says(self, report: ImportReport, code: str, *fragments: str) -> None:
        problem = next((p for p in report.problems if p.code == code), None)
        self.assertIsNotNone(problem, [str(p) for p in report.problems])
        for fragment in fragments:
            self.assertIn(fragment, str(problem))

    def test_it_refuses_a_header_cell_at_column_zzzzzz(self):
        # The indicator scores sheet is the second one; its header's last cell is D1.
        data = rewritten(indicator_file(), in_sheet(2, 'r="D1"', 'r="ZZZZZZ1"'))
        self.assertLess(len(data), 10_000)
        report = self.attempt(data)
        self.assert_says(
            report, "far_column", "sheet “indicator scores”", "ZZZZZZ1", "beyond column XFD"
        )

    def test_it_refuses_a_header_cell_at_column_zzzzzzzz(self):
        data = rewritten(indicator_file(), in_sheet(2, 'r="D1"', 'r="ZZZZZZZZ1"'))
        self.assert_says(self.attempt(data), "far_column", "ZZZZZZZZ1")

    def test_it_refuses_a_year_of_a_million_digits(self):
        report = self.attempt(indicator_file(year="1e1000000"))
        self.assert_says(
            report, "bad_year", "row 2", "column A (fiscal_year)", "“1e1000000” is not a"
        )

    def test_it_refuses_an_indicator_of_400000_digits(self):
        report = self.attempt(indicator_file(indicator="1e400000"))
        self.assert_says(report, "bad_indicator", "row 2", "column C (indicator)", "1e400000")

    def test_it_refuses_a_score_of_a_billion_digits(self):
        report = self.attempt(indicator_file(score="1e999999999"))
        self.assert_says(
            report, "huge_number", "row 2", "column D (score)", "far too big for a score"
        )

    def test_it_refuses_a_number_cell_written_with_thousands_of_digits(self):
        data = rewritten(indicator_file(), in_sheet(2, "<v>90</v>", f"<v>{'9' * 5000}</v>"))
        self.assert_says(self.attempt(data), "long_number", "D2", "5,000 characters")

    def test_it_refuses_a_180_mb_shared_strings_part(self):
        # openpyxl writes its texts inline: give the workbook a shared-strings part of 180 MB.
        def rewrite(part: str, content: bytes):
            if part != "xl/_rels/workbook.xml.rels":
                return None
            relationship = (
                '<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.'
                'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
            )
            return iter(
                [content.replace(b"</Relationships>", relationship.encode() + b"</Relationships>")]
            )

        head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        strings = self.shared_strings(head, 180 * 1024 * 1024)
        data = rewritten(indicator_file(), rewrite, {"xl/sharedStrings.xml": strings})
        self.assertLess(len(data), 10 * 1024 * 1024)
        size = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/sharedStrings.xml").file_size
        report = self.attempt(data)
        limit = f"at most {MAX_SHARED_STRINGS_BYTES // 1024 // 1024} MB"
        unpacked = f"unpacks to {size / 1024 / 1024:.0f} MB"
        self.assert_says(report, "big_strings", "xl/sharedStrings.xml", unpacked, limit)

    @staticmethod
    def shared_strings(head: bytes, size: int) -> Iterator[bytes]:
        yield head
        written = len(head)
        block = b"".join(b"<si><t>agency %d name</t></si>" % (n % 1000) for n in range(50_000))
        while written < size:
            yield block
            written += len(block)
        yield b"</sst>"

    def test_it_refuses_a_row_of_12_million_cells(self):
        def rewrite(part: str, content: bytes):
            if part != "xl/worksheets/sheet2.xml":
                return None
            text = content.decode()
            head, tail = re.split(r"<row r=\"2\">.*?</row>", text, maxsplit=1, flags=re.S)
            return self.wide_row(head.encode(), tail.encode(), 12_000_000)

        data = rewritten(indicator_file(), rewrite)
        self.assertLess(len(data), 10 * 1024 * 1024)
        report = self.attempt(data)
        self.assert_says(report, "wide_row", f"more than {MAX_CELLS_PER_ROW:,} cells")

    @staticmethod
    def wide_row(head: bytes, tail: bytes, cells: int) -> Iterator[bytes]:
        yield head + b'<row r="2">'
        block = b"<c><v>1</v></c>" * 100_000
        for _ in range(cells // 100_000):
            yield block
        yield b"</row>" + tail

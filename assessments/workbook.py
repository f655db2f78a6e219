"""The score workbook on disk: its format, safe reading, and writing (docs/import-format.md).

This layer knows openpyxl and the file format only; it never touches the database. Reading
refuses a file that is not a safe, well-formed xlsx before openpyxl parses it, maps Thai or
English headers to column keys, cleans every cell (numbers, numbers stored as text, Thai digits,
cached formula results) and reports each problem with its file, sheet, row and column. Whether an
agency or a question code exists is the import service's concern (assessments/imports.py).
"""

from __future__ import annotations

import io
import logging
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any, Literal

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from ita_portal.thai import arabic_digits

logger = logging.getLogger(__name__)

Kind = Literal["year", "agency", "code", "indicator", "score", "count", "bool", "text", "grade"]

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
# A real sheet's XML shrinks about 10-30 times; a zip bomb shrinks hundreds or thousands of times.
MAX_COMPRESSION_RATIO = 200
# Cells that a spreadsheet program would run as a formula; exports prefix them with a quote.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\0")
MAX_PROBLEMS = 1000
CENT = Decimal("0.01")
MIN_YEAR, MAX_YEAR = 2500, 2700
_YEARS: dict[int, int] = {}
_SPACES = re.compile(r"[\s_\-\u00a0\u200b]+")
TRUE_WORDS = frozenset({"1", "yes", "y", "true", "มี", "ใช่", "ผ่าน", "✓"})
FALSE_WORDS = frozenset({"0", "no", "n", "false", "ไม่มี", "ไม่ใช่", "ไม่ผ่าน", "✗"})


@dataclass(frozen=True)
class Column:
    key: str
    th: str
    kind: Kind
    required: bool = True

    @property
    def en(self) -> str:
        """Return the English header, the key with spaces."""
        return self.key.replace("_", " ")

    def header(self, lang: str) -> str:
        """Return the header the template and exports write for a language."""
        return self.th if lang == "th" else self.en


@dataclass(frozen=True)
class SheetSpec:
    key: str
    en: str
    th: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...]

    def title(self, lang: str) -> str:
        """Return the sheet title the template and exports write for a language."""
        return self.th if lang == "th" else self.en

    def index(self, key: str) -> int:
        """Return the position of a column in this sheet's row tuples."""
        return next(i for i, column in enumerate(self.columns) if column.key == key)


_YEAR = Column("fiscal_year", "ปีงบประมาณ", "year")
_AGENCY = Column("agency_code", "รหัสหน่วยงาน", "agency")

AGENCIES = SheetSpec(
    "agencies",
    "agencies",
    "หน่วยงาน",
    (
        _AGENCY,
        Column("name_th", "ชื่อหน่วยงาน", "text", required=False),
        Column("name_en", "ชื่อภาษาอังกฤษ", "text", required=False),
        Column("abbreviation", "ชื่อย่อ", "text", required=False),
        Column("ministry", "กระทรวง", "text", required=False),
    ),
    unique=("agency_code",),
)
INDICATOR_SCORES = SheetSpec(
    "indicator_scores",
    "indicator scores",
    "คะแนนตัวชี้วัด",
    (_YEAR, _AGENCY, Column("indicator", "ตัวชี้วัด", "indicator"), Column("score", "คะแนน", "score")),
    unique=("fiscal_year", "agency_code", "indicator"),
)
QUESTION_SCORES = SheetSpec(
    "question_scores",
    "question scores",
    "คะแนนรายข้อ",
    (_YEAR, _AGENCY, Column("question", "รหัสข้อคำถาม", "code"), Column("score", "คะแนน", "score")),
    unique=("fiscal_year", "agency_code", "question"),
)
OIT_ITEMS = SheetSpec(
    "oit_items",
    "OIT items",
    "ข้อมูล OIT",
    (
        _YEAR,
        _AGENCY,
        Column("item", "รหัสข้อ OIT", "code"),
        Column("present", "มีข้อมูล", "bool"),
        Column("evidence_url", "ลิงก์หลักฐาน", "text", required=False),
        Column("note", "หมายเหตุ", "text", required=False),
    ),
    unique=("fiscal_year", "agency_code", "item"),
)
OFFICIAL_RESULTS = SheetSpec(
    "official_results",
    "official results",
    "ผลประกาศ",
    (
        _YEAR,
        _AGENCY,
        Column("total", "คะแนนรวม", "score", required=False),
        Column("grade", "ระดับผล", "grade", required=False),
        Column("rank", "อันดับ", "count", required=False),
        Column("rank_of", "จากจำนวนหน่วยงาน", "count", required=False),
        Column("ministry_rank", "อันดับในกระทรวง", "count", required=False),
        Column("ministry_rank_of", "จากจำนวนหน่วยงานในกระทรวง", "count", required=False),
        Column("iit_respondents", "ผู้ตอบ IIT", "count", required=False),
        Column("iit_population", "ประชากร IIT", "count", required=False),
        Column("eit_respondents", "ผู้ตอบ EIT", "count", required=False),
        Column("eit_population", "ประชากร EIT", "count", required=False),
    ),
    unique=("fiscal_year", "agency_code"),
)
SHEETS: tuple[SheetSpec, ...] = (
    AGENCIES,
    INDICATOR_SCORES,
    QUESTION_SCORES,
    OIT_ITEMS,
    OFFICIAL_RESULTS,
)
SHEETS_BY_KEY = {spec.key: spec for spec in SHEETS}
# The template's list of codes; import ignores it, like any sheet it does not know.
REFERENCE_TITLES = ("codes", "รหัส")
# Columns whose blank cell means "not given": the row is skipped, nothing stored is cleared.
VALUE_COLUMNS = {
    "indicator_scores": ("score",),
    "question_scores": ("score",),
    "oit_items": ("present",),
}


def normalise(text: str) -> str:
    """Fold a header or sheet name for matching: case, spaces, underscores, Thai digits."""
    return _SPACES.sub(" ", arabic_digits(str(text))).strip().casefold()


_SHEET_NAMES = {normalise(name): spec for spec in SHEETS for name in (spec.key, spec.th)}


# --- Problems -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused, located as precisely as the reason allows."""

    code: str
    template: Any
    params: dict[str, Any] = field(default_factory=dict)
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""

    @property
    def reason(self) -> str:
        """Return the reason in the active language."""
        return str(self.template) % self.params if self.params else str(self.template)

    @property
    def where(self) -> str:
        """Return file, sheet, row and column as far as they are known."""
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(gettext("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row is not None:
            parts.append(gettext("row %(row)s") % {"row": self.row})
        if self.column:
            parts.append(gettext("column %(column)s") % {"column": self.column})
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where
        return f"{where}: {self.reason}" if where else self.reason


class WorkbookRefused(Exception):
    """The file cannot be read at all; problems say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


def column_label(index: int, spec_column: Column | None, header: str = "") -> str:
    """Return a column's letter with its header, e.g. D (score)."""
    name = header or (spec_column.en if spec_column else "")
    letter = get_column_letter(index + 1)
    return f"{letter} ({name})" if name else letter


# --- Cell cleaning --------------------------------------------------------------------------------


class CellError(ValueError):
    def __init__(self, code: str, template: Any, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.template = template
        self.params = params


def unescape(text: str) -> str:
    """Drop the quote an export put before text a spreadsheet would run as a formula."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def escape(value: Any) -> Any:
    """Prefix text a spreadsheet would run as a formula with a quote (exports)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def clean_text(value: Any) -> str:
    """Return a cell as stripped text; numbers without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape(str(value).strip())


def clean_decimal(value: Any) -> Decimal:
    """Read a number, a number stored as text or written in Thai digits."""
    if isinstance(value, bool):
        raise CellError("not_a_number", _("“%(value)s” is not a number."), value=value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr gives the shortest text that round-trips, so 91.76 stays 91.76.
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        text = arabic_digits(unescape(value)).replace("\u00a0", "").replace(" ", "").strip()
        if text.startswith("#"):
            raise CellError(
                "formula_error", _("the formula's result is the error %(value)s."), value=text
            )
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(
                "not_a_number", _("“%(value)s” is not a number."), value=_shown(value)
            ) from None
    else:
        raise CellError("not_a_number", _("“%(value)s” is not a number."), value=_shown(value))
    if not number.is_finite():
        raise CellError("not_a_number", _("“%(value)s” is not a number."), value=_shown(value))
    return number


def clean_score(value: Any) -> Decimal:
    """Read a score between 0 and 100, rounded half up to two decimals."""
    number = clean_decimal(value)
    if number < 0 or number > 100:
        raise CellError(
            "out_of_range", _("%(value)s is outside 0–100."), value=_shown(number.normalize())
        )
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def clean_count(value: Any) -> int:
    """Read a whole number of zero or more (ranks, respondents, population)."""
    number = clean_decimal(value)
    if number != number.to_integral_value() or number < 0:
        raise CellError(
            "not_a_count", _("“%(value)s” is not a whole number of 0 or more."), value=_shown(value)
        )
    return int(number)


def clean_year(value: Any) -> int:
    """Read a Buddhist-Era fiscal year such as 2563."""
    try:
        year = clean_count(value)
    except CellError:
        year = None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        raise CellError(
            "bad_year",
            _("“%(value)s” is not a Buddhist-Era fiscal year such as 2563."),
            value=_shown(value),
        )
    # One int object per year, not one per row of a national workbook.
    return _YEARS.setdefault(year, year)


def clean_indicator(value: Any) -> int:
    """Read an indicator number such as 1 or ๑."""
    try:
        return clean_count(value)
    except CellError:
        raise CellError(
            "bad_indicator", _("“%(value)s” is not an indicator number."), value=_shown(value)
        ) from None


def clean_code(value: Any) -> str:
    """Read a question or item code such as I14 or O1, in capitals without spaces."""
    # Interned: a national workbook repeats the same few codes hundreds of thousands of times.
    return sys.intern(arabic_digits(clean_text(value)).replace(" ", "").upper())


def clean_agency(value: Any) -> str:
    """Read an agency code (a slug, compared in lower case)."""
    return sys.intern(clean_text(value).lower())


def clean_bool(value: Any) -> bool:
    """Read yes or no: 1/0, TRUE/FALSE, yes/no, มี/ไม่มี."""
    if isinstance(value, bool):
        return value
    word = normalise(clean_text(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(
        "not_yes_no", _("“%(value)s” is not yes or no (1/0, มี/ไม่มี)."), value=_shown(value)
    )


def clean_grade(value: Any) -> str:
    return clean_text(value).upper()


CLEANERS = {
    "year": clean_year,
    "agency": clean_agency,
    "code": clean_code,
    "indicator": clean_indicator,
    "score": clean_score,
    "count": clean_count,
    "bool": clean_bool,
    "text": clean_text,
    "grade": clean_grade,
}


# --- Reading --------------------------------------------------------------------------------------


@dataclass
class SheetRows:
    """The clean rows of one sheet: (row number, values in the spec's column order)."""

    spec: SheetSpec
    title: str
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    # column key → its letter and header in this file, e.g. "D (score)"
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class ParsedWorkbook:
    file_name: str
    sheets: dict[str, SheetRows]
    problems: list[Problem]
    row_count: int

    def sheet_title(self, key: str) -> str:
        """Return the title the file gave a sheet, or the English one."""
        sheet = self.sheets.get(key)
        return sheet.title if sheet else SHEETS_BY_KEY[key].en


def _refuse(code: str, template: Any, file_name: str, **params: Any) -> WorkbookRefused:
    return WorkbookRefused([Problem(code, template, params, file=file_name)])


def max_uncompressed_bytes() -> int:
    """Return the cap on the workbook's unzipped size (default 25 times the upload cap)."""
    return getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 25 * settings.IMPORT_MAX_BYTES)


def check_container(data: IO[bytes], file_name: str, size: int) -> None:
    """Refuse a file that is too big, not a zip, password-protected, truncated or a zip bomb."""
    if size > settings.IMPORT_MAX_BYTES:
        raise _refuse(
            "too_big",
            _("the file is %(size)s MB; the limit is %(limit)s MB."),
            file_name,
            size=f"{size / 1024 / 1024:.1f}",
            limit=f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:g}",
        )
    data.seek(0)
    head = data.read(8)
    data.seek(0)
    if head == OLE2_SIGNATURE:
        raise _refuse(
            "password_protected",
            _(
                "the file is password-protected or an old .xls workbook; remove the password "
                "or save it as .xlsx (Excel Workbook) and upload it again."
            ),
            file_name,
        )
    if not head.startswith(ZIP_SIGNATURE):
        raise _refuse(
            "not_xlsx",
            _("the file is not an Excel workbook (.xlsx); save it as .xlsx and upload it again."),
            file_name,
        )
    try:
        with zipfile.ZipFile(data) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise _refuse(
            "truncated",
            _("the file is truncated or corrupt (it could not be opened as a zip archive)."),
            file_name,
        ) from None
    finally:
        data.seek(0)
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise _refuse(
            "not_xlsx",
            _("the file is not an Excel workbook (.xlsx); save it as .xlsx and upload it again."),
            file_name,
        )
    total = sum(member.file_size for member in members)
    # zipfile never inflates a member beyond its declared size (a lie fails the CRC check), so the
    # declared sizes bound what parsing can cost.
    bomb = total > max_uncompressed_bytes() or any(
        member.file_size > 1_000_000
        and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if bomb:
        raise _refuse(
            "zip_bomb",
            _(
                "the file unpacks to %(size)s MB, far more than a score workbook holds "
                "(limit %(limit)s MB, at most %(ratio)s times its packed size); it was not opened."
            ),
            file_name,
            size=f"{total / 1024 / 1024:.0f}",
            limit=f"{max_uncompressed_bytes() / 1024 / 1024:g}",
            ratio=MAX_COMPRESSION_RATIO,
        )


def _corrupt(file_name: str) -> WorkbookRefused:
    return _refuse(
        "corrupt",
        _("the file is corrupt: Excel's data inside it could not be read."),
        file_name,
    )


def _map_headers(
    spec: SheetSpec, header: tuple[Any, ...], file_name: str, title: str
) -> tuple[list[tuple[int, Column]], list[Problem]]:
    wanted = {}
    for column in spec.columns:
        wanted[normalise(column.key)] = column
        wanted[normalise(column.th)] = column
    found: dict[str, int] = {}
    mapping: list[tuple[int, Column]] = []
    problems: list[Problem] = []
    for index, cell in enumerate(header):
        text = clean_text(cell)
        column = wanted.get(normalise(text)) if text else None
        if column is None:
            continue
        if column.key in found:
            problems.append(
                Problem(
                    "duplicate_column",
                    _("the column “%(name)s” appears twice (also column %(other)s)."),
                    {"name": text, "other": get_column_letter(found[column.key] + 1)},
                    file_name,
                    title,
                    1,
                    column_label(index, column, text),
                )
            )
            continue
        found[column.key] = index
        mapping.append((index, column))
    for column in spec.columns:
        if column.required and column.key not in found:
            problems.append(
                Problem(
                    "missing_column",
                    _("the column “%(th)s” (%(en)s) is missing from the header row."),
                    {"th": column.th, "en": column.en},
                    file_name,
                    title,
                    1,
                    column.en,
                )
            )
    return mapping, problems


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Reader:
    def __init__(self, file_name: str, max_rows: int) -> None:
        self.file_name = file_name
        self.max_rows = max_rows
        self.row_count = 0
        self.problems: list[Problem] = []
        self.extra_problems = 0

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.extra_problems += 1

    def read_sheet(self, spec: SheetSpec, worksheet: Any) -> SheetRows:
        title = worksheet.title
        result = SheetRows(spec=spec, title=title)
        rows = worksheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or all(_is_blank(value) for value in header):
            first = next(
                (n for n, row in enumerate(rows, start=2) if not all(map(_is_blank, row))), None
            )
            template = (
                _("the first row must hold the column headers but is empty; the sheet's only "
                  "data starts in row %(first)s.")
                if first
                else _("the sheet is empty: the first row must hold the column headers.")
            )  # fmt: skip
            self.add(Problem("no_header", template, {"first": first}, self.file_name, title, 1))
            return result
        mapping, problems = _map_headers(spec, header, self.file_name, title)
        for problem in problems:
            self.add(problem)
        if problems:
            return result
        result.labels = {
            column.key: column_label(index, column, clean_text(header[index]))
            for index, column in mapping
        }
        positions = [spec.index(column.key) for _, column in mapping]
        cleaners = [CLEANERS[column.kind] for _, column in mapping]
        width = len(spec.columns)
        unique = [spec.index(key) for key in spec.unique]
        value_positions = [spec.index(key) for key in VALUE_COLUMNS.get(spec.key, ())]
        headers = [clean_text(header[index]) for index, _ in mapping]
        seen: dict[tuple[Any, ...], int] = {}
        for number, cells in enumerate(rows, start=2):
            if all(map(_is_blank, cells)):
                continue
            self.row_count += 1
            if self.row_count > self.max_rows:
                raise WorkbookRefused(
                    [
                        Problem(
                            "too_many_rows",
                            _("the workbook has more than %(limit)s data rows, the limit."),
                            {"limit": f"{self.max_rows:,}"},
                            self.file_name,
                            title,
                            number,
                        )
                    ]
                )
            values: list[Any] = [None] * width
            ok = True
            for (index, column), position, clean, name in zip(
                mapping, positions, cleaners, headers, strict=True
            ):
                raw = cells[index] if index < len(cells) else None
                if _is_blank(raw):
                    if column.kind == "text":
                        values[position] = ""
                    continue
                try:
                    values[position] = clean(raw)
                except CellError as error:
                    ok = False
                    self.add(
                        Problem(
                            error.code,
                            error.template,
                            error.params,
                            self.file_name,
                            title,
                            number,
                            column_label(index, column, name),
                        )
                    )
            if not ok:
                continue
            if value_positions and all(values[p] is None for p in value_positions):
                result.skipped.append(number)
                continue
            missing = [
                (index, column)
                for (index, column), position in zip(mapping, positions, strict=True)
                if column.required and values[position] is None
            ]
            if missing:
                index, column = missing[0]
                self.add(
                    Problem(
                        "blank_cell",
                        _("the cell is empty; “%(th)s” (%(en)s) is required."),
                        {"th": column.th, "en": column.en},
                        self.file_name,
                        title,
                        number,
                        column_label(index, column, clean_text(header[index])),
                    )
                )
                continue
            key = tuple(values[p] for p in unique)
            if key in seen:
                self.add(
                    Problem(
                        "duplicate_row",
                        _("this row repeats row %(first)s (%(key)s)."),
                        {"first": seen[key], "key": " · ".join(map(str, key))},
                        self.file_name,
                        title,
                        number,
                    )
                )
                continue
            seen[key] = number
            result.rows.append((number, tuple(values)))
        return result


def read_workbook(data: IO[bytes], *, file_name: str, size: int) -> ParsedWorkbook:
    """Read a score workbook; raise WorkbookRefused when the file as a whole cannot be used."""
    check_container(data, file_name, size)
    try:
        workbook = load_workbook(data, read_only=True, data_only=True, keep_links=False)
    except Exception:
        # openpyxl raises many kinds of errors on damaged XML; each means the same to the user.
        logger.info("unreadable workbook %s", file_name, exc_info=True)
        raise _corrupt(file_name) from None
    reader = _Reader(file_name, settings.IMPORT_MAX_ROWS)
    try:
        present = {}
        for worksheet in workbook.worksheets:
            spec = _SHEET_NAMES.get(normalise(worksheet.title))
            if spec is not None and spec.key not in present:
                present[spec.key] = worksheet
        for spec in SHEETS:
            if spec.key not in present:
                reader.add(
                    Problem(
                        "missing_sheet",
                        _("the sheet “%(th)s” (%(en)s) is missing."),
                        {"th": spec.th, "en": spec.en},
                        file_name,
                        spec.en,
                    )
                )
        sheets = {}
        for spec in SHEETS:
            if spec.key in present:
                sheets[spec.key] = reader.read_sheet(spec, present[spec.key])
    except WorkbookRefused:
        raise
    except Exception:
        logger.info("unreadable sheet in %s", file_name, exc_info=True)
        raise _corrupt(file_name) from None
    finally:
        workbook.close()
    if reader.extra_problems:
        reader.problems.append(
            Problem(
                "more_problems",
                _("… and %(count)s more problems."),
                {"count": reader.extra_problems},
                file_name,
            )
        )
    return ParsedWorkbook(
        file_name=file_name, sheets=sheets, problems=reader.problems, row_count=reader.row_count
    )


# --- Writing --------------------------------------------------------------------------------------


def write_workbook(
    rows: dict[str, Iterable[Iterable[Any]]],
    *,
    lang: str = "th",
    reference: Iterable[Iterable[Any]] = (),
) -> bytes:
    """Write the five sheets (and an optional code reference sheet) as xlsx bytes."""
    workbook = Workbook(write_only=True)
    for spec in SHEETS:
        sheet = workbook.create_sheet(spec.title(lang))
        sheet.append([column.header(lang) for column in spec.columns])
        for row in rows.get(spec.key, ()):
            sheet.append([escape(value) for value in row])
    reference_rows = list(reference)
    if reference_rows:
        sheet = workbook.create_sheet(REFERENCE_TITLES[lang == "th"])
        for row in reference_rows:
            sheet.append([escape(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def iter_rows_as_dicts(sheet: SheetRows) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield each clean row as (row number, {column key: value}) (for tests and small sheets)."""
    keys = [column.key for column in sheet.spec.columns]
    for number, values in sheet.rows:
        yield number, dict(zip(keys, values, strict=True))

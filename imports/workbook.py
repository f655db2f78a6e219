"""The score workbook on disk: its format, safe reading, and writing (docs/import-format.md).

This layer knows the file format only; it never touches the database. Reading refuses a file
that is not a safe, well-formed xlsx before any sheet is parsed, streams the rows of each sheet
(imports/xlsx.py), maps Thai or English headers to column keys, cleans every cell (numbers,
numbers stored as text, Thai digits, cached formula results) and reports each problem with its
file, sheet, row and column. Writing uses openpyxl. Whether an agency or a question code exists
is the import service's concern (imports/services.py).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any, Literal

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from imports.xlsx import XlsxError, XlsxFile
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
# Each column of a sheet remembers this many cleaned values (see Sheet._rows).
MAX_REMEMBERED = 50_000
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
    return year


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
    return arabic_digits(clean_text(value)).replace(" ", "").upper()


def clean_agency(value: Any) -> str:
    """Read an agency code (a slug, compared in lower case)."""
    return clean_text(value).lower()


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


class WorkbookReader:
    """A score workbook opened for reading: its sheets in the format's order, rows cleaned.

    Rows stream: an import checks each chunk of rows as it is read, so a national workbook never
    sits in memory whole. Problems with cells and rows gather in `problems` as the rows are read;
    a problem with the whole file raises WorkbookRefused.
    """

    def __init__(self, data: IO[bytes], *, file_name: str, size: int) -> None:
        check_container(data, file_name, size)
        self.file_name = file_name
        self.max_rows = settings.IMPORT_MAX_ROWS
        self.row_count = 0
        self.problems: list[Problem] = []
        self.extra_problems = 0
        try:
            self.xlsx = XlsxFile(data)
        except XlsxError:
            logger.info("unreadable workbook %s", file_name, exc_info=True)
            raise _corrupt(file_name) from None
        self.present: dict[str, tuple[str, str]] = {}
        for title, part in self.xlsx.sheets:
            spec = _SHEET_NAMES.get(normalise(title))
            if spec is not None and spec.key not in self.present:
                self.present[spec.key] = (title, part)
        for spec in SHEETS:
            if spec.key not in self.present:
                self.add(
                    Problem(
                        "missing_sheet",
                        _("the sheet “%(th)s” (%(en)s) is missing."),
                        {"th": spec.th, "en": spec.en},
                        file_name,
                        spec.en,
                    )
                )

    def __enter__(self) -> WorkbookReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.xlsx.close()

    def add(self, problem: Problem) -> None:
        """Keep a problem (the first MAX_PROBLEMS of them; the rest are counted)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.extra_problems += 1

    def sheets(self) -> Iterator[Sheet]:
        """Yield the sheets the file has, in the format's order."""
        for spec in SHEETS:
            if spec.key in self.present:
                title, part = self.present[spec.key]
                yield Sheet(self, spec, title, part)

    def finish(self) -> None:
        """Count the problems beyond MAX_PROBLEMS, once every sheet has been read."""
        if self.extra_problems:
            self.problems.append(
                Problem(
                    "more_problems",
                    _("… and %(count)s more problems."),
                    {"count": self.extra_problems},
                    self.file_name,
                )
            )
            self.extra_problems = 0


class Sheet:
    """One sheet of a score workbook, read once, row by row."""

    def __init__(self, reader: WorkbookReader, spec: SheetSpec, title: str, part: str) -> None:
        self.reader = reader
        self.spec = spec
        self.title = title
        self.part = part
        # column key → its letter and header in this file, e.g. "D (score)"
        self.labels: dict[str, str] = {}

    def rows(self) -> Iterator[tuple[int, tuple[Any, ...] | None]]:
        """Yield (row number, values in the spec's column order), or None for a skipped row.

        A row with a bad cell, a blank required cell or a key seen before yields nothing; its
        problem is added to the reader's.
        """
        try:
            yield from self._rows()
        except XlsxError:
            logger.info("unreadable sheet in %s", self.reader.file_name, exc_info=True)
            raise _corrupt(self.reader.file_name) from None

    def _problem(self, code: str, template: Any, params: dict, row: int, column: str = "") -> None:
        file_name = self.reader.file_name
        self.reader.add(Problem(code, template, params, file_name, self.title, row, column))

    def _rows(self) -> Iterator[tuple[int, tuple[Any, ...] | None]]:
        reader, spec = self.reader, self.spec
        rows = reader.xlsx.rows(self.part)
        number, cells = next(rows, (0, {}))
        if number != 1 or all(map(_is_blank, cells.values())):
            first = number if number > 1 else None
            if number == 1:
                first = next((n for n, row in rows if not all(map(_is_blank, row.values()))), None)
            template = (
                _("the first row must hold the column headers but is empty; the sheet's only "
                  "data starts in row %(first)s.")
                if first
                else _("the sheet is empty: the first row must hold the column headers.")
            )  # fmt: skip
            self._problem("no_header", template, {"first": first}, 1)
            return
        header = [cells.get(index) for index in range(max(cells) + 1)]
        mapping, problems = _map_headers(spec, header, reader.file_name, self.title)
        for problem in problems:
            reader.add(problem)
        if problems:
            return
        headers = [clean_text(header[index]) for index, _ in mapping]
        self.labels = {
            column.key: column_label(index, column, name)
            for (index, column), name in zip(mapping, headers, strict=True)
        }
        # Per mapped column: where it comes from, where it goes, how it is cleaned, its label,
        # and the values it has cleaned. A national file repeats a few thousand distinct years,
        # codes and scores: each is cleaned once, and one object serves every row holding it.
        plan = [
            (index, spec.index(column.key), CLEANERS[column.kind], column, name, {})
            for (index, column), name in zip(mapping, headers, strict=True)
        ]
        # A blank cell of a text column the file has reads as ""; a column it lacks stays None
        # (an import keeps what is stored).
        template: list[Any] = [None] * len(spec.columns)
        for _index, position, _clean, column, _name, _memo in plan:
            if column.kind == "text":
                template[position] = ""
        required = [
            (position, column, index, name)
            for index, position, _clean, column, name, _memo in plan
            if column.required
        ]
        unique = [spec.index(key) for key in spec.unique]
        value_positions = [spec.index(key) for key in VALUE_COLUMNS.get(spec.key, ())]
        seen: dict[tuple[Any, ...], int] = {}
        for number, cells in rows:
            if all(map(_is_blank, cells.values())):
                continue
            reader.row_count += 1
            if reader.row_count > reader.max_rows:
                raise WorkbookRefused(
                    [
                        Problem(
                            "too_many_rows",
                            _("the workbook has more than %(limit)s data rows, the limit."),
                            {"limit": f"{reader.max_rows:,}"},
                            reader.file_name,
                            self.title,
                            number,
                        )
                    ]
                )
            values = list(template)
            ok = True
            for index, position, clean, column, name, memo in plan:
                raw = cells.get(index)
                if raw is None:
                    continue
                # True == 1: a boolean must never meet the value cleaned from a 1.
                remember = raw.__class__ is not bool
                value = memo.get(raw) if remember else None
                if value is None:
                    if raw.__class__ is str and not raw.strip():
                        continue
                    try:
                        value = clean(raw)
                    except CellError as error:
                        ok = False
                        self._problem(
                            error.code,
                            error.template,
                            error.params,
                            number,
                            column_label(index, column, name),
                        )
                        continue
                    if remember and len(memo) < MAX_REMEMBERED:
                        memo[raw] = value
                values[position] = value
            if not ok:
                continue
            if value_positions and all(values[p] is None for p in value_positions):
                yield number, None
                continue
            missing = next((entry for entry in required if values[entry[0]] is None), None)
            if missing is not None:
                _position, column, index, name = missing
                self._problem(
                    "blank_cell",
                    _("the cell is empty; “%(th)s” (%(en)s) is required."),
                    {"th": column.th, "en": column.en},
                    number,
                    column_label(index, column, name),
                )
                continue
            key = tuple(values[p] for p in unique)
            first = seen.setdefault(key, number)
            if first != number:
                self._problem(
                    "duplicate_row",
                    _("this row repeats row %(first)s (%(key)s)."),
                    {"first": first, "key": " · ".join(map(str, key))},
                    number,
                )
                continue
            yield number, tuple(values)


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

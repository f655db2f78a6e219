"""Stream the cell values of an xlsx workbook's sheets, one row at a time, with expat.

A score import reads hundreds of thousands of rows and needs only their values: openpyxl's
read-only mode builds a cell object for every cell and spends most of an import's reading time
doing so. This reader goes straight from the sheet XML to values, the way openpyxl's read-only
mode with `data_only=True` gives them: numbers as int or float, shared and inline strings as str,
booleans as bool, a formula as the result the spreadsheet program saved with it, and an error
result as its text (`#DIV/0!`). Dates stay numbers (nothing in a score workbook is a date).

It knows the file format only, imports nothing from Django, and refuses what a workbook never
holds: a document type declaration or entity definition in any part (the defence against entity
expansion), a part that is not well-formed XML, a sheet the workbook names but does not contain.
How big the whole file may be is the caller's check (imports/workbook.py, before anything is
read); what one part, row or cell may hold is bounded here (the limits below, documented in
docs/import-format.md), so that a crafted file of a few kilobytes cannot make the reader build a
row a billion cells wide: each is refused with `XlsxLimit`, naming the part or cell, when seen.

A formula saved without its result (a file written by a program that does not calculate) reads as
`Uncached`, never as an empty cell; sheets the workbook hides are listed in `hidden`.

Over 400 lines on purpose: one file format, whose parts (relationships, workbook, shared strings,
sheets) share the tag table, the limits and the cell converters; the sheet parser is one state
machine and reads best whole.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.parsers import expat

# Transitional (what Excel, LibreOffice and openpyxl write) and strict OOXML namespaces.
MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
RELATIONSHIPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKBOOK = "xl/workbook.xml"
BLOCK = 1 << 16
# What a damaged archive raises while a part is read: a bad CRC, bad deflate data, a short file.
UNREADABLE = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError)
# Excel writes a character XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x).
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


# Limits of what one workbook may hold, far above any score workbook (a national file has some
# 500,000 rows of 4 to 12 cells) and, for rows and columns, Excel's own.
MAX_ROW = 1_048_576
MAX_COLUMN = 16_384  # XFD
MAX_CELLS_PER_ROW = 1_024  # <c> elements, with or without a value
MAX_CELLS_PER_SHEET = 6_000_000
MAX_SHARED_STRINGS = 1_000_000
MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024  # the shared-strings part, unpacked
MAX_TEXT_CHARS = 32_767  # Excel's limit for one cell
MAX_NUMBER_CHARS = 40  # the text of a number cell: 1.2345678901234567E+300 is 23


class XlsxError(Exception):
    """The file is not a readable xlsx workbook."""


class XlsxLimit(XlsxError):
    """A part, row or cell beyond the reader's limits: what (code), where, and the figures."""

    def __init__(self, code: str, *, part: str = "", cell: str = "", **params: Any) -> None:
        super().__init__(f"{code} in {part} {cell}: {params}")
        self.code = code
        self.part = part
        self.cell = cell
        self.params = params


class Uncached:
    """A formula cell saved without its result: the program that wrote it never calculated."""

    __slots__ = ("formula",)

    def __init__(self, formula: str) -> None:
        self.formula = formula

    def __repr__(self) -> str:
        return f"Uncached({self.formula!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Uncached) and other.formula == self.formula

    def __hash__(self) -> int:
        return hash(self.formula)


def _names(namespaces: tuple[str, ...], local: str) -> frozenset[str]:
    return frozenset(f"{namespace} {local}" for namespace in namespaces)


# Elements of the main namespace, by their namespace-qualified name (as expat reports it).
_ROW, _CELL, _VALUE, _INLINE, _TEXT, _PHONETIC, _FORMULA = "row", "c", "v", "is", "t", "rPh", "f"
_STRING_ITEM, _SHEET = "si", "sheet"
_TAGS = {
    f"{namespace} {tag}": tag
    for namespace in MAIN
    for tag in (_ROW, _CELL, _VALUE, _INLINE, _TEXT, _PHONETIC, _FORMULA, _STRING_ITEM, _SHEET)
}
RELATIONSHIP = f"{PACKAGE_RELATIONSHIPS} Relationship"
RELATIONSHIP_IDS = _names(RELATIONSHIPS, "id")


def _refuse_declarations(*_args: Any) -> None:
    raise XlsxError("a document type or entity declaration")


def _parser() -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = BLOCK
    parser.StartDoctypeDeclHandler = _refuse_declarations
    parser.EntityDeclHandler = _refuse_declarations
    return parser


def _parse(stream: IO[bytes], parser: expat.XMLParserType) -> Iterator[None]:
    """Feed a part to the parser a block at a time, yielding after each block."""
    try:
        for block in iter(lambda: stream.read(BLOCK), b""):
            parser.Parse(block, False)
            yield
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise XlsxError(f"malformed XML: {error}") from None
    yield


def unescape(text: str) -> str:
    """Turn Excel's _xHHHH_ escapes back into the characters they stand for (but NUL, dropped).

    The OOXML string type (ST_Xstring) defines the escape, and Excel and LibreOffice read and
    write it: a cell showing A_B is saved as A_x005F_B only when the text holds _xHHHH_. openpyxl
    neither writes nor reads it, so a text it wrote holding _x0041_ shows in Excel as A, and
    here as A too (docs/decisions.md).
    """
    if "_x" not in text:
        return text
    return _ESCAPED.sub(_unescaped, text)


def _unescaped(match: re.Match) -> str:
    # NUL ends a string in C and PostgreSQL refuses it in text: no cell means it.
    code = int(match[1], 16)
    return chr(code) if code else ""


def _number(text: str) -> int | float:
    # As openpyxl: a number without a decimal point or exponent is an int.
    if len(text) > MAX_NUMBER_CHARS:
        raise XlsxLimit("long_number", chars=len(text), limit=MAX_NUMBER_CHARS)
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _column_index(letters: str, cache: dict[str, int]) -> int:
    index = cache.get(letters)
    if index is None:
        if len(letters) > 3:
            raise XlsxLimit("far_column")
        index = 0
        for letter in letters.upper():
            if not "A" <= letter <= "Z":
                raise XlsxError(f"a cell reference with {letters!r}")
            index = index * 26 + ord(letter) - 64
        index -= 1
        if index >= MAX_COLUMN:
            raise XlsxLimit("far_column")
        cache[letters] = index
    return index


class XlsxFile:
    """An open xlsx workbook: its sheets' titles in order, and each sheet's rows on demand."""

    def __init__(self, file: IO[bytes]) -> None:
        try:
            self.archive = zipfile.ZipFile(file)
        except UNREADABLE as error:
            raise XlsxError(f"not a zip archive: {error}") from None
        # titles of the sheets the workbook hides (state hidden or veryHidden)
        self.hidden: set[str] = set()
        try:
            targets, shared_strings = self._relationships()
            self.sheets: list[tuple[str, str]] = self._sheets(targets)
            self.shared_strings = self._strings(shared_strings) if shared_strings else []
        except BaseException:
            self.archive.close()
            raise

    def __enter__(self) -> XlsxFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the archive."""
        self.archive.close()

    def _open(self, name: str) -> IO[bytes]:
        try:
            return self.archive.open(name)
        except KeyError:
            raise XlsxError(f"the part {name} is missing") from None
        except UNREADABLE as error:
            raise XlsxError(f"the part {name} cannot be read: {error}") from None

    def _read_part(self, name: str, parser: expat.XMLParserType) -> None:
        with self._open(name) as stream:
            try:
                for _ in _parse(stream, parser):
                    pass
            except UNREADABLE as error:
                raise XlsxError(f"the part {name} cannot be read: {error}") from None

    def _relationships(self) -> tuple[dict[str, str], str | None]:
        """Return the workbook's relationship ids → part names, and its shared strings part."""
        targets: dict[str, str] = {}
        shared: list[str] = []

        def start(name: str, attrs: dict[str, str]) -> None:
            if name != RELATIONSHIP or attrs.get("TargetMode") == "External":
                return
            target = attrs.get("Target", "")
            # Targets are relative to the workbook's folder unless they start with /.
            path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            path = posixpath.normpath(path)
            targets[attrs.get("Id", "")] = path
            if attrs.get("Type", "").endswith("/sharedStrings"):
                shared.append(path)

        parser = _parser()
        parser.StartElementHandler = start
        rels = "xl/_rels/workbook.xml.rels"
        if rels in self.archive.NameToInfo:
            self._read_part(rels, parser)
        return targets, shared[0] if shared else None

    def _sheets(self, targets: dict[str, str]) -> list[tuple[str, str]]:
        sheets: list[tuple[str, str]] = []

        def start(name: str, attrs: dict[str, str]) -> None:
            if _TAGS.get(name) is not _SHEET:
                return
            rid = next((value for key, value in attrs.items() if key in RELATIONSHIP_IDS), None)
            part = targets.get(rid or "")
            if part is None:
                raise XlsxError(f"the sheet {attrs.get('name')!r} has no part")
            sheets.append((attrs.get("name", ""), part))
            if attrs.get("state", "visible") != "visible":
                self.hidden.add(attrs.get("name", ""))

        parser = _parser()
        parser.StartElementHandler = start
        self._read_part(WORKBOOK, parser)
        return sheets

    def _strings(self, name: str) -> list[str]:
        info = self.archive.NameToInfo.get(name)
        if info is not None and info.file_size > MAX_SHARED_STRINGS_BYTES:
            raise XlsxLimit(
                "big_strings", part=name, size=info.file_size, limit=MAX_SHARED_STRINGS_BYTES
            )
        strings: list[str] = []
        parts: list[str] = []
        # inside <t> (text wanted), depth inside <rPh> (phonetic guide, not the text), length
        state = {"text": False, "phonetic": 0, "chars": 0}

        def start(name: str, _attrs: dict[str, str]) -> None:
            tag = _TAGS.get(name)
            if tag is _TEXT:
                state["text"] = not state["phonetic"]
            elif tag is _PHONETIC:
                state["phonetic"] += 1

        def end(name: str) -> None:
            tag = _TAGS.get(name)
            if tag is _TEXT:
                state["text"] = False
            elif tag is _PHONETIC:
                state["phonetic"] -= 1
            elif tag is _STRING_ITEM:
                if len(strings) == MAX_SHARED_STRINGS:
                    raise XlsxLimit("many_strings", part=name, limit=MAX_SHARED_STRINGS)
                strings.append(unescape("".join(parts)))
                parts.clear()
                state["chars"] = 0

        def data(text: str) -> None:
            if state["text"]:
                state["chars"] += len(text)
                if state["chars"] > MAX_TEXT_CHARS:
                    raise XlsxLimit(
                        "long_text", part=name, cell=f"#{len(strings) + 1}", limit=MAX_TEXT_CHARS
                    )
                parts.append(text)

        parser = _parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = data
        self._read_part(name, parser)
        return strings

    def rows(self, part: str) -> Iterator[tuple[int, dict[int, Any]]]:
        """Yield each row of a sheet that has a value: (row number, {column index: value})."""
        with self._open(part) as stream:
            try:
                yield from _sheet_rows(stream, self.shared_strings)
            except XlsxLimit as limit:
                limit.part = part
                raise
            except UNREADABLE as error:
                raise XlsxError(f"the part {part} cannot be read: {error}") from None


def _cell_name(column: int, row: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


class _SheetState:
    """Where the sheet parser is: row, cell, what text it wants, and how much it has seen."""

    __slots__ = (
        "row", "values", "column", "kind", "wanted", "inline", "formula", "in_formula",
        "chars", "row_cells", "cells", "ref", "had_value",
    )  # fmt: skip

    def __init__(self) -> None:
        self.row, self.values, self.column, self.kind = 0, {}, -1, "n"
        self.wanted = self.inline = self.in_formula = self.had_value = False
        self.formula: list[str] | None = None
        self.chars = self.row_cells = self.cells = 0
        self.ref = ""


def _sheet_rows(stream: IO[bytes], shared: list[str]) -> Iterator[tuple[int, dict[int, Any]]]:
    parser = _parser()
    done: list[tuple[int, dict[int, Any]]] = []
    columns: dict[str, int] = {}
    tags = _TAGS
    state = _SheetState()
    parts: list[str] = []
    strip = str.rstrip

    def where() -> str:
        return state.ref or _cell_name(max(state.column, 0), state.row)

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = tags.get(name)
        if tag is _CELL:
            state.cells += 1
            state.row_cells += 1
            ref = attrs.get("r")
            state.ref = ref or ""
            if state.row_cells > MAX_CELLS_PER_ROW:
                raise XlsxLimit("wide_row", cell=where(), limit=MAX_CELLS_PER_ROW)
            if state.cells > MAX_CELLS_PER_SHEET:
                raise XlsxLimit("many_cells", cell=where(), limit=MAX_CELLS_PER_SHEET)
            try:
                state.column = (
                    _column_index(strip(ref, "0123456789"), columns) if ref else state.column + 1
                )
            except XlsxLimit as limit:
                limit.cell = (ref or "")[:20]
                raise
            if state.column >= MAX_COLUMN:
                raise XlsxLimit("far_column", cell=where())
            state.kind = attrs.get("t", "n")
            state.formula = None
            state.had_value = False
            state.chars = 0
        elif tag is _VALUE:
            state.wanted = state.had_value = True
        elif tag is _ROW:
            number = attrs.get("r")
            if number is None:
                state.row += 1
            elif len(number) > 7 or not number.isdigit():
                raise XlsxLimit("far_row", cell=f"row {number[:20]}")
            else:
                state.row = int(number)
            if state.row > MAX_ROW:
                raise XlsxLimit("far_row", cell=f"row {state.row}")
            state.values = {}
            state.column = -1
            state.row_cells = 0
        elif tag is _INLINE:
            state.inline = True
        elif tag is _TEXT:
            state.wanted = state.inline
        elif tag is _PHONETIC:
            state.inline = False
        elif tag is _FORMULA:
            state.formula = []
            state.in_formula = True

    def end(name: str) -> None:
        tag = tags.get(name)
        if tag is _VALUE or tag is _TEXT:
            state.wanted = False
        elif tag is _FORMULA:
            state.in_formula = False
        elif tag is _CELL:
            if parts:
                try:
                    value = _convert(state.kind, "".join(parts), shared)
                except XlsxLimit as limit:
                    limit.cell = where()
                    raise
                parts.clear()
                if value is not None:
                    state.values[state.column] = value
            elif state.formula is not None and not (state.kind == "str" and state.had_value):
                # Never read as an empty cell: the import says which cell needs calculating.
                # (Excel saves a formula whose result is empty text as t="str" with an empty <v>;
                # openpyxl saves one it never calculated with an empty <v> but no type.)
                state.values[state.column] = Uncached("".join(state.formula)[:200])
            state.inline = False
        elif tag is _ROW and state.values:
            done.append((state.row, state.values))

    def data(text: str) -> None:
        if state.wanted:
            state.chars += len(text)
            if state.chars > MAX_TEXT_CHARS:
                raise XlsxLimit("long_text", cell=where(), limit=MAX_TEXT_CHARS)
            parts.append(text)
        elif state.in_formula and state.formula is not None and len(state.formula) < 64:
            state.formula.append(text)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    for _ in _parse(stream, parser):
        if done:
            yield from done
            done.clear()


def _convert(kind: str, text: str, shared: list[str]) -> Any:
    converter = _CONVERTERS.get(kind)
    if converter is None:
        raise XlsxError(f"a cell of unknown type {kind!r}")
    try:
        return converter(text, shared)
    except XlsxLimit:
        raise
    except (ValueError, IndexError):
        raise XlsxError(f"a {kind!r} cell holding {text[:20]!r}") from None


def _shared(text: str, shared: list[str]) -> str:
    index = int(text)
    if index < 0:
        raise IndexError(index)
    return shared[index]


_CONVERTERS: dict[str, Callable[[str, list[str]], Any]] = {
    "n": lambda text, _shared: _number(text),
    "s": _shared,
    "inlineStr": lambda text, _shared: unescape(text),
    "str": lambda text, _shared: unescape(text),
    "b": lambda text, _shared: bool(int(text)),
    "e": lambda text, _shared: text,
    "d": lambda text, _shared: text,
}

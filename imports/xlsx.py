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
How big the parts may be is the caller's check (imports/workbook.py, before anything is read).
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


class XlsxError(Exception):
    """The file is not a readable xlsx workbook."""


def _names(namespaces: tuple[str, ...], local: str) -> frozenset[str]:
    return frozenset(f"{namespace} {local}" for namespace in namespaces)


# Elements of the main namespace, by their namespace-qualified name (as expat reports it).
_ROW, _CELL, _VALUE, _INLINE, _TEXT, _PHONETIC = "row", "c", "v", "is", "t", "rPh"
_STRING_ITEM, _SHEET = "si", "sheet"
_TAGS = {
    f"{namespace} {tag}": tag
    for namespace in MAIN
    for tag in (_ROW, _CELL, _VALUE, _INLINE, _TEXT, _PHONETIC, _STRING_ITEM, _SHEET)
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
    """Turn Excel's _xHHHH_ escapes back into the characters they stand for."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda match: chr(int(match[1], 16)), text)


def _number(text: str) -> int | float:
    # As openpyxl: a number without a decimal point or exponent is an int.
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _column_index(letters: str, cache: dict[str, int]) -> int:
    index = cache.get(letters)
    if index is None:
        index = 0
        for letter in letters.upper():
            if not "A" <= letter <= "Z":
                raise XlsxError(f"a cell reference with {letters!r}")
            index = index * 26 + ord(letter) - 64
        index -= 1
        cache[letters] = index
    return index


class XlsxFile:
    """An open xlsx workbook: its sheets' titles in order, and each sheet's rows on demand."""

    def __init__(self, file: IO[bytes]) -> None:
        try:
            self.archive = zipfile.ZipFile(file)
        except UNREADABLE as error:
            raise XlsxError(f"not a zip archive: {error}") from None
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

        parser = _parser()
        parser.StartElementHandler = start
        self._read_part(WORKBOOK, parser)
        return sheets

    def _strings(self, name: str) -> list[str]:
        strings: list[str] = []
        parts: list[str] = []
        # depth inside <t> (text wanted) and inside <rPh> (phonetic guide, not the text)
        state = {"text": False, "phonetic": 0}

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
                strings.append(unescape("".join(parts)))
                parts.clear()

        def data(text: str) -> None:
            if state["text"]:
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
            except UNREADABLE as error:
                raise XlsxError(f"the part {part} cannot be read: {error}") from None


def _sheet_rows(stream: IO[bytes], shared: list[str]) -> Iterator[tuple[int, dict[int, Any]]]:
    parser = _parser()
    done: list[tuple[int, dict[int, Any]]] = []
    columns: dict[str, int] = {}
    tags = _TAGS
    # row number, its values, the cell's column and type, whether text is wanted, inside <is>
    state: list[Any] = [0, {}, -1, "n", False, False]
    parts: list[str] = []
    strip = str.rstrip

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = tags.get(name)
        if tag is _CELL:
            ref = attrs.get("r")
            state[2] = _column_index(strip(ref, "0123456789"), columns) if ref else state[2] + 1
            state[3] = attrs.get("t", "n")
        elif tag is _VALUE:
            state[4] = True
        elif tag is _ROW:
            number = attrs.get("r")
            state[0] = int(number) if number else state[0] + 1
            state[1] = {}
            state[2] = -1
        elif tag is _INLINE:
            state[5] = True
        elif tag is _TEXT:
            state[4] = state[5]
        elif tag is _PHONETIC:
            state[5] = False

    def end(name: str) -> None:
        tag = tags.get(name)
        if tag is _VALUE or tag is _TEXT:
            state[4] = False
        elif tag is _CELL:
            if parts:
                value = _convert(state[3], "".join(parts), shared)
                parts.clear()
                if value is not None:
                    state[1][state[2]] = value
            state[5] = False
        elif tag is _ROW and state[1]:
            done.append((state[0], state[1]))

    def data(text: str) -> None:
        if state[4]:
            parts.append(text)

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

"""Builders for score-import tests: workbooks written in memory with openpyxl."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import translation
from openpyxl import Workbook

from imports.format import SHEETS
from imports.problems import Problem
from imports.workbook import WorkbookReader

EN_HEADERS = {spec.key: [column.key for column in spec.columns] for spec in SHEETS}
TH_HEADERS = {spec.key: [column.th for column in spec.columns] for spec in SHEETS}


def xlsx(sheets: dict[str, Iterable[Iterable[Any]]]) -> bytes:
    """Write sheets (title → rows, the header row included) into xlsx bytes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def score_workbook(
    *,
    agencies: Iterable[Iterable[Any]] = (),
    indicator_scores: Iterable[Iterable[Any]] = (),
    question_scores: Iterable[Iterable[Any]] = (),
    oit_items: Iterable[Iterable[Any]] = (),
    official_results: Iterable[Iterable[Any]] = (),
    sub_indicator_scores: Iterable[Iterable[Any]] = (),
    instrument_scores: Iterable[Iterable[Any]] = (),
    thai: bool = False,
    drop: Iterable[str] = (),
) -> bytes:
    """Write a workbook in the documented format; data rows in each sheet's column order."""
    headers = TH_HEADERS if thai else EN_HEADERS
    data = {
        "agencies": agencies,
        "indicator_scores": indicator_scores,
        "question_scores": question_scores,
        "oit_items": oit_items,
        "official_results": official_results,
        "sub_indicator_scores": sub_indicator_scores,
        "instrument_scores": instrument_scores,
    }
    sheets = {}
    for spec in SHEETS:
        if spec.key in drop:
            continue
        sheets[spec.title("th" if thai else "en")] = [headers[spec.key], *data[spec.key]]
    return xlsx(sheets)


def with_cached_results(data: bytes, results: Iterable[Any], *, error: bool = False) -> bytes:
    """Give openpyxl's formula cells the results Excel would have saved with them, in order."""
    values = iter(results)
    kind = ' t="e"' if error else ""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                text = content.decode()
                text = re.sub(
                    r'(<c r="[A-Z]+\d+")>(<f>[^<]*</f>)<v\s*/>',
                    lambda m: f"{m[1]}{kind}>{m[2]}<v>{next(values)}</v>",
                    text,
                )
                content = text.encode()
            target.writestr(info, content)
    return buffer.getvalue()


def zip_bomb(megabytes: int) -> bytes:
    """Return a zip that looks like an xlsx and unpacks to megabytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


def database_state() -> tuple[dict[str, int], str]:
    """Return row counts of everything an import writes and a checksum of every stored score."""
    from accounts.models import Agency
    from assessments.models import Assessment, IndicatorScore, ItemAnswer, QuestionScore
    from imports.models import ImportBatch

    models = [Agency, Assessment, IndicatorScore, QuestionScore, ItemAnswer, ImportBatch]
    counts = {model.__name__: model.objects.count() for model in models}
    for model in models[1:5]:
        counts[f"{model.__name__} history"] = model.history.count()
    digest = hashlib.sha256()
    for model, fields in [
        (IndicatorScore, ("assessment_id", "indicator_id", "score", "batch_id")),
        (QuestionScore, ("assessment_id", "question_id", "score", "batch_id")),
        (ItemAnswer, ("assessment_id", "question_id", "present", "evidence_url", "note")),
        (Assessment, ("agency_id", "fiscal_year", "reported_total", "reported_grade", "rank")),
    ]:
        for row in model.objects.order_by("pk").values_list("pk", *fields):
            digest.update(repr(row).encode())
    return counts, digest.hexdigest()


def make_steward(username: str = "steward"):
    """Return a data steward: no agency of their own, keeps every agency's reference data."""
    from accounts.roles import Role
    from tests.base import make_user

    return make_user(username, Role.STEWARD, None)


@pytest.fixture
def english():
    """Read messages in English (the portal's default language is Thai)."""
    with translation.override("en"):
        yield


@dataclass
class ReadSheet:
    title: str
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


@dataclass
class ReadWorkbook:
    problems: list[Problem]
    row_count: int
    sheets: dict[str, ReadSheet]


def read_all(data: bytes, name: str = "scores.xlsx") -> ReadWorkbook:
    """Read every sheet of a workbook through the import's reader, rows as {column key: value}."""
    with WorkbookReader(io.BytesIO(data), file_name=name, size=len(data)) as reader:
        sheets = {}
        for sheet in reader.sheets():
            keys = [column.key for column in sheet.spec.columns]
            read = sheets[sheet.spec.key] = ReadSheet(sheet.title)
            for number, values in sheet.rows():
                if values is None:
                    read.skipped.append(number)
                else:
                    read.rows.append((number, dict(zip(keys, values, strict=True))))
        reader.finish()
    return ReadWorkbook(reader.problems, reader.row_count, sheets)

"""The score workbook's format: its sheets and their columns (docs/import-format.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext_lazy as _

from ita_portal.thai import arabic_digits

Kind = Literal["year", "agency", "code", "indicator", "score", "count", "bool", "text", "grade"]
# What a cell of each kind holds, for the format page (/imports/format/), in the reader's terms.
KIND_HELP = {
    "year": _("Buddhist-Era fiscal year, such as 2563"),
    "agency": _("the portal's agency code, such as oie (compared in lower case)"),
    "code": _("a question or OIT item code of that year's instrument, such as I14, E6 or O1"),
    "indicator": _("an indicator number of that year's instrument, such as 1 or ๑"),
    "score": _("a score from 0 to 100, stored with two decimals (rounded half up)"),
    "count": _("a whole number of 0 or more"),
    "bool": _("yes or no"),
    "text": _("text"),
    "grade": _("a level of that year's instrument, as a code or as published: AA, ผ่านดีเยี่ยม"),
}

_SPACES = re.compile(r"[\s_\-\u00a0\u200b]+")


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

    @property
    def help(self) -> str:
        """Return what a cell of this column holds, in the active language."""
        return str(KIND_HELP[self.kind])


@dataclass(frozen=True)
class SheetSpec:
    key: str
    en: str
    th: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...]
    # A sheet added after files were already in use may be left out of a file.
    optional: bool = False

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
# NACC often publishes sub-indicator and instrument scores, not questions (issue 14).
SUB_INDICATOR_SCORES = SheetSpec(
    "sub_indicator_scores",
    "sub-indicator scores",
    "คะแนนตัวชี้วัดย่อย",
    (
        _YEAR,
        _AGENCY,
        Column("sub_indicator", "ตัวชี้วัดย่อย", "code"),
        Column("score", "คะแนน", "score"),
    ),
    unique=("fiscal_year", "agency_code", "sub_indicator"),
    optional=True,
)
INSTRUMENT_SCORES = SheetSpec(
    "instrument_scores",
    "instrument scores",
    "คะแนนแบบวัด",
    (_YEAR, _AGENCY, Column("instrument", "แบบวัด", "code"), Column("score", "คะแนน", "score")),
    unique=("fiscal_year", "agency_code", "instrument"),
    optional=True,
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
    SUB_INDICATOR_SCORES,
    INSTRUMENT_SCORES,
)
# The template's list of codes; import ignores it, like any sheet it does not know.
REFERENCE_TITLES = ("codes", "รหัส")
# Columns whose blank cell means "not given": the row is skipped, nothing stored is cleared.
VALUE_COLUMNS = {
    "indicator_scores": ("score",),
    "sub_indicator_scores": ("score",),
    "instrument_scores": ("score",),
    "question_scores": ("score",),
    "oit_items": ("present",),
}


def normalise(text: str) -> str:
    """Fold a header or sheet name for matching: case, spaces, underscores, Thai digits."""
    return _SPACES.sub(" ", arabic_digits(str(text))).strip().casefold()


SHEET_NAMES = {normalise(name): spec for spec in SHEETS for name in (spec.key, spec.th)}

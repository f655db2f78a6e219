"""Builders for assessment tests: the 2563 instrument version and OIE's seed result."""

import json
from decimal import Decimal

from accounts.models import Agency
from assessments import demo
from assessments.models import Assessment, InstrumentVersion
from assessments.services import (
    assessment_scores_set,
    assessment_upsert,
    instrument_version_load,
)


def load_version_2563() -> InstrumentVersion:
    return instrument_version_load(data=json.loads(demo.DATA.read_text(encoding="utf-8")))


def make_oie_2563(agency: Agency, *, question_scores: bool = True, **overrides) -> Assessment:
    """OIE's 2563 result as the seed's tables give it (domain.md §3)."""
    if not InstrumentVersion.objects.filter(fiscal_year=2563).exists():
        load_version_2563()
    values = {**demo.OIE_2563, **overrides}
    assessment = assessment_upsert(agency=agency, fiscal_year=2563, values=values)
    assessment_scores_set(
        assessment=assessment,
        questions=(
            {c: Decimal(v) for c, v in demo.QUESTION_SCORES.items()} if question_scores else None
        ),
        sub_indicators={k: Decimal(v) for k, v in demo.SUB_INDICATOR_SCORES.items()},
        indicators={n: Decimal(v) for n, v in demo.INDICATOR_SCORES.items()},
        instruments={c: Decimal(v) for c, v in demo.INSTRUMENT_SCORES.items()},
    )
    return assessment


def version_2567_data(fiscal_year: int = 2567) -> dict:
    """A small version in the JSON shape with 2567-style levels, answer scales and sub-items.

    Built for tests (one question per indicator); the points are a Suan Dusit form's, unverified.
    """
    form = "Suan Dusit ITA form (0/33/67/100, yes/no 0/100), unverified"
    levels = [
        ("ผ่านดีเยี่ยม", "95.00", None, "95.00", "Excellent pass"),
        ("ผ่านดี", "85.00", None, "85.00", "Good pass"),
        ("ผ่าน", "85.00", None, None, "Pass"),
        ("ต้องปรับปรุง", "70.00", "84.99", None, "Needs improvement"),
        ("ต้องปรับปรุงโดยด่วน", "0.00", "69.99", None, "Needs urgent improvement"),
    ]
    return {
        "fiscal_year": fiscal_year,
        "name_th": f"ITA {fiscal_year}",
        "grade_bands": [
            {
                "grade": code,
                "lower": lower,
                "upper": upper,
                "minimums": dict.fromkeys(("IIT", "EIT", "OIT"), minimum) if minimum else {},
                "label_th": code,
                "label_en": label_en,
                "source": "pongvarid/upoit src/plugins/tool.ts",
            }
            for code, lower, upper, minimum, label_en in levels
        ],
        "answer_scales": [
            {
                "code": "L4",
                "name_th": "4 ระดับ",
                "source": form,
                "options": [
                    {"label_th": label, "points": points}
                    for label, points in (
                        ("น้อยที่สุด", "0"),
                        ("น้อย", "33"),
                        ("มาก", "67"),
                        ("มากที่สุด", "100"),
                    )
                ],
            },
            {
                "code": "YN",
                "kind": "yes_no",
                "name_th": "เคย/ไม่เคย",
                "options": [
                    {"label_th": "เคย", "points": "0"},
                    {"label_th": "ไม่เคย", "points": "100"},
                ],
            },
        ],
        "instruments": [
            {
                "code": "IIT",
                "name_th": "IIT",
                "weight": "0.30",
                "sample": {"percent": "10", "minimum": 30, "everyone_below": 30},
                "indicators": [
                    {
                        "number": 1,
                        "name_th": "การปฏิบัติหน้าที่",
                        "questions": [
                            {
                                "code": "I1",
                                "scale": "L4",
                                "option_labels": [{"order": 4, "label_th": "ทุกครั้ง"}],
                                "sub_items": [
                                    {"code": "I1.1", "text_th": "ก"},
                                    {"code": "I1.2", "text_th": "ข", "reversed": True},
                                ],
                            },
                            {"code": "I2", "scale": "YN", "reversed": True},
                        ],
                    }
                ],
            },
            {
                "code": "EIT",
                "name_th": "EIT",
                "weight": "0.30",
                "sample": {"cap_over": 4000, "cap_minimum": 400},
                "indicators": [
                    {"number": 2, "name_th": "คุณภาพ", "questions": [{"code": "E1", "scale": "L4"}]}
                ],
            },
            {
                "code": "OIT",
                "name_th": "OIT",
                "weight": "0.40",
                "indicators": [
                    {
                        "number": 3,
                        "name_th": "การเปิดเผยข้อมูล",
                        "sub_indicators": [
                            {"key": "3.1", "name_th": "ข้อมูลพื้นฐาน", "items": [{"code": "O1"}]}
                        ],
                    }
                ],
            },
        ],
    }

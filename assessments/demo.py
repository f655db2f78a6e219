"""Demo data from the seed (domain.md §3): OIE's ITA 2563 result, its history and its peers.

Only figures the seed gives are stored; every other score stays unknown (no row).
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from accounts.models import Agency
from assessments.models import InstrumentVersion
from assessments.services import (
    assessment_scores_set,
    assessment_upsert,
    instrument_version_copy,
    instrument_version_load,
)

DATA = Path(__file__).resolve().parent / "data" / "ita2563.json"
MINISTRY = "กระทรวงอุตสาหกรรม"

INDICATOR_SCORES = {
    1: "90.08", 2: "84.02", 3: "80.81", 4: "80.75", 5: "83.41",
    6: "94.79", 7: "88.92", 8: "84.27", 9: "97.78", 10: "100.00",
}  # fmt: skip
INSTRUMENT_SCORES = {"IIT": "83.81", "EIT": "89.33", "OIT": "98.89"}
SUB_INDICATOR_SCORES = {
    "9.1": "88.89", "9.2": "100.00", "9.3": "100.00", "9.4": "100.00", "9.5": "100.00",
    "10.1": "100.00", "10.2": "100.00",
}  # fmt: skip
# The seed's Table 2: the 22 questions below 85, lowest first. The rest are not given.
QUESTION_SCORES = {
    "I14": "66.02", "I20": "66.88", "I7": "68.93", "I23": "69.14", "I30": "71.86",
    "I15": "72.04", "E14": "74.66", "E12": "75.53", "I24": "76.14", "I18": "76.89",
    "I29": "77.00", "I12": "77.21", "I13": "77.96", "E11": "79.00", "I2": "79.36",
    "I3": "81.71", "I1": "81.98", "I21": "83.09", "I28": "83.96", "I27": "84.17",
    "E6": "84.75", "I8": "84.93",
}  # fmt: skip
OIE_2563 = {
    "reported_total": Decimal("91.50"),
    "reported_grade": "A",
    "rank": 22,
    "rank_of": 146,
    "ministry_rank": 4,
    "ministry_rank_of": 7,
    "iit_respondents": 35,
    "iit_population": 130,
    "eit_respondents": 38,
    "eit_population": 203,
}
# fiscal year: (reported total, rank among all agencies); the seed gives no count for these years.
OIE_HISTORY = {
    2559: ("77.56", 119),
    2560: ("79.47", 115),
    2561: ("87.29", 50),
    2562: ("86.61", 94),
}
# The Ministry of Industry's agencies besides OIE, with their 2563 totals (domain.md §3).
PEERS = (
    ("diw", "กรมโรงงานอุตสาหกรรม", "Department of Industrial Works", "กรอ.", "93.97"),
    ("dip", "กรมส่งเสริมอุตสาหกรรม", "Department of Industrial Promotion", "กสอ.", "92.77"),
    (
        "ops-moi",
        "สำนักงานปลัดกระทรวงอุตสาหกรรม",
        "Office of the Permanent Secretary, Ministry of Industry",
        "สปอ.",
        "91.75",
    ),
    (
        "tisi",
        "สำนักงานมาตรฐานผลิตภัณฑ์อุตสาหกรรม",
        "Thai Industrial Standards Institute",
        "สมอ.",
        "89.64",
    ),
    (
        "ocsb",
        "สำนักงานคณะกรรมการอ้อยและน้ำตาลทราย",
        "Office of the Cane and Sugar Board",
        "สอน.",
        "88.89",
    ),
    (
        "dpim",
        "กรมอุตสาหกรรมพื้นฐานและการเหมืองแร่",
        "Department of Primary Industries and Mines",
        "กพร.",
        "86.54",
    ),
)


def _copied_version(source: InstrumentVersion, year: int) -> InstrumentVersion:
    existing = InstrumentVersion.objects.nacc().filter(fiscal_year=year).first()
    if existing is not None:
        return existing
    return instrument_version_copy(
        source=source,
        fiscal_year=year,
        name_th=f"ITA {year} (คัดลอกโครงสร้างจากปี {source.fiscal_year})",
        name_en=f"ITA {year} (copy of the {source.fiscal_year} structure)",
    )


@transaction.atomic
def load(stdout) -> None:
    """Create or update the 2563 instrument, OIE's 2559–2563 assessments and its six peers."""
    version = instrument_version_load(data=json.loads(DATA.read_text(encoding="utf-8")))
    oie = Agency.objects.get(code="oie")
    assessment = assessment_upsert(agency=oie, fiscal_year=2563, values=OIE_2563)
    assessment_scores_set(
        assessment=assessment,
        questions={code: Decimal(v) for code, v in QUESTION_SCORES.items()},
        sub_indicators={key: Decimal(v) for key, v in SUB_INDICATOR_SCORES.items()},
        indicators={number: Decimal(v) for number, v in INDICATOR_SCORES.items()},
        instruments={code: Decimal(v) for code, v in INSTRUMENT_SCORES.items()},
    )
    for year, (total, rank) in OIE_HISTORY.items():
        _copied_version(version, year)
        assessment_upsert(
            agency=oie, fiscal_year=year, values={"reported_total": Decimal(total), "rank": rank}
        )
    for code, name_th, name_en, abbreviation, total in PEERS:
        peer, _ = Agency.objects.update_or_create(
            code=code,
            defaults={
                "name_th": name_th,
                "name_en": name_en,
                "abbreviation": abbreviation,
                "ministry": MINISTRY,
                "level": Agency.Level.DEPARTMENT,
            },
        )
        assessment_upsert(agency=peer, fiscal_year=2563, values={"reported_total": Decimal(total)})
    stdout.write(
        f"Instrument versions 2559–2563; OIE assessments 2559–2563 "
        f"({len(QUESTION_SCORES)} known question scores in 2563); {len(PEERS)} ministry peers"
    )

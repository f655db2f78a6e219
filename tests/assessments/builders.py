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

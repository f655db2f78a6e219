"""Plain-data references the measures selectors hand to templates and report builders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from measures.models import Activity, Evidence, Round


@dataclass(frozen=True)
class UnitRef:
    pk: int
    code: str
    name_th: str
    name_en: str


@dataclass(frozen=True)
class StepRef:
    pk: int
    order: int
    text_th: str
    text_en: str


@dataclass(frozen=True)
class IndicatorRef:
    order: int
    name_th: str
    name_en: str
    target: str
    result: str


@dataclass(frozen=True)
class EvidenceRef:
    pk: int
    name: str
    url: str
    is_link: bool
    size: int
    effective_on: dt.date | None = None  # the day, or end of the period, it proves


@dataclass(frozen=True)
class RoundRef:
    pk: int
    number: int
    name_th: str
    name_en: str
    period_start: dt.date
    period_end: dt.date
    opens_on: dt.date
    due_on: dt.date
    is_locked: bool


def unit_ref(unit) -> UnitRef:
    return UnitRef(unit.pk, unit.code, unit.name_th, unit.name_en)


def round_ref(round_: Round) -> RoundRef:
    return RoundRef(
        round_.pk,
        round_.number,
        round_.name_th,
        round_.name_en,
        round_.period_start,
        round_.period_end,
        round_.opens_on,
        round_.due_on,
        round_.is_locked,
    )


def owners(activity: Activity) -> list[UnitRef]:
    """Return the activity's units, lead unit first, then by code."""
    units = sorted(activity.units.all(), key=lambda u: (u.pk != activity.lead_unit_id, u.code))
    return [unit_ref(u) for u in units]


def evidence_ref(item: Evidence) -> EvidenceRef:
    return EvidenceRef(item.pk, str(item), item.url, item.is_link, item.size, item.effective_on)
